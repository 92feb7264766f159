/**
 * Post lifecycle: create, update (with a revision on every save), publish, schedule, unpublish,
 * restore a revision, and the 301 left behind when a published slug changes.
 * Markdown is rendered here, at save time, never on a page view.
 */
import { z } from "zod";
import type { AppContext } from "../lib/context.ts";
import type { PostKind } from "../lib/db/schema.ts";
import { transaction } from "../lib/db/transaction.ts";
import { HttpError, NotFoundError, ValidationError } from "../lib/errors.ts";
import { type Actor, systemActor } from "../lib/roles.ts";
import { announce } from "./announce.ts";
import { autosaveStore } from "./autosave-store.ts";
import { publishJob } from "./jobs.ts";
import { renderMarkdown } from "./markdown.ts";
import { renderSlides } from "./slides.ts";
import { isSlug, slugify } from "./slug.ts";
import { contentStateStore, historyStore, type PostRow, postStore, themeStore } from "./store.ts";

export type { Actor };
export { systemActor };

export const postKinds = ["article", "presentation", "note", "page", "link", "event", "digest"] as const;

/** What an editor form, the CLI or the importer submits. */
export const postInputSchema = z.object({
  kind: z.enum(postKinds).default("article"),
  title: z.string().trim().min(1, "Title is required").max(300, "Title must be at most 300 characters"),
  slug: z.string().trim().optional(),
  summary: z.string().trim().max(1000, "Summary must be at most 1000 characters").default(""),
  body: z.string().max(2_000_000, "Body is too long (2 MB maximum)").default(""),
  themeIds: z.array(z.number().int().positive()).default([]),
  coverMediaId: z.number().int().positive().nullable().optional(),
  /** Alt text of the cover image; undefined keeps the stored one. */
  coverAlt: z.string().trim().max(500, "Cover alt text must be at most 500 characters").optional(),
  pdfMediaId: z.number().int().positive().nullable().optional(),
  status: z.enum(["draft", "scheduled", "published"]).default("draft"),
  /** Publication time: required for scheduled; optional for published (defaults to now; import keeps dates). */
  publishedAt: z.coerce.date().nullable().optional(),
});
export type PostInput = z.input<typeof postInputSchema>;

/** Parse input, turning zod's first issue into a ValidationError naming the field. */
export function parsePostInput(input: unknown): z.output<typeof postInputSchema> {
  const r = postInputSchema.safeParse(input);
  if (!r.success) {
    const issue = r.error.issues[0];
    const field = issue?.path.join(".") || "input";
    throw new ValidationError(`${field}: ${issue?.message ?? "invalid"}`, { field });
  }
  return r.data;
}

/**
 * Every problem with a post's input that shows without the database, the first for each field
 * (as "field: message" fields of the schema, plus the slug's form and publishing's themes), so
 * the editor can show them all in one answer. savePost still checks them itself.
 */
export function postInputProblems(input: unknown): { field: string; message: string }[] {
  const r = postInputSchema.safeParse(input);
  const out = new Map<string, string>();
  if (!r.success) {
    for (const issue of r.error.issues) {
      const field = issue.path.join(".") || "input";
      if (!out.has(field)) out.set(field, issue.message);
    }
    return [...out].map(([field, message]) => ({ field, message }));
  }
  const v = r.data;
  if (v.slug && !isSlug(v.slug))
    out.set("slug", "use lowercase letters, digits and single hyphens (e.g. my-first-post)");
  if (v.status !== "draft" && v.kind !== "page" && v.kind !== "digest" && v.themeIds.length === 0) {
    out.set("themeIds", "choose at least one theme before publishing");
  }
  return [...out].map(([field, message]) => ({ field, message }));
}

/** Render a post body by kind. */
export function renderBody(kind: PostKind, body: string) {
  if (kind === "presentation") {
    const s = renderSlides(body);
    return { html: s.html, text: s.text, wordCount: s.wordCount, extra: { css: s.css, slides: s.slideCount } };
  }
  const m = renderMarkdown(body);
  return { html: m.html, text: m.text, wordCount: m.wordCount, extra: {} };
}

/** Authors edit only their own posts; editors and owners edit all. */
export function canEdit(actor: Actor, post: Pick<PostRow, "author_id">): boolean {
  return actor.role !== "author" || (actor.id !== null && post.author_id === actor.id);
}

/** Public path of a post. */
export function postPath(post: Pick<PostRow, "slug" | "kind">): string {
  return post.kind === "page" ? `/${post.slug}` : `/posts/${post.slug}`;
}

/**
 * The id feeds give a post (Atom <id>, RSS <guid>, JSON Feed id), which must never change: the
 * stored `feed_id` (a tag URI, or a path for posts published before ids were stored, resolved
 * against `baseUrl` as the URL they went out with), else the tag URI (RFC 4151) made from the
 * site's host, the post's creation date and its id: nothing a rename touches.
 */
export function postFeedId(baseUrl: string, post: Pick<PostRow, "id" | "created_at" | "feed_id">): string {
  if (post.feed_id?.startsWith("/")) return baseUrl.replace(/\/$/, "") + post.feed_id;
  if (post.feed_id) return post.feed_id;
  return `tag:${new URL(baseUrl).hostname},${post.created_at.slice(0, 10)}:post-${post.id}`;
}

/**
 * Call after any change that affects public pages: clears this process's page cache and moves
 * the content version, which tells other processes to clear theirs (see site/cache.ts).
 */
export async function contentChanged(ctx: AppContext): Promise<void> {
  ctx.cache.clear();
  await contentStateStore(ctx.db).bumpVersion();
}

async function uniqueSlug(ctx: AppContext, base: string, exceptId?: number): Promise<string> {
  const posts = postStore(ctx.db);
  const root = base || "post";
  let slug = root;
  for (let i = 2; await posts.slugExists(slug, exceptId); i++) slug = `${root}-${i}`;
  return slug;
}

async function checkThemes(ctx: AppContext, ids: number[]): Promise<void> {
  const known = new Set((await themeStore(ctx.db).all()).map((t) => t.id));
  const bad = ids.find((id) => !known.has(id));
  if (bad !== undefined) throw new ValidationError(`themeIds: theme ${bad} does not exist`, { field: "themeIds" });
}

/**
 * Create or update a post. Every save writes a revision. On update, `id` names the post.
 * Returns the stored row.
 */
export async function savePost(
  ctx: AppContext,
  actor: Actor,
  raw: unknown,
  id?: number,
  note = "",
  opts: { announce?: boolean } = {},
): Promise<PostRow> {
  const input = parsePostInput(raw);
  const posts = postStore(ctx.db);
  const existing = id !== undefined ? await posts.byId(id) : undefined;
  if (id !== undefined && !existing) throw new NotFoundError(`Post ${id} not found`);
  if (existing && !canEdit(actor, existing)) throw new HttpError(403, "You can only edit your own posts");
  await checkThemes(ctx, input.themeIds);

  let slug = input.slug ? input.slug : existing?.slug;
  if (input.slug && !isSlug(input.slug)) {
    throw new ValidationError("slug: use lowercase letters, digits and single hyphens (e.g. my-first-post)", {
      field: "slug",
    });
  }
  if (!slug) slug = await uniqueSlug(ctx, slugify(input.title), id);
  else if (await posts.slugExists(slug, id)) {
    throw new ValidationError(`slug: "${slug}" is already used by another post`, { field: "slug" });
  }

  const now = ctx.now();
  let publishedAt: string | null = input.publishedAt ? input.publishedAt.toISOString() : null;
  if (input.status === "published") publishedAt ??= existing?.published_at ?? now.toISOString();
  if (input.status === "scheduled") {
    if (!publishedAt) throw new ValidationError("publishedAt: choose when to publish", { field: "publishedAt" });
    if (publishedAt <= now.toISOString()) input.status = "published";
  }
  // Digests span themes (or none: a week of hand-added links), so only they and pages may have none.
  if (input.status !== "draft" && input.kind !== "page" && input.kind !== "digest" && input.themeIds.length === 0) {
    throw new ValidationError("themeIds: choose at least one theme before publishing", { field: "themeIds" });
  }

  const rendered = renderBody(input.kind, input.body);
  const ts = now.toISOString();
  const values = {
    kind: input.kind,
    status: input.status,
    slug,
    title: input.title,
    summary: input.summary,
    body_md: input.body,
    body_html: rendered.html,
    body_text: rendered.text,
    render_extra: JSON.stringify(rendered.extra),
    cover_media_id: input.coverMediaId === undefined ? (existing?.cover_media_id ?? null) : input.coverMediaId,
    cover_alt: input.coverAlt ?? existing?.cover_alt ?? "",
    pdf_media_id: input.pdfMediaId === undefined ? (existing?.pdf_media_id ?? null) : input.pdfMediaId,
    published_at: input.status === "draft" ? (existing?.published_at ?? publishedAt) : publishedAt,
    updated_at: ts,
    word_count: rendered.wordCount,
  };

  const saved = await transaction(ctx, async (tx) => {
    const txPosts = postStore(tx.db);
    const txHistory = historyStore(tx.db);
    let row = existing
      ? await txPosts.update(existing.id, values)
      : await txPosts.insert({ ...values, author_id: actor.id, created_at: ts });
    // Fix the feed id for good when the post first goes out, under the host it is published on.
    if (row.feed_id === null && row.status !== "draft") {
      row = await txPosts.update(row.id, { feed_id: postFeedId(ctx.config.baseUrl, row) });
    }
    await txPosts.setThemes(row.id, input.themeIds);
    await txHistory.addRevision({
      post_id: row.id,
      kind: row.kind,
      slug: row.slug,
      title: row.title,
      summary: row.summary,
      body_md: row.body_md,
      theme_ids: JSON.stringify(input.themeIds),
      author_id: actor.id,
      created_at: ts,
      note,
    });
    // A published post whose slug changed keeps its old URL alive as a 301.
    if (existing && existing.slug !== row.slug && existing.status === "published") {
      await txHistory.addRedirect(postPath(existing), row.id, ts);
    }
    await txHistory.removeRedirect(postPath(row));
    // A real save supersedes the editor's rolling autosave.
    await autosaveStore(tx.db).delete(row.id);
    return row;
  });

  if (saved.status === "scheduled" && saved.published_at) {
    await ctx.jobs.enqueue(
      publishJob,
      { postId: saved.id },
      { uniqueKey: `publish:${saved.id}`, runAt: new Date(saved.published_at) },
    );
  } else {
    await ctx.jobs.cancel(`publish:${saved.id}`);
  }
  await contentChanged(ctx);
  // The demo's posts are not news: no Webmentions to the pages they link, no fediverse posts.
  if (opts.announce !== false) await announce(ctx, postPath, existing, saved);
  return saved;
}

/**
 * Show a digest post's page with the markup the digest module rendered from its entries (h-cite
 * entries with their credits) instead of the rendering of its Markdown export, which stays the
 * post's text for search and feeds. Only for posts of kind "digest".
 */
export async function setDigestPageHtml(ctx: AppContext, postId: number, html: string): Promise<PostRow> {
  const posts = postStore(ctx.db);
  const post = await posts.byId(postId);
  if (post?.kind !== "digest") throw new NotFoundError(`There is no digest post ${postId}.`);
  const row = await posts.update(postId, { body_html: html });
  await contentChanged(ctx);
  return row;
}

/** Job handler: publish a scheduled post whose time has come. */
export async function publishDue(ctx: AppContext, postId: number): Promise<boolean> {
  const post = await postStore(ctx.db).byId(postId);
  if (post?.status !== "scheduled" || !post.published_at) return false;
  if (post.published_at > ctx.now().toISOString()) {
    // Rescheduled later than this job: the newer job will handle it.
    return false;
  }
  const after = await postStore(ctx.db).update(post.id, {
    status: "published",
    updated_at: ctx.now().toISOString(),
    feed_id: post.feed_id ?? postFeedId(ctx.config.baseUrl, post),
  });
  await contentChanged(ctx);
  await announce(ctx, postPath, undefined, after);
  return true;
}

/** Restore an old revision as a new save (so the restore itself is undoable). */
export async function restoreRevision(ctx: AppContext, actor: Actor, revisionId: number): Promise<PostRow> {
  const rev = await historyStore(ctx.db).revision(revisionId);
  if (!rev) throw new NotFoundError(`Revision ${revisionId} not found`);
  const post = await postStore(ctx.db).byId(rev.post_id);
  if (!post) throw new NotFoundError(`Post ${rev.post_id} not found`);
  return savePost(
    ctx,
    actor,
    {
      kind: rev.kind,
      title: rev.title,
      slug: rev.slug,
      summary: rev.summary,
      body: rev.body_md,
      themeIds: JSON.parse(rev.theme_ids) as number[],
      status: post.status,
      publishedAt: post.published_at,
    },
    post.id,
    `Restored revision ${rev.id}`,
  );
}

/** What a link post bookmarks: the URL, its credits (nearest first) and the save it publishes. */
export interface LinkTarget {
  url: string;
  credits: { name: string; url: string }[];
  saveId: number;
}

/**
 * Point a link post (saved with `savePost`, which does not know these columns) at what it
 * bookmarks, and clear the caches again: savePost cleared them before the columns were set.
 */
export async function setLinkTarget(ctx: AppContext, postId: number, link: LinkTarget): Promise<void> {
  await postStore(ctx.db).setLinkColumns(postId, {
    link_url: link.url,
    credits: JSON.stringify(link.credits),
    save_id: link.saveId,
  });
  await contentChanged(ctx);
  const after = await postStore(ctx.db).byId(postId);
  // The post was announced by savePost before it knew what it bookmarks: tell again, as an update.
  if (after) await announce(ctx, postPath, after, after);
}

/** Delete a post (and, by cascade, its revisions and redirects). */
export async function deletePost(ctx: AppContext, actor: Actor, id: number): Promise<void> {
  const post = await postStore(ctx.db).byId(id);
  if (!post) throw new NotFoundError(`Post ${id} not found`);
  if (!canEdit(actor, post)) throw new HttpError(403, "You can only delete your own posts");
  await ctx.jobs.cancel(`publish:${id}`);
  await postStore(ctx.db).delete(id);
  // Its address answers 410 Gone from now on: readers, crawlers and Webmention receivers learn it is gone.
  if (post.status === "published") await historyStore(ctx.db).addTombstone(postPath(post), ctx.now().toISOString());
  await contentChanged(ctx);
  await announce(ctx, postPath, post, undefined);
}
