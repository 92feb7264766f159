/** The handlers of the sending jobs (see send-kinds.ts). */
import type { AppContext } from "../../lib/context.ts";
import { handle } from "../../lib/jobs/kinds.ts";
import { planSends, sendWebmention } from "./send.ts";
import { queueSend, webmentionPostJob, webmentionSendJob } from "./send-kinds.ts";

/** Register the sending jobs' handlers on the context's runner. */
export function registerSendJobs(ctx: AppContext): void {
  ctx.runner.register(
    handle(webmentionPostJob, async (p) => {
      for (const s of await planSends(ctx, p.postId, p.url, p.targets)) await queueSend(ctx, s);
    }),
  );
  ctx.runner.register(
    handle(webmentionSendJob, async (p, job) => {
      const result = await sendWebmention(ctx, p, { retryLeft: job.attempts < job.max_attempts });
      // Thrown, the runner tries again later with backoff (and gives up after SEND_ATTEMPTS).
      if (result.retry) throw new Error(`webmention to ${p.target}: ${result.detail}`);
    }),
  );
}
