/**
 * The reader's background jobs (polling, citation indexing, ...). Registered next to the content
 * jobs wherever jobs run: `liner serve` (in-process) and `liner worker`.
 */
import type { AppContext } from "../lib/context.ts";
import { registerDiscoverJobs } from "./discover/jobs.ts";
import { registerPollJobs } from "./sources/jobs.ts";

/** Register every reader job handler on `ctx.runner`; settles once the poll chain is queued. */
export async function registerReaderJobs(ctx: AppContext): Promise<void> {
  registerDiscoverJobs(ctx);
  await registerPollJobs(ctx);
}
