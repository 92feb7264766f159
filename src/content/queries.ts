/**
 * What other modules read of content: posts and themes, read-only. Writing goes through the
 * services (`savePost`, `setLinkTarget`, `setDigestPageHtml` ...), never through the stores.
 */
import type { AppContext } from "../lib/context.ts";
import { historyStore, type ListFilter, type PostRow, postStore, type ThemeRow, themeStore } from "./store.ts";

/** A post by id. */
export const postById = (ctx: AppContext, id: number): Promise<PostRow | undefined> => postStore(ctx.db).byId(id);

/** A post by slug. */
export const postBySlug = (ctx: AppContext, slug: string): Promise<PostRow | undefined> =>
  postStore(ctx.db).bySlug(slug);

/**
 * The published post at a public path ("/posts/slug", a page's "/slug", or a full URL of either),
 * if any: what other modules credit (a subscription made under a post, a forward arriving at one).
 */
export async function postAtPath(ctx: AppContext, path: string): Promise<PostRow | undefined> {
  const pathname = path.replace(/^https?:\/\/[^/]+/, "").replace(/[?#].*$/, "");
  const m = /^\/(posts\/)?([^/]+)\/?$/.exec(pathname);
  if (!m) return undefined;
  let slug: string;
  try {
    slug = decodeURIComponent(m[2]);
  } catch {
    return undefined;
  }
  const post = await postStore(ctx.db).bySlug(slug);
  // A page lives at /slug, anything else at /posts/slug.
  if (post?.status !== "published" || (post.kind === "page") !== !m[1]) return undefined;
  return post;
}

/** Where a post is and whether it is public, by slug, without its bodies (for hot paths). */
export const postStateBySlug = (ctx: AppContext, slug: string) => postStore(ctx.db).stateBySlug(slug);

/** Posts by filter (status, kinds, theme, author, published before), newest first. */
export const listPostRows = (ctx: AppContext, filter: ListFilter): Promise<PostRow[]> => postStore(ctx.db).list(filter);

/** How many posts match (status, kinds). */
export const countPosts = (ctx: AppContext, filter: Pick<ListFilter, "status" | "kinds">): Promise<number> =>
  postStore(ctx.db).count(filter);

/** The themes of each post, by post id. */
export const themesOfPosts = (ctx: AppContext, postIds: number[]): Promise<Map<number, ThemeRow[]>> =>
  postStore(ctx.db).themesOf(postIds);

/** Every theme, in the site's order. */
export const allThemes = (ctx: AppContext): Promise<ThemeRow[]> => themeStore(ctx.db).all();

/** A theme by slug. */
export const themeBySlug = (ctx: AppContext, slug: string): Promise<ThemeRow | undefined> =>
  themeStore(ctx.db).bySlug(slug);

/** The post an old path (a slug that changed) now belongs to. */
export const redirectOf = (ctx: AppContext, path: string): Promise<{ post_id: number } | undefined> =>
  historyStore(ctx.db).redirect(path);

/** The owner's own posts published in [start, end), oldest first (not link posts, pages or digests). */
export const ownPostsBetween = (ctx: AppContext, start: string, end: string) =>
  postStore(ctx.db).ownPublishedBetween(start, end);

/** When the post at `path` was deleted, if a deleted post's address is all that is there. */
export const deletedAt = async (ctx: AppContext, path: string): Promise<string | undefined> =>
  (await historyStore(ctx.db).tombstone(path))?.deleted_at;
