/**
 * The `reader.index-citations` job: enqueued by polling after it inserted items (unique key
 * "reader.index-citations"), it indexes citations past the cursor and re-enqueues itself while
 * more remain.
 */
import type { AppContext } from "../../lib/context.ts";
import { type IndexOptions, indexCitations } from "./service.ts";

export const INDEX_CITATIONS_JOB = "reader.index-citations";

/** Register the citation indexer on `ctx.runner`. */
export function registerDiscoverJobs(ctx: AppContext, opts: IndexOptions = {}): void {
  ctx.runner.register(INDEX_CITATIONS_JOB, async (_payload, job) => {
    const result = await indexCitations(ctx, opts);
    if (!result.more) return;
    // The queue keeps one pending job per unique key and this job is still "running", so
    // enqueueing under its own key would be a no-op: the continuation alternates keys.
    const uniqueKey = job.unique_key === INDEX_CITATIONS_JOB ? `${INDEX_CITATIONS_JOB}:more` : INDEX_CITATIONS_JOB;
    await ctx.jobs.enqueue(INDEX_CITATIONS_JOB, {}, { uniqueKey });
  });
}
