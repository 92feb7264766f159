/**
 * Every module's background job handlers, registered wherever jobs run: `liner serve` (in
 * process), its cluster primary, and `liner worker`. Loaded lazily: a web process that runs
 * no jobs never imports the reader's polling or the mail transport.
 */
import type { AppContext } from "../lib/context.ts";
import { modules } from "../modules.ts";

/** Register all job handlers; settles once the recurring chains (polling, delivery) are queued. */
export async function registerAllJobs(ctx: AppContext): Promise<void> {
  const registrars = await Promise.all(modules.map((m) => m.jobs?.()));
  for (const register of registrars) await register?.(ctx);
}
