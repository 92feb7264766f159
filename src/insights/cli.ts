/** `liner stats` and `liner outcomes`: the figures and the outcomes of a period, as text or JSON. */
import { CliError, lineWriter, parseCommand, UsageError, withContext } from "../lib/cli.ts";
import type { CliIo } from "../lib/module.ts";
import { experimentResults, sayComparison, startExperiment, stopExperiment } from "./experiments.ts";
import { sayAmount } from "./kinds.ts";
import { rollToday } from "./rollup.ts";
import { isDay, periodSince, statsBetween } from "./stats.ts";
import { insightStore } from "./store.ts";

function sinceOf(raw: unknown, command: string): string | undefined {
  if (raw === undefined) return undefined;
  if (typeof raw !== "string" || !isDay(raw))
    throw new UsageError(`--since takes a date such as 2026-11-01 (got “${String(raw)}”)`, command);
  if (raw > new Date(Date.now() + 86_400_000).toISOString().slice(0, 10))
    throw new UsageError(`--since ${raw} is still to come: give a day up to today`, command);
  return raw;
}

/** `liner stats [--since DATE] [--json]`. */
export async function statsCommand(args: string[], io: CliIo): Promise<number> {
  const { values } = parseCommand("stats", args, { since: { type: "string" }, json: { type: "boolean" } }, []);
  const since = sinceOf(values.since, "stats");
  return withContext(io, async (ctx) => {
    const { from, to } = periodSince(ctx, since);
    await rollToday(ctx); // today's counts as of now (the job rolls them up every few minutes)
    const s = await statsBetween(ctx, from, to);
    const say = lineWriter(io.stdout);
    if (values.json) {
      // `from` and `to` are the first and the last day counted (today, unless the clock says otherwise).
      const last = new Date(Date.parse(`${to}T00:00:00Z`) - 86_400_000).toISOString().slice(0, 10);
      say(JSON.stringify({ ...s, to: last }));
      return 0;
    }
    const kinds = Object.entries(s.outcomes);
    const n = kinds.reduce((sum, [, c]) => sum + c, 0);
    say(`From ${from} to today: ${n} outcome${n === 1 ? "" : "s"}`);
    for (const [kind, n] of kinds.sort((a, b) => b[1] - a[1])) say(`  ${String(n).padStart(6)}  ${kind}`);
    say(`Visits: ${s.visitors} visitors (counted day by day), ${s.views} page views`);
    const list = (title: string, rows: { key: string; views: number; visitors: number }[]) => {
      if (!rows.length) return;
      say(title);
      for (const r of rows) say(`  ${String(r.visitors).padStart(6)}  ${r.key || "(none)"}`);
    };
    // The top ten of each (stats.ts): said, so that nobody takes them for all.
    list("Sources (visitors, the top 10):", s.sources);
    list("Entry pages (visits, the top 10):", s.entries);
    list("Pages (visitors, the top 10):", s.pages);
    return 0;
  });
}

/** `liner outcomes [--since DATE] [--json]`: one line (or JSON object) per outcome, oldest first. */
export async function outcomesCommand(args: string[], io: CliIo): Promise<number> {
  const { values } = parseCommand("outcomes", args, { since: { type: "string" }, json: { type: "boolean" } }, []);
  const since = sinceOf(values.since, "outcomes");
  return withContext(io, async (ctx) => {
    const { from, to } = periodSince(ctx, since);
    const rows = await insightStore(ctx.db).outcomesBetween(`${from}T00:00:00.000Z`, `${to}T00:00:00.000Z`);
    const say = lineWriter(io.stdout);
    for (const o of rows) {
      const pages = JSON.parse(o.pages) as string[];
      if (values.json)
        say(
          JSON.stringify({
            kind: o.kind,
            at: o.at,
            post: o.slug ?? null,
            entry_path: o.entry_path,
            source: o.source,
            pages,
            note: o.note,
            value: o.value_cents === null ? null : { cents: o.value_cents, currency: o.currency },
          }),
        );
      else
        say(
          `${o.at.slice(0, 16).replace("T", " ")}  ${o.kind.padEnd(12)} ${o.slug ?? "-"}  ${o.attributed_at ? `from ${o.source || "?"} via ${o.entry_path || "?"}` : "(its visit is read within seconds)"}${pages.length > 1 ? ` (${pages.length} pages)` : ""}${o.note ? `  ${o.note}` : ""}${o.value_cents !== null ? `  (${sayAmount(o.value_cents, o.currency)})` : ""}`,
        );
    }
    if (!values.json && !rows.length) say(`No outcomes since ${from}.`);
    return 0;
  });
}

/** `liner experiments list [--json]`. */
export async function experimentsList(args: string[], io: CliIo): Promise<number> {
  const { values } = parseCommand("experiments list", args, { json: { type: "boolean" } }, []);
  return withContext(io, async (ctx) => {
    const say = lineWriter(io.stdout);
    await rollToday(ctx);
    const all = await experimentResults(ctx);
    for (const e of all) {
      if (values.json) say(JSON.stringify(e));
      else {
        say(
          `${e.id}  ${e.start} – ${e.end}${e.running ? " (running)" : e.planned ? " (planned)" : ""}  ${e.channel}: ${e.hypothesis}`,
        );
        if (e.planned) say(`    begins on ${e.start}: nothing to compare yet`);
        else {
          say(`    outcomes ${sayComparison(e.outcomes)}`);
          say(`    visitors ${sayComparison(e.visitors)}`);
        }
      }
    }
    if (!values.json && !all.length) say("No experiments yet (liner experiments start …).");
    return 0;
  });
}

/** `liner experiments start --hypothesis TEXT --channel TEXT --start DATE --end DATE`. */
export async function experimentsStart(args: string[], io: CliIo): Promise<number> {
  const { values } = parseCommand(
    "experiments start",
    args,
    {
      hypothesis: { type: "string" },
      channel: { type: "string" },
      start: { type: "string" },
      end: { type: "string" },
    },
    [],
  );
  for (const k of ["hypothesis", "channel", "end"] as const)
    if (typeof values[k] !== "string") throw new UsageError(`missing --${k}`, "experiments start");
  for (const k of ["start", "end"] as const)
    if (values[k] !== undefined && !isDay(String(values[k])))
      throw new UsageError(`--${k} takes a date such as 2026-12-07 (got “${String(values[k])}”)`, "experiments start");
  return withContext(io, async (ctx) => {
    const start = typeof values.start === "string" ? values.start : ctx.now().toISOString().slice(0, 10);
    const id = await startExperiment(ctx, {
      hypothesis: String(values.hypothesis),
      channel: String(values.channel),
      start,
      end: String(values.end),
    });
    lineWriter(io.stdout)(`Started experiment ${id}: ${start} to ${String(values.end)}.`);
    return 0;
  });
}

/** `liner experiments stop ID`. */
export async function experimentsStop(args: string[], io: CliIo): Promise<number> {
  const { positionals } = parseCommand("experiments stop", args, {}, ["ID"]);
  const raw = positionals[0];
  if (!/^\d{1,9}$/.test(raw ?? ""))
    throw new UsageError(`ID must be an experiment's number (got “${raw ?? ""}”)`, "experiments stop");
  return withContext(io, async (ctx) => {
    const done = await stopExperiment(ctx, Number(raw));
    if (!done) throw new CliError(`There is no running experiment ${raw} (liner experiments list shows them).`);
    lineWriter(io.stdout)(
      done === "cancelled"
        ? `Cancelled experiment ${raw}: it had not begun.`
        : `Stopped experiment ${raw}; today is its last day.`,
    );
    return 0;
  });
}
