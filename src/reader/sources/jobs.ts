/**
 * The recurring `reader.poll` job: every minute it polls the sources that are due, then enqueues
 * its successor. One run is kept short (it stops claiming after 20 s, well inside the runner's
 * 60 s lease) so other jobs get their turn; when due sources remain, the successor runs at once.
 * Several workers may run it on PostgreSQL: sources are leased, so no feed is fetched twice.
 */
import { z } from "zod";
import type { AppContext } from "../../lib/context.ts";
import { handle, jobKind } from "../../lib/jobs/kinds.ts";
import { pollDue } from "./poll.ts";

/** Poll the sources that are due (one queued at a time: unique key `reader.poll`). */
export const POLL_JOB = jobKind("reader.poll", z.object({}));
const EVERY_MS = 60_000;
const BUDGET_MS = 20_000;

/**
 * Make sure a poll job is queued (at `runAt`, default now). Idempotent: there is at most one
 * queued poll job; asking again only moves its time.
 */
export async function ensurePollJob(ctx: AppContext, runAt: Date = ctx.now()): Promise<void> {
  try {
    await ctx.jobs.enqueue(POLL_JOB, {}, { uniqueKey: POLL_JOB.name, runAt });
  } catch (err) {
    // Another process enqueued it between our check and insert (unique index): that is the goal.
    ctx.log.debug("poll job not enqueued", { error: String(err) });
  }
}

/**
 * Register the poll job's handler and make sure the chain of poll jobs is running. The returned
 * promise settles once the chain's job is queued, so `liner worker --once` sees it; it never rejects.
 */
export function registerPollJobs(ctx: AppContext): Promise<void> {
  ctx.runner.register(
    handle(POLL_JOB, async (_payload, job) => {
      // Free our unique key first, so the successor below can take it (see JobQueue.releaseKey).
      await ctx.jobs.releaseKey(job.id);
      let more = false;
      try {
        more = (await pollDue(ctx, { budgetMs: BUDGET_MS })).more;
      } finally {
        await ensurePollJob(ctx, new Date(ctx.now().getTime() + (more ? 0 : EVERY_MS)));
      }
    }),
  );
  // Start (or keep) the chain when a worker or server starts; a failure here is retried at the next start.
  return ensurePollJob(ctx).catch(() => {});
}
