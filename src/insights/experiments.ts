/**
 * Experiments: a hypothesis tried on a channel for a while ("post on LinkedIn twice a week", three
 * weeks), judged by what happened during it against the same length just before: outcomes and
 * visitors, each as a rate ratio with a 90% interval (Poisson counts, the usual log-ratio interval),
 * or "too few to tell" when the two periods together have fewer than MIN_EVENTS. Past ones stay as
 * a log of what worked.
 */
import type { AppContext } from "../lib/context.ts";
import { ValidationError } from "../lib/errors.ts";
import { isDay, statsBetween } from "./stats.ts";
import { insightStore } from "./store.ts";

/** The earliest day anything may be dated (an older one is a typo more likely than not). */
export const EARLIEST_DAY = "1990-01-01";

/** Fewer events than this in both periods together: the ratio says nothing yet. */
export const MIN_EVENTS = 10;
const Z90 = 1.6449;
const DAY = 86_400_000;

/** A comparison of one count, during against before. Pure. */
export interface Comparison {
  during: number;
  before: number;
  /** during / before, and its 90% interval; undefined when too few to tell. */
  ratio?: { value: number; low: number; high: number };
  /** The time before began before counting did (that day, or "" when nothing is counted yet). */
  countingBegan?: string;
}

/** The rate ratio of two counts over equal times, with its 90% interval (0.5 added to a zero). Pure. */
export function compare(during: number, before: number): Comparison {
  if (during + before < MIN_EVENTS) return { during, before };
  const a = during || 0.5;
  const b = before || 0.5;
  const log = Math.log(a / b);
  const se = Math.sqrt(1 / a + 1 / b);
  return { during, before, ratio: { value: a / b, low: Math.exp(log - Z90 * se), high: Math.exp(log + Z90 * se) } };
}

/** Start one; its id. Dates are days (YYYY-MM-DD), the end included. */
export async function startExperiment(
  ctx: AppContext,
  input: { hypothesis: string; channel: string; start: string; end: string },
): Promise<number> {
  const hypothesis = input.hypothesis.trim();
  const channel = input.channel.trim();
  if (!hypothesis) throw new ValidationError("Say what you expect (the hypothesis).", { field: "hypothesis" });
  if (!channel) throw new ValidationError("Say what you will do, and where (the channel).", { field: "channel" });
  for (const [field, v] of [
    ["start", input.start],
    ["end", input.end],
  ] as const)
    if (!isDay(v)) throw new ValidationError(`The ${field} must be a date such as 2026-12-07 (got “${v}”).`, { field });
    else if (v < EARLIEST_DAY)
      throw new ValidationError(`That is before ${EARLIEST_DAY}: is the year right?`, { field });
  if (input.end < input.start) throw new ValidationError("The end comes before the start.", { field: "end" });
  const store = insightStore(ctx.db);
  const same = (await store.experiments()).find(
    (e) =>
      !e.stopped_on &&
      sameText(e.hypothesis) === sameText(hypothesis.slice(0, 500)) &&
      sameText(e.channel) === sameText(channel.slice(0, 200)) &&
      e.starts_on === input.start &&
      e.ends_on === input.end,
  );
  if (same)
    throw new ValidationError(`That experiment is running already (number ${same.id}).`, { field: "hypothesis" });
  return store.addExperiment({
    hypothesis: hypothesis.slice(0, 500),
    channel: channel.slice(0, 200),
    starts_on: input.start,
    ends_on: input.end,
    stopped_on: null,
    created_at: ctx.now().toISOString(),
  });
}

/**
 * Stop one early (today is its last day); one that has not begun yet is cancelled (removed).
 * Undefined when there is none running or planned with that id.
 */
export async function stopExperiment(ctx: AppContext, id: number): Promise<"stopped" | "cancelled" | undefined> {
  const store = insightStore(ctx.db);
  const today = ctx.now().toISOString().slice(0, 10);
  const e = await store.experiment(id);
  if (e && !e.stopped_on && e.starts_on > today) {
    await store.deleteExperiment(id);
    return "cancelled";
  }
  return (await store.stopExperiment(id, today)) ? "stopped" : undefined;
}

/** Fold case and spaces, so that the same experiment typed again is recognized. Pure. */
const sameText = (s: string) => s.trim().replace(/\s+/g, " ").toLowerCase();

/** An experiment with its comparison so far. */
export interface ExperimentResult {
  id: number;
  hypothesis: string;
  channel: string;
  start: string;
  /** The last day (its end, or the day it was stopped). */
  end: string;
  /** Between its start and end, and not stopped. */
  running: boolean;
  /** Not begun yet (nothing to compare). */
  planned: boolean;
  outcomes: Comparison;
  visitors: Comparison;
}

/** Every experiment, newest first, each compared with the same number of days just before it. */
export async function experimentResults(ctx: AppContext): Promise<ExperimentResult[]> {
  const today = ctx.now().toISOString().slice(0, 10);
  const out: ExperimentResult[] = [];
  const store = insightStore(ctx.db);
  const began = (await store.firstCountedDay()) ?? "";
  for (const e of await store.experiments()) {
    const end = e.stopped_on && e.stopped_on < e.ends_on ? e.stopped_on : e.ends_on;
    // So far: a running one is compared up to today, against as many days before its start.
    const last = end < today ? end : today;
    const days = Math.max(1, Math.round((Date.parse(last) - Date.parse(e.starts_on)) / DAY) + 1);
    const after = (d: string, n: number) => new Date(Date.parse(d) + n * DAY).toISOString().slice(0, 10);
    const [during, before] = await Promise.all([
      statsBetween(ctx, e.starts_on, after(last, 1)),
      statsBetween(ctx, after(e.starts_on, -days), e.starts_on),
    ]);
    const sum = (o: Record<string, number>) => Object.values(o).reduce((a, b) => a + b, 0);
    // Nothing was counted for part of the time before: no verdict against an empty stretch.
    const unknown = !began || after(e.starts_on, -days) < began;
    const judge = (d: number, b: number): Comparison =>
      unknown ? { during: d, before: b, countingBegan: began } : compare(d, b);
    out.push({
      id: e.id,
      hypothesis: e.hypothesis,
      channel: e.channel,
      start: e.starts_on,
      end,
      running: !e.stopped_on && today >= e.starts_on && today <= end,
      planned: !e.stopped_on && today < e.starts_on,
      outcomes: judge(sum(during.outcomes), sum(before.outcomes)),
      visitors: judge(during.visitors, before.visitors),
    });
  }
  return out;
}

/** A comparison in words. Pure. */
export function sayComparison(c: Comparison): string {
  if (c.countingBegan !== undefined)
    return `${c.during} during; nothing to compare with: ${c.countingBegan ? `counting began on ${c.countingBegan}, within the time before` : "nothing is counted yet"}`;
  if (!c.ratio) return `${c.during} against ${c.before} before: too few to tell (under ${MIN_EVENTS} in all)`;
  const r = c.ratio;
  const f = (x: number) => x.toFixed(2);
  const verdict = r.low > 1 ? "more" : r.high < 1 ? "fewer" : "no clear difference";
  return `${c.during} against ${c.before} before: ×${f(r.value)} (90% interval ${f(r.low)}–${f(r.high)}): ${verdict}`;
}
