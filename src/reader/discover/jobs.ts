/**
 * The `reader.index-citations` job: enqueued by polling after it inserted items (unique key
 * "reader.index-citations"), it indexes citations past the cursor and re-enqueues itself while
 * more remain.
 */
import type { AppContext } from "../../lib/context.ts";
import { handle } from "../../lib/jobs/kinds.ts";
import { INDEX_CITATIONS_JOB } from "../sources/poll.ts";
import { type IndexOptions, indexCitations } from "./service.ts";

export { INDEX_CITATIONS_JOB };

/** Register the citation indexer on `ctx.runner`. */
export function registerDiscoverJobs(ctx: AppContext, opts: IndexOptions = {}): void {
  ctx.runner.register(
    handle(INDEX_CITATIONS_JOB, async (_payload, job) => {
      const result = await indexCitations(ctx, opts);
      if (!result.more) return;
      // The queue keeps one pending job per unique key and this job is still "running", so
      // enqueueing under its own key would be a no-op: the continuation alternates keys.
      const key = INDEX_CITATIONS_JOB.name;
      const uniqueKey = job.unique_key === key ? `${key}:more` : key;
      await ctx.jobs.enqueue(INDEX_CITATIONS_JOB, {}, { uniqueKey });
    }),
  );
}
