/** `liner worker`: background jobs without the web server. */
import { parseCommand } from "../../lib/cli.ts";
import type { CliIo } from "../../lib/module.ts";
import { writePidFile } from "../../lib/pid-file.ts";

/** Run jobs until SIGINT/SIGTERM, or with --once only those due now. */
export async function worker(args: string[], io: CliIo): Promise<number | "running"> {
  const { values } = parseCommand("worker", args, { once: { type: "boolean" } });
  const ctx = await io.openContext({ inProcessJobs: false });
  const closeContext = io.closeContext;
  await (await import("../jobs.ts")).registerAllJobs(ctx);
  if (values.once) {
    try {
      const n = await ctx.runner.drain();
      io.stdout.write(`Ran ${n} job${n === 1 ? "" : "s"}.\n`);
      return 0;
    } finally {
      await closeContext(ctx);
    }
  }
  ctx.runner.start();
  writePidFile(ctx.config.dataDir, "worker");
  let stopping = false;
  const stop = async () => {
    if (stopping) process.exit(1);
    stopping = true;
    // stop() waits for the batch in hand, so no job is left half done.
    await closeContext(ctx);
    process.exit(0);
  };
  process.on("SIGINT", () => void stop());
  process.on("SIGTERM", () => void stop());
  // Announce only once the signal handlers are in place, so a supervisor's SIGTERM is never lost.
  io.stdout.write(`Liner worker running (pid ${process.pid}); Ctrl-C to stop.\n`);
  return "running";
}
