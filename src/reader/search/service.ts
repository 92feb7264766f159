/**
 * The admin's one search: the user's posts, saves and feed items, each ranked by its own index.
 */

import { type PostRow, searchPosts } from "../../content/index.ts";
import type { AppContext } from "../../lib/context.ts";
import { ValidationError } from "../../lib/errors.ts";
import type { SessionUser } from "../../lib/http/env.ts";
import { type SaveSearchHit, searchSaves } from "../saves/store.ts";
import { type ItemSearchHit, searchItems } from "./store.ts";

/** Longest query accepted (the public search truncates at the same length). */
export const MAX_QUERY = 200;

export const sections = ["posts", "saves", "items"] as const;
export type Section = (typeof sections)[number];

export interface SectionResult<T> {
  total: number;
  moreThan?: boolean;
  hits: T[];
}

export interface CombinedResult {
  posts?: SectionResult<{ post: PostRow; snippet: string }>;
  saves?: SectionResult<SaveSearchHit>;
  items?: SectionResult<ItemSearchHit>;
}

/** The query as typed, trimmed; too long is a 400 naming the field. */
export function checkQuery(raw: string | undefined): string {
  const q = (raw ?? "").trim();
  if (q.length > MAX_QUERY) {
    throw new ValidationError(
      `The search is too long (${q.length} characters). Please use at most ${MAX_QUERY} characters.`,
      { field: "q" },
    );
  }
  return q;
}

/**
 * Search `only` one section (a page of it) or all three (the first `limit` hits of each).
 * Authors see their own posts only, as in the posts list.
 */
export async function searchEverything(
  ctx: AppContext,
  user: SessionUser,
  opts: { q: string; only?: Section; limit: number; offset: number },
): Promise<CombinedResult> {
  const want = (s: Section) => !opts.only || opts.only === s;
  const page = { limit: opts.limit, offset: opts.offset };
  const [posts, saves, items] = await Promise.all([
    want("posts") ? searchOwnPosts(ctx, user, opts.q, page) : undefined,
    want("saves") ? searchSaves(ctx.db, { q: opts.q, ...page }) : undefined,
    want("items") ? searchItems(ctx.db, { q: opts.q, ...page }) : undefined,
  ]);
  return { posts, saves, items };
}

async function searchOwnPosts(
  ctx: AppContext,
  user: SessionUser,
  q: string,
  page: { limit: number; offset: number },
): Promise<SectionResult<{ post: PostRow; snippet: string }>> {
  if (user.role !== "author") return searchPosts(ctx.db, { q, includeUnpublished: true, ...page });
  // Ranking spans everyone's posts; an author's filter applies to its results (as in the posts list).
  const r = await searchPosts(ctx.db, { q, includeUnpublished: true, limit: 500 });
  const own = r.hits.filter((h) => h.post.author_id === user.id);
  return { total: own.length, hits: own.slice(page.offset, page.offset + page.limit) };
}
