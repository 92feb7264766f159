/**
 * Every module's background job handlers, registered wherever jobs run: `liner serve` (in
 * process), its cluster primary, and `liner worker`. Loaded lazily: a web process that runs
 * no jobs never imports the reader's polling or the mail transport.
 */
import type { AppContext } from "../lib/context.ts";

/** Register all job handlers; settles once the recurring chains (polling, delivery) are queued. */
export async function registerAllJobs(ctx: AppContext): Promise<void> {
  const [{ registerContentJobs }, { registerReaderJobs }, { registerMailJobs }, { registerEventJobs }] =
    await Promise.all([
      import("../content/service.ts"),
      import("../reader/jobs.ts"),
      import("../mail/jobs.ts"),
      import("../events/jobs.ts"),
    ]);
  registerContentJobs(ctx);
  registerEventJobs(ctx);
  await registerReaderJobs(ctx);
  await registerMailJobs(ctx);
  const { registerDigestJobs } = await import("../digest/jobs.ts");
  await registerDigestJobs(ctx);
}
