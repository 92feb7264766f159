/** `liner worker`: background jobs without the web server. */
import { closeContext } from "../../lib/context.ts";
import { parseCommand } from "../args.ts";
import { openContext } from "../context.ts";
import { printHelp } from "../usage.ts";

/** Run jobs until SIGINT/SIGTERM, or with --once only those due now. */
export async function worker(args: string[]): Promise<number | "running"> {
  const { values, help } = parseCommand("worker", args, { once: { type: "boolean" } });
  if (help) return printHelp("worker");
  const ctx = await openContext({ inProcessJobs: false });
  await (await import("../jobs.ts")).registerAllJobs(ctx);
  if (values.once) {
    try {
      const n = await ctx.runner.drain();
      process.stdout.write(`Ran ${n} job${n === 1 ? "" : "s"}.\n`);
      return 0;
    } finally {
      await closeContext(ctx);
    }
  }
  ctx.runner.start();
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
  process.stdout.write(`Liner worker running (pid ${process.pid}); Ctrl-C to stop.\n`);
  return "running";
}
