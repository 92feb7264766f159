/**
 * `liner sources add|import-opml|export-opml|poll`: following feeds from the terminal. `poll --once`
 * polls every source once (with a progress bar on a terminal) and prints a summary; without it the
 * command keeps polling what is due until Ctrl-C or SIGTERM, like a worker that only polls.
 */
import fs from "node:fs";
import { CliError, parseCommand, withContext } from "../../lib/cli.ts";
import type { AppContext } from "../../lib/context.ts";
import { ValidationError } from "../../lib/errors.ts";
import type { CliIo, Output } from "../../lib/module.ts";
import { createProgress } from "../../lib/progress.ts";

const plural = (n: number, one: string, many = `${one}s`) => `${n.toLocaleString("en-US")} ${n === 1 ? one : many}`;

/** Turn the user-facing errors of the reader into one-line CLI errors (exit 1). */
async function userErrors<T>(fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (err) {
    if (err instanceof ValidationError) throw new CliError(err.message, 1);
    throw err;
  }
}

export async function sourcesAdd(args: string[], io: CliIo): Promise<number> {
  const { positionals } = parseCommand("sources add", args, {}, ["URL"]);
  const { followSource, AlreadyFollowedError, displayName } = await import("./service.ts");
  return withContext(io, async (ctx) => {
    try {
      const r = await userErrors(() => followSource(ctx, positionals[0]));
      if (r.foundBy === "kind") {
        // Another module's kind of source (a fediverse account): followed there, its posts come as they are published.
        const s = r.source;
        io.stdout.write(
          `Following “${displayName(s)}”\n  account: ${s.remote_id}\n${s.site_url ? `  profile: ${s.site_url}\n` : ""}` +
            `${s.feed_url !== s.remote_id ? `  feed: ${s.feed_url} (read instead while the account does not accept the follow)\n` : ""}` +
            "  Its new posts arrive in the reader as they are published.\n",
        );
        return 0;
      }
      const how = { feed: "", link: " (linked from the page)", path: " (found at a common feed address)" }[r.foundBy];
      io.stdout.write(
        `Following “${displayName(r.source)}”\n  feed: ${r.source.feed_url}${how}\n` +
          `${r.source.site_url ? `  site: ${r.source.site_url}\n` : ""}  ${plural(r.newItems, "item")} stored\n`,
      );
      return 0;
    } catch (err) {
      if (!(err instanceof AlreadyFollowedError)) throw err;
      io.stdout.write(`${err.message}\n`);
      return 0;
    }
  });
}

export async function sourcesImportOpml(args: string[], io: CliIo): Promise<number> {
  const { positionals } = parseCommand("sources import-opml", args, {}, ["FILE"]);
  const file = positionals[0];
  // A missing or unreadable file is reported by the CLI shell in one line ("FILE: no such file").
  const text = fs.readFileSync(file, "utf8");
  const { importOpml } = await import("./opml.ts");
  return withContext(io, async (ctx) => {
    let r: Awaited<ReturnType<typeof importOpml>>;
    try {
      r = await importOpml(ctx, text);
    } catch (err) {
      if (err instanceof ValidationError) throw new CliError(`${file}: ${err.message}`, 1);
      throw err;
    }
    io.stdout.write(
      `Imported ${plural(r.added, "source")} and ${plural(r.folders, "new folder")} from ${file}; ` +
        `skipped ${plural(r.duplicates, "feed")} already followed` +
        `${r.skipped ? ` and ${plural(r.skipped, "outline")} that ${r.skipped === 1 ? "is not a feed" : "are not feeds"}` : ""}.\n`,
    );
    if (r.added)
      io.stdout.write("They are polled by `liner serve` or `liner worker`, or now with `liner sources poll --once`.\n");
    return 0;
  });
}

export async function sourcesExportOpml(args: string[], io: CliIo): Promise<number> {
  parseCommand("sources export-opml", args, {});
  const { exportOpml } = await import("./opml.ts");
  return withContext(io, async (ctx) => {
    io.stdout.write(await exportOpml(ctx));
    return 0;
  });
}

type Summary = Awaited<ReturnType<typeof import("./poll.ts").pollDue>>;

function summaryLine(s: Summary, ms: number): string {
  return (
    `Polled ${plural(s.polled, "source")} in ${(ms / 1000).toFixed(1)} s: ${s.fetched.toLocaleString("en-US")} fetched, ` +
    `${s.notModified.toLocaleString("en-US")} not modified, ${plural(s.newItems, "new item")}, ${plural(s.errors, "error")}.`
  );
}

function printFailures(stderr: Output, s: Summary, limit = 10): void {
  for (const f of s.failures.slice(0, limit)) stderr.write(`  ${f.feedUrl}: ${f.message}\n`);
  if (s.errors > limit) stderr.write(`  … and ${s.errors - limit} more (see /admin/sources)\n`);
}

export async function sourcesPoll(args: string[], io: CliIo): Promise<number | "running"> {
  const { values } = parseCommand("sources poll", args, { once: { type: "boolean" } });
  const { pollDue } = await import("./poll.ts");
  const { sourceStore } = await import("./store.ts");
  const ctx = await io.openContext({ inProcessJobs: false });
  if (values.once) {
    try {
      const store = sourceStore(ctx.db);
      const now = ctx.now().toISOString();
      await store.markAllDue(now);
      const total = await store.countDue(now);
      const bar = createProgress("Polling", total, io.stderr);
      const started = performance.now();
      const s = await pollDue(ctx, { onProgress: (n) => bar.update(n) });
      bar.finish();
      io.stdout.write(`${summaryLine(s, performance.now() - started)}\n`);
      if (s.errors) printFailures(io.stderr, s);
      return 0;
    } finally {
      await io.closeContext(ctx);
    }
  }
  return pollForever(io, ctx, pollDue);
}

/** Poll what is due, sleep until the next source is due (at most 30 s), repeat until a signal. */
async function pollForever(io: CliIo, ctx: AppContext, pollDue: typeof import("./poll.ts").pollDue) {
  const { sourceStore } = await import("./store.ts");
  const stop = new AbortController();
  let wake: (() => void) | null = null;
  const onSignal = () => {
    if (stop.signal.aborted) process.exit(1); // a second Ctrl-C: don't wait any longer
    stop.abort();
    wake?.();
  };
  process.on("SIGINT", onSignal);
  process.on("SIGTERM", onSignal);
  io.stdout.write(`Polling sources (pid ${process.pid}); Ctrl-C to stop.\n`);
  void (async () => {
    try {
      while (!stop.signal.aborted) {
        const started = performance.now();
        const s = await pollDue(ctx, { signal: stop.signal });
        if (s.polled) {
          io.stdout.write(`${new Date().toISOString()} ${summaryLine(s, performance.now() - started)}\n`);
          if (s.errors) printFailures(io.stderr, s, 3);
        }
        if (stop.signal.aborted || s.more) continue;
        const next = await sourceStore(ctx.db).nextDueAt();
        const wait = next ? Math.min(30_000, Math.max(1000, Date.parse(next) - ctx.now().getTime())) : 30_000;
        await new Promise<void>((resolve) => {
          const t = setTimeout(resolve, wait);
          wake = () => {
            clearTimeout(t);
            resolve();
          };
        });
      }
    } catch (err) {
      io.stderr.write(`liner: ${err instanceof Error ? err.message : String(err)}\n`);
      process.exitCode = 1;
    } finally {
      // The pass in hand finished storing what it fetched, so nothing is left half done.
      await io.closeContext(ctx);
      process.exit(process.exitCode ?? 0);
    }
  })();
  return "running" as const;
}
