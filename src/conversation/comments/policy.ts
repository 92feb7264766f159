/**
 * Whether a post takes comments: the site's default (on, off, or closed N days after
 * publication), which a post may override (on or off, and its own number of days). Pure but for
 * the loader at the end.
 */
import type { AppContext } from "../../lib/context.ts";
import { memo } from "../memo.ts";
import { settingsStore } from "../store.ts";

export type CommentState = "open" | "closed" | "off";

export interface CommentSettings {
  site: { comments: "on" | "off" | "closed"; closeAfterDays: number };
  post?: { comments: "default" | "on" | "off"; close_after_days: number | null };
}

/** The state of a post's comments at `now`. Pure. */
export function commentState(s: CommentSettings, publishedAt: string | null, now: Date): CommentState {
  const mode = s.post && s.post.comments !== "default" ? s.post.comments : s.site.comments;
  if (mode === "off") return "off";
  if (mode === "closed" && s.post?.comments !== "on") return "closed";
  // "On" for this post keeps it open, unless it sets its own number of days.
  const days =
    s.post?.comments === "on" ? (s.post.close_after_days ?? 0) : (s.post?.close_after_days ?? s.site.closeAfterDays);
  if (days > 0 && publishedAt && now.getTime() - Date.parse(publishedAt) > days * 86_400_000) return "closed";
  return "open";
}

/** Load the settings of a post and say whether it takes comments now. */
export async function commentStateOf(
  ctx: AppContext,
  postId: number,
  publishedAt: string | null,
): Promise<CommentState> {
  // Kept until the page cache's generation moves: saving either drops the pages they change.
  const store = settingsStore(ctx.db);
  const [site, post] = await Promise.all([
    memo(ctx, "site-settings", () => store.site()),
    memo(ctx, `post-settings:${postId}`, () => store.post(postId)),
  ]);
  return commentState({ site, post }, publishedAt, ctx.now());
}
