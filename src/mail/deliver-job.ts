/**
 * The `mail.deliver` job kind and how mail is handed to it. Apart from its handler (jobs.ts), so
 * queueing mail in a web process loads no delivery code: no transport, no nodemailer.
 */
import { z } from "zod";
import type { AppContext } from "../lib/context.ts";
import { savepoint } from "../lib/db/transaction.ts";
import { jobKind } from "../lib/jobs/kinds.ts";

/** Deliver what is due (one queued at a time: unique key `mail.deliver`). */
export const DELIVER_JOB = jobKind("mail.deliver", z.object({}));

/** Make sure a delivery job is queued at `runAt` (default now); idempotent. */
export async function ensureDeliveryJob(ctx: AppContext, runAt: Date = ctx.now()): Promise<void> {
  try {
    // Inside a transaction (a digest's send), behind a savepoint: the insert may meet the unique key.
    await savepoint(ctx.db, () => ctx.jobs.enqueue(DELIVER_JOB, {}, { uniqueKey: DELIVER_JOB.name, runAt }));
  } catch (err) {
    // Another process enqueued it between the check and the insert: that is the goal.
    ctx.log.debug("delivery job not enqueued", { error: String(err) });
  }
}
