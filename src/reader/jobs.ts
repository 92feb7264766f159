/**
 * The reader's background jobs (polling, citation indexing, ...). Registered next to the content
 * jobs wherever jobs run: `liner serve` (in-process) and `liner worker`.
 */
import type { AppContext } from "../lib/context.ts";

/** Register every reader job handler on `ctx.runner`. */
export function registerReaderJobs(_ctx: AppContext): void {
  // Parts register themselves below, e.g. `registerPollJobs(ctx);`.
}
