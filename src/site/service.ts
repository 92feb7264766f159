/**
 * Data loading for the public site: what each page needs, read with as few queries as possible.
 * Visibility rule: only posts with status "published" and a publication time not in the future.
 */

import {
  allThemes,
  getSiteSettings,
  listPostRows,
  type PostRow,
  postById,
  postFeedId,
  redirectOf,
  relatedPostIds,
  type ThemeRow,
  themesOfPosts,
} from "../content/index.ts";
import type { AppContext } from "../lib/context.ts";
import type { H } from "../lib/html.ts";
import type { BlockPost, ModuleHost, PageBlock } from "../lib/module.ts";
import { deckToHtml, type FeedData, type FeedItem, type SitemapEntry } from "./feeds.ts";
import { type ListedPost, listedKinds, type MediaRow, type PagePost, siteStore } from "./store.ts";
import { absoluteUrl, bookmarkOf, linkFeedHtml, pathOf } from "./views/components.ts";
import type { Chrome } from "./views/layout.ts";
import type { PostView } from "./views/post.ts";

export interface Cover {
  src: string;
  srcset: string;
  width?: number;
  height?: number;
  /** Path of the image for link previews (OpenGraph): the original, else the largest variant. */
  largest: string;
  /** Alt text: the post's cover alt, else the image's own (issue 12); "" when neither is set. */
  alt?: string;
}

export interface PdfLink {
  href: string;
}

interface Variant {
  width?: number;
  file?: string;
  mime?: string;
}

function variantsOf(m: MediaRow): Variant[] {
  try {
    const v = JSON.parse(m.variants);
    return Array.isArray(v) ? (v as Variant[]) : [];
  } catch {
    return [];
  }
}

/** The cover with the post's own alt text, which wins over the image's. */
const withAlt = (cover: Cover | undefined, alt: string): Cover | undefined =>
  cover && alt ? { ...cover, alt } : cover;

/** Responsive image data from a media row's variants (`/media/<file>`). Pure. */
export function coverOf(m: MediaRow): Cover | undefined {
  const sized = variantsOf(m)
    .filter((v) => v.file && v.width)
    .sort((a, b) => (a.width ?? 0) - (b.width ?? 0));
  // The media module stores WebP variants plus the re-encoded original; srcset uses the WebPs.
  const webp = sized.filter((v) => v.mime === "image/webp");
  const vs = webp.length ? webp : sized;
  if (!vs.length) return undefined;
  const url = (v: Variant) => `/media/${v.file}`;
  const largest = vs[vs.length - 1];
  const original = sized.find((v) => v.mime !== "image/webp");
  const src = vs.find((v) => (v.width ?? 0) >= 960) ?? largest;
  const ratio = m.width && m.height ? m.height / m.width : undefined;
  return {
    src: url(src),
    srcset: vs.map((v) => `${url(v)} ${v.width}w`).join(", "),
    width: src.width,
    height: ratio && src.width ? Math.round(src.width * ratio) : undefined,
    // Link previews get the original format where there is one (widest support).
    largest: url(original ?? largest),
    alt: m.alt,
  };
}

/** A small cover image for a listing: one file, its size, loaded lazily. */
export interface Thumb {
  src: string;
  width: number;
  height: number;
}

/** The thumbnail of a cover: its narrowest variant of at least 320px (WebP first), or none. Pure. */
export function thumbOf(m: MediaRow): Thumb | undefined {
  const sized = variantsOf(m)
    .filter((v) => v.file && v.width)
    .sort((a, b) => (a.width ?? 0) - (b.width ?? 0));
  const webp = sized.filter((v) => v.mime === "image/webp");
  const vs = webp.length ? webp : sized;
  const v = vs.find((x) => (x.width ?? 0) >= 320) ?? vs[vs.length - 1];
  if (!v?.width || !m.width || !m.height) return undefined;
  return { src: `/media/${v.file}`, width: v.width, height: Math.round((v.width * m.height) / m.width) };
}

/** Download link for an attached PDF: its stored file (variants), else `<key>.pdf`. Pure. */
export function pdfOf(m: MediaRow): PdfLink {
  const file = variantsOf(m).find((v) => v.file && (v.mime === "application/pdf" || v.file.endsWith(".pdf")))?.file;
  return { href: `/media/${file ?? `${m.key}.pdf`}` };
}

/**
 * Per-process memo of data derived from content (site settings, related posts), dropped whenever
 * the page cache is cleared: `contentChanged` and the cross-process version check both clear it,
 * so this is exactly as fresh as the page cache, and uncached renders stay cheap.
 */
interface Memo {
  generation: number;
  chrome?: Chrome;
  /** Promises, so concurrent renders of one post share a single computation. */
  related: Map<number, Promise<RelatedPosts>>;
}
const memos = new WeakMap<object, Memo>();
function memoOf(ctx: AppContext): Memo {
  let memo = memos.get(ctx.cache);
  if (!memo || memo.generation !== ctx.cache.generation) {
    memo = { generation: ctx.cache.generation, related: new Map() };
    memos.set(ctx.cache, memo);
  }
  return memo;
}

/**
 * Site settings and base URL for the page shell, whether the about page is public (the nav
 * links to it only then: removing the demo takes the demo's about page away) and the footer
 * links other modules add ("By email", only while there is a list to subscribe to).
 */
export async function loadChrome(ctx: AppContext): Promise<Chrome> {
  const memo = memoOf(ctx);
  if (memo.chrome) return memo.chrome;
  const [settings, about, footerLinks] = await Promise.all([
    getSiteSettings(ctx),
    publicPost(ctx, "about"),
    renderBlocks(ctx, "footer.links"),
  ]);
  const chrome: Chrome = {
    settings,
    baseUrl: ctx.config.baseUrl,
    hasAbout: about?.post.kind === "page",
    footerLinks: footerLinks.map((b) => b.html),
    pageLinks: ctx.host.pageLinks().map((l) => ({ rel: l.rel, href: ctx.config.baseUrl + l.href })),
  };
  if (memo.generation === ctx.cache.generation) memo.chrome = chrome;
  return chrome;
}

/** The blocks of a site-wide slot (no post), in module order; a block may render nothing. */
export async function renderBlocks(ctx: AppContext, slot: "home.top" | "footer.links"): Promise<PageBlock[]> {
  const blocks = await ctx.host.blocks(slot);
  return (await Promise.all(blocks.map((b) => b(ctx)))).filter((b) => b !== undefined);
}

/** Is a post visible on the public site at `now`? */
export function isPublic(p: Pick<PostRow, "status" | "published_at">, now: string): boolean {
  return p.status === "published" && p.published_at !== null && p.published_at <= now;
}

/** A public post by slug (pages included), or undefined. */
export async function publicPost(ctx: AppContext, slug: string): Promise<FoundPost | undefined> {
  const found = await siteStore(ctx.db).postBySlug(slug);
  return found && isPublic(found.post, ctx.now().toISOString()) ? found : undefined;
}

/** A post with its themes, as `publicPost` finds it. */
export interface FoundPost {
  post: PagePost;
  themes: ThemeRow[];
}

/** Where an old path now lives (after a slug change), if the post is public. */
export async function redirectFor(ctx: AppContext, path: string): Promise<string | undefined> {
  const r = await redirectOf(ctx, path);
  if (!r) return undefined;
  const p = await postById(ctx, r.post_id);
  return p && isPublic(p, ctx.now().toISOString()) ? pathOf(p) : undefined;
}

/**
 * Everything the post page shows besides the post itself. With `host`, the blocks other modules
 * add to a post (in the article after the body, and after the post); the handout has none.
 */
export async function loadPostView(
  ctx: AppContext,
  { post, themes }: FoundPost,
  opts: { related: boolean; host?: ModuleHost },
): Promise<PostView> {
  const withRelated = opts.related;
  const site = siteStore(ctx.db);
  const coverRow = post.cover_media_id ? await site.mediaById(post.cover_media_id) : undefined;
  const pdfRow = post.pdf_media_id ? await site.mediaById(post.pdf_media_id) : undefined;
  const related =
    withRelated && post.kind !== "page" ? await loadRelated(ctx, post, themes) : { posts: [], themes: new Map() };
  return {
    post,
    themes,
    cover: coverRow ? withAlt(coverOf(coverRow), post.cover_alt) : undefined,
    pdf: pdfRow ? pdfOf(pdfRow) : undefined,
    related: related.posts,
    relatedThemes: related.themes,
    deckCss: post.kind === "presentation" ? deckCssUrl(post) : undefined,
    ...(opts.host ? await loadBlocks(ctx, opts.host, post) : { bodyBlocks: [], afterBlocks: [] }),
  };
}

/** The blocks modules add to a post page, in module order; a block may render nothing. */
async function loadBlocks(ctx: AppContext, host: ModuleHost, post: PagePost) {
  const at: BlockPost = {
    id: post.id,
    kind: post.kind,
    slug: post.slug,
    title: post.title,
    summary: post.summary,
    url: ctx.config.baseUrl + pathOf(post),
    publishedAt: post.published_at,
  };
  const render = async (slot: "post.body" | "post.after") =>
    (await Promise.all((await host.blocks(slot)).map((b) => b(ctx, at)))).filter((b) => b !== undefined);
  const [bodyBlocks, afterBlocks] = await Promise.all([render("post.body"), render("post.after")]);
  return { bodyBlocks, afterBlocks };
}

interface RelatedPosts {
  posts: ListedPost[];
  themes: Map<number, ThemeRow[]>;
}

/** Three related posts with their themes (memoised until the next content change). */
function loadRelated(ctx: AppContext, post: PagePost, themes: ThemeRow[]): Promise<RelatedPosts> {
  const memo = memoOf(ctx);
  const known = memo.related.get(post.id);
  if (known) return known;
  const pending = computeRelated(ctx, post, themes);
  if (memo.related.size < 5000) memo.related.set(post.id, pending);
  // A failure is not remembered.
  pending.catch(() => memo.related.delete(post.id));
  return pending;
}

async function computeRelated(ctx: AppContext, post: PagePost, themes: ThemeRow[]): Promise<RelatedPosts> {
  const ids = await relatedPostIds(ctx.db, post, { now: ctx.now().toISOString(), themeIds: themes.map((t) => t.id) });
  const rows = await siteStore(ctx.db).byIds(ids);
  return {
    posts: ids.map((id) => rows.find((r) => r.id === id)).filter((r): r is ListedPost => r !== undefined),
    themes: await themesOfPosts(ctx, ids),
  };
}

/** Versioned URL of a deck's stylesheet (the version changes whenever the post is saved). */
export function deckCssUrl(post: Pick<PostRow, "slug" | "updated_at">): string {
  return `/posts/${post.slug}/deck.css?v=${encodeURIComponent(post.updated_at.replace(/\D/g, ""))}`;
}

/** The CSS Marp generated for a deck, minus @import (the CSP allows same-origin styles only). */
export function deckCss(post: Pick<PostRow, "render_extra">): string {
  let css = "";
  try {
    css = String(JSON.parse(post.render_extra || "{}").css ?? "");
  } catch {
    css = "";
  }
  return css.replace(/@import\s+[^;]+;/g, "");
}

export interface Listing {
  posts: ListedPost[];
  themes: Map<number, ThemeRow[]>;
  hasNext: boolean;
  /** Cover thumbnails by post id (asked for with `covers`: the home page). */
  thumbs?: Map<number, Thumb>;
  /** What other modules note on each post's meta line ("3 comments"), by post id. */
  notes?: Map<number, H[]>;
}

/** A page of published posts (optionally of one theme or year), with their themes. */
export async function listPosts(
  ctx: AppContext,
  f: { themeId?: number; year?: number; page?: number; perPage: number; covers?: boolean },
): Promise<Listing> {
  const page = f.page ?? 1;
  const rows = await siteStore(ctx.db).list({
    now: ctx.now().toISOString(),
    themeId: f.themeId,
    year: f.year,
    limit: f.perPage + 1,
    offset: (page - 1) * f.perPage,
  });
  const posts = rows.slice(0, f.perPage);
  const themes = await themesOfPosts(
    ctx,
    posts.map((p) => p.id),
  );
  return {
    posts,
    themes,
    hasNext: rows.length > f.perPage,
    thumbs: f.covers ? await thumbsOf(ctx, posts) : undefined,
    notes: await postNotes(
      ctx,
      posts.map((p) => p.id),
    ),
  };
}

/** Every module's notes on listed posts' meta lines ("post.meta" blocks), by post id. */
export async function postNotes(ctx: AppContext, ids: number[]): Promise<Map<number, H[]>> {
  const out = new Map<number, H[]>();
  if (!ids.length) return out;
  for (const notes of await Promise.all((await ctx.host.blocks("post.meta")).map((b) => b(ctx, ids)))) {
    for (const [id, note] of notes) out.set(id, [...(out.get(id) ?? []), note]);
  }
  return out;
}

/** The cover thumbnails of listed posts, in one query. */
async function thumbsOf(ctx: AppContext, posts: ListedPost[]): Promise<Map<number, Thumb>> {
  const ids = [...new Set(posts.flatMap((p) => (p.cover_media_id ? [p.cover_media_id] : [])))];
  const media = new Map((await siteStore(ctx.db).mediaByIds(ids)).map((m) => [m.id, m]));
  const out = new Map<number, Thumb>();
  for (const p of posts) {
    const m = p.cover_media_id ? media.get(p.cover_media_id) : undefined;
    const thumb = m ? thumbOf(m) : undefined;
    if (thumb) out.set(p.id, thumb);
  }
  return out;
}

/** Full rows for feeds (bodies included), newest first. */
export async function feedPosts(ctx: AppContext, themeId: number | undefined, limit: number) {
  const now = ctx.now().toISOString();
  const rows = await listPostRows(ctx, {
    status: "published",
    kinds: listedKinds,
    themeId,
    publishedBefore: now,
    limit,
  });
  const themes = await themesOfPosts(
    ctx,
    rows.map((p) => p.id),
  );
  return { rows, themes };
}

/** All themes with their visible post counts. */
export async function themesWithCounts(ctx: AppContext) {
  const [themes, counts] = await Promise.all([allThemes(ctx), siteStore(ctx.db).themeCounts(ctx.now().toISOString())]);
  return themes.map((t) => ({ theme: t, count: counts.get(t.id) ?? 0 }));
}

/** Feed data for the site or one theme: the 20 newest posts with full content. */
export async function loadFeed(ctx: AppContext, theme?: ThemeRow): Promise<FeedData> {
  const [chrome, { rows, themes }] = await Promise.all([loadChrome(ctx), feedPosts(ctx, theme?.id, 20)]);
  const s = chrome.settings;
  const base = chrome.baseUrl;
  const items: FeedItem[] = rows.map((p) => ({
    id: postFeedId(base, p),
    url: base + pathOf(p),
    title: p.title,
    summary: p.summary,
    html: p.kind === "presentation" ? deckToHtml(p.body_html) : p.kind === "link" ? linkFeedHtml(p) : p.body_html,
    externalUrl: p.kind === "link" ? bookmarkOf(p) : undefined,
    published: p.published_at ?? p.updated_at,
    updated: p.updated_at > (p.published_at ?? "") ? p.updated_at : (p.published_at ?? p.updated_at),
    categories: (themes.get(p.id) ?? []).map((t) => t.name),
  }));
  return {
    title: theme ? `${s.title}: ${theme.name}` : s.title,
    // The site's feeds describe it by its description, else the author's bio (not the title again).
    description: theme ? theme.description : s.description || s.author.bio,
    language: s.language,
    homeUrl: theme ? `${base}/themes/${theme.slug}` : `${base}/`,
    feedBase: theme ? `${base}/themes/${theme.slug}/feed` : `${base}/feed`,
    author: { name: s.author.name || s.title, url: `${base}/`, avatar: absoluteUrl(base, s.author.photoUrl) },
    items,
    // A feed with no posts yet is as new as now (not 1970).
    updated: items.length ? undefined : ctx.now().toISOString(),
  };
}

/** Every public URL with its last change, for sitemap.xml. */
export async function loadSitemap(ctx: AppContext): Promise<SitemapEntry[]> {
  const now = ctx.now().toISOString();
  const site = siteStore(ctx.db);
  const base = ctx.config.baseUrl;
  const [posts, themes, years] = await Promise.all([site.sitemapPosts(now), allThemes(ctx), site.years(now)]);
  const latest = posts.reduce((m, p) => (p.updated_at > m ? p.updated_at : m), "");
  return [
    { loc: `${base}/`, lastmod: latest || undefined },
    ...posts.map((p) => ({ loc: base + pathOf(p), lastmod: p.updated_at })),
    { loc: `${base}/themes` },
    ...themes.map((t) => ({ loc: `${base}/themes/${t.slug}` })),
    { loc: `${base}/archive` },
    ...years.map((y) => ({ loc: `${base}/archive/${y.year}` })),
  ];
}
