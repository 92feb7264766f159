/**
 * Listener of "post.changed" (published, updated, unpublished or deleted, from the editor, the CLI
 * or the schedule): it only queues the post's Webmentions, which a job works out and sends.
 */
import type { AppContext } from "../../lib/context.ts";
import type { PostChange } from "../../lib/module.ts";
import { queuePostSends } from "./send-kinds.ts";

/** Queue the Webmentions of a changed post. */
export async function onPostChanged(ctx: AppContext, change: PostChange): Promise<void> {
  await queuePostSends(ctx, change.postId, change.url, change.change === "removed");
}
