/**
 * The conversation's jobs: verifying received Webmentions, the owner's batch notification, and
 * (webmention/send-jobs.ts) sending Webmentions when posts change.
 */
import type { AppContext } from "../lib/context.ts";
import { handle } from "../lib/jobs/kinds.ts";
import { notifyOwner, notifyOwnerJob } from "./comments/notices.ts";
import { verifyJob, verifyWebmention } from "./webmention/receive.ts";
import { registerSendJobs } from "./webmention/send-jobs.ts";

/** Register the conversation's job handlers. */
export function registerConversationJobs(ctx: AppContext): void {
  ctx.runner.register(
    handle(verifyJob, async ({ id }) => {
      await verifyWebmention(ctx, id);
    }),
  );
  ctx.runner.register(
    handle(notifyOwnerJob, async () => {
      await notifyOwner(ctx);
    }),
  );
  registerSendJobs(ctx);
}
