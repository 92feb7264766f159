/** STUB (replaced by the sending work): the sending jobs. */
import type { AppContext } from "../../lib/context.ts";

/** Register the sending jobs' handlers. */
export function registerSendJobs(_ctx: AppContext): void {}
