/**
 * The admin's list of posts: a page of posts by status and kind (an author sees only their own),
 * or, with a query, the search's ranked hits filtered the same way.
 */
import type { AppContext } from "../lib/context.ts";
import type { PostKind, PostStatus } from "../lib/db/schema.ts";
import { searchPosts } from "./search.ts";
import { type PostRow, postStore } from "./store.ts";

/** Posts per page of the admin list. */
export const ADMIN_PAGE_SIZE = 30;

export interface AdminPostFilter {
  status?: PostStatus;
  kind?: PostKind;
  /** Search words; "" lists by date. */
  q: string;
  /** 1-based page number. */
  page: number;
  /** Only this author's posts (authors see their own). */
  authorId?: number;
}

export interface AdminPostPage {
  /** The page's posts, each with its search snippet (safe HTML) when searching. */
  rows: { post: PostRow; snippet?: string }[];
  /** How many posts match, when searching (a date-ordered list does not count them). */
  total?: number;
  hasMore: boolean;
}

/** One page of the admin's post list. */
export async function adminPostPage(ctx: AppContext, f: AdminPostFilter): Promise<AdminPostPage> {
  const { status, kind, authorId } = f;
  const size = ADMIN_PAGE_SIZE;
  if (f.q) {
    // Search ranks across everything; status and author filters apply to its results.
    const r = await searchPosts(ctx.db, { q: f.q, kind, includeUnpublished: true, limit: 500 });
    const hits = r.hits.filter(
      (h) => (!status || h.post.status === status) && (authorId === undefined || h.post.author_id === authorId),
    );
    return {
      rows: hits.slice((f.page - 1) * size, f.page * size).map((h) => ({ post: h.post, snippet: h.snippet })),
      total: hits.length,
      hasMore: hits.length > f.page * size,
    };
  }
  const posts = await postStore(ctx.db).list({
    status,
    kinds: kind ? [kind] : undefined,
    authorId,
    limit: size + 1,
    offset: (f.page - 1) * size,
  });
  return { rows: posts.slice(0, size).map((post) => ({ post })), hasMore: posts.length > size };
}
