/**
 * The cached pages a conversation change touches: the post's page, its comments feed, the site's
 * comments feed and the home page (its comment counts). Only those are dropped, never the whole
 * page cache, in every process (lib/http/page-invalidations.ts).
 */
import { postById, postPath } from "../../content/index.ts";
import type { AppContext } from "../../lib/context.ts";
import { invalidatePages } from "../../lib/http/page-invalidations.ts";

/** Drop the pages that show post `postId`'s conversation. */
export async function conversationChanged(ctx: AppContext, postId: number): Promise<void> {
  const post = await postById(ctx, postId);
  if (!post) return;
  const path = postPath(post);
  await invalidatePages(ctx, [path, `/comments/${post.slug}/feed.atom`, "/comments/feed.atom", "/"]);
}
