/**
 * What the counts say over a period: visits and views (from the daily rollups; today's as
 * of its last roll-up), the top pages, sources and entry pages, and the outcomes by kind. Outcomes come
 * first in what is shown; visits are context.
 */
import type { AppContext } from "../lib/context.ts";
import { parseDay } from "../lib/time.ts";
import { insightStore } from "./store.ts";

/** A period's figures. */
export interface Stats {
  from: string;
  to: string;
  views: number;
  /** Visitors summed day by day (a reader on two days is two: nobody is followed across days). */
  visitors: number;
  pages: { key: string; views: number; visitors: number }[];
  sources: { key: string; views: number; visitors: number }[];
  entries: { key: string; views: number; visitors: number }[];
  outcomes: Record<string, number>;
}

const dayOf = (iso: string) => iso.slice(0, 10);

/** The figures of [from, to) (days, YYYY-MM-DD; `to` excluded), from the daily counts as they stand. */
export async function statsBetween(ctx: AppContext, from: string, to: string): Promise<Stats> {
  const store = insightStore(ctx.db);
  const [total, pages, sources, entries, outcomes] = await Promise.all([
    store.daily("total", from, to, 1),
    store.daily("path", from, to),
    store.daily("source", from, to),
    store.daily("entry", from, to),
    store.outcomesBetween(`${from}T00:00:00.000Z`, `${to}T00:00:00.000Z`),
  ]);
  const byKind: Record<string, number> = {};
  for (const o of outcomes) byKind[o.kind] = (byKind[o.kind] ?? 0) + 1;
  const num = (n: unknown) => Number(n ?? 0);
  const rows = (rs: { key: string; views: unknown; visitors: unknown }[]) =>
    rs
      .map((r) => ({ key: r.key, views: num(r.views), visitors: num(r.visitors) }))
      // As they are shown: by visitors, most first (then views, then name: ties read the same everywhere).
      .sort((a, b) => b.visitors - a.visitors || b.views - a.views || a.key.localeCompare(b.key));
  return {
    from,
    to,
    views: num(total[0]?.views),
    visitors: num(total[0]?.visitors),
    pages: rows(pages),
    sources: rows(sources),
    entries: rows(entries),
    outcomes: byKind,
  };
}

/** [from, to) for "since DATE" up to and including today. */
export function periodSince(ctx: AppContext, since: string | undefined, days = 30): { from: string; to: string } {
  const now = ctx.now();
  const to = dayOf(new Date(now.getTime() + 86_400_000).toISOString());
  const from = since ?? dayOf(new Date(now.getTime() - (days - 1) * 86_400_000).toISOString());
  return { from, to };
}

/** Is `s` a real calendar day written YYYY-MM-DD (not 2026-02-30, nothing around it)? Pure. */
export function isDay(s: string): boolean {
  return s === s.trim() && parseDay(s) !== null;
}
