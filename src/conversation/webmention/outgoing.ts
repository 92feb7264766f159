/**
 * Listener of "post.changed" (published, updated, unpublished or deleted, from the editor, the CLI
 * or the schedule): it only queues the post's Webmentions, which a job works out and sends.
 */
import type { AppContext } from "../../lib/context.ts";
import type { PostChange } from "../../lib/module.ts";
import { queuePostSends } from "./send-kinds.ts";
import { targetsOf } from "./targets.ts";

/** Queue the Webmentions of a changed post. */
export async function onPostChanged(ctx: AppContext, change: PostChange): Promise<void> {
  if (change.change !== "removed") return queuePostSends(ctx, change.postId, change.url, false);
  // The post may be gone when the job runs: what it linked travels with the job.
  const targets = targetsOf(change.html, change.url, change.linkUrls, [ctx.config.baseUrl]);
  await queuePostSends(ctx, change.postId, change.url, true, targets);
}
