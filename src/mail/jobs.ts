/**
 * The `mail.deliver` job: delivers what is due for up to 20 s, then queues its successor (at
 * once when more is due, else when the next retry is due; none when the outbox is empty).
 * Enqueueing mail calls `ensureDeliveryJob`, so a send starts within a poll of the job runner.
 */
import type { AppContext } from "../lib/context.ts";
import { handle } from "../lib/jobs/kinds.ts";
import { DELIVER_JOB, ensureDeliveryJob } from "./deliver-job.ts";
import { deliverDue } from "./delivery.ts";
import { mailStore } from "./store.ts";
import { createMailer, describeSmtp } from "./transport.ts";

/** Register the delivery job; settles once a job is queued for mail already waiting. */
export async function registerMailJobs(ctx: AppContext): Promise<void> {
  ctx.runner.register(
    handle(DELIVER_JOB, async (_payload, job) => {
      const smtpUrl = ctx.config.mail.smtpUrl;
      if (!smtpUrl) {
        ctx.log.warn("mail is waiting in the outbox: SMTP_URL is not set");
        return;
      }
      await ctx.jobs.releaseKey(job.id);
      const before = await mailStore(ctx.db).pending();
      if (!before.dueAt || before.dueAt > ctx.now().toISOString()) {
        // Nothing claimable yet (rows in another worker's hands, or retries later): come back then.
        if (before.dueAt) await ensureDeliveryJob(ctx, new Date(before.dueAt));
        return;
      }
      const mailer = createMailer({ ...ctx.config.mail, smtpUrl });
      let more = false;
      try {
        const totals = await deliverDue(ctx, mailer);
        more = totals.more;
        if (totals.sent + totals.failed > 0) ctx.log.info("mail delivered", { ...totals, via: describeSmtp(smtpUrl) });
      } finally {
        mailer.close();
        const { dueAt } = await mailStore(ctx.db).pending();
        if (more) await ensureDeliveryJob(ctx);
        else if (dueAt) await ensureDeliveryJob(ctx, new Date(Math.max(Date.parse(dueAt), ctx.now().getTime() + 1000)));
      }
    }),
  );
  const { dueAt } = await mailStore(ctx.db).pending();
  if (dueAt) await ensureDeliveryJob(ctx, new Date(dueAt));
}
