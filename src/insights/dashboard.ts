/**
 * The dashboard's figures: outcomes this week and this month against the period before, the
 * content and the sources that led to outcomes (not to views), new people (first seen through an
 * outcome in the period, and how many came back with another within 30 days), and visits as
 * context. Visitors can't be recognized from one day to the next (the salt changes daily), so
 * people are known only by their outcomes.
 */
import { postAtPath, postPath } from "../content/index.ts";
import type { AppContext } from "../lib/context.ts";
import type { PostKind } from "../lib/db/schema.ts";
import { countingOn } from "./sink.ts";
import { insightStore, type OutcomeListed } from "./store.ts";

export interface Compared {
  now: number;
  before: number;
}

export interface Dashboard {
  week: Compared;
  month: Compared;
  /** Posts (or pages) by the outcomes they led to, last 30 days. */
  /** Paths (a post's, else the last page read or the entry page), or "(elsewhere)"; a post's title. */
  content: { key: string; n: number; title?: string }[];
  sources: { key: string; n: number }[];
  newPeople: { n: number; cameBack: number };
  visits: { week: Compared };
  /** Whether visits are being counted now. */
  counting: boolean;
  recent: OutcomeListed[];
}

const DAY = 86_400_000;

/** The public path of an outcome's post, if it has one. Pure. */
export const outcomePostPath = (o: { slug: string | null; post_kind: string | null }): string | undefined =>
  o.slug ? postPath({ slug: o.slug, kind: (o.post_kind ?? "article") as PostKind }) : undefined;
const iso = (ms: number) => new Date(ms).toISOString();
const day = (ms: number) => iso(ms).slice(0, 10);

/**
 * What led to an outcome, as one key: its post, else the last post read before it (not the form's
 * page it was made on), else the last page read, else where it entered.
 */
export const contentOf = (o: {
  slug: string | null;
  post_kind: string | null;
  pages: string;
  entry_path: string;
}): string => {
  if (o.slug) return outcomePostPath(o) ?? "";
  const pages = JSON.parse(o.pages) as string[];
  return pages.findLast((p) => p.startsWith("/posts/")) ?? pages.at(-1) ?? (o.entry_path || "(elsewhere)");
};

/** The `n` most frequent keys of `xs` with their counts, most first (ties by name). Pure. */
export function top<T>(xs: T[], keyOf: (x: T) => string, n = 5): [string, number][] {
  const counts = new Map<string, number>();
  for (const x of xs) counts.set(keyOf(x), (counts.get(keyOf(x)) ?? 0) + 1);
  return [...counts.entries()].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0])).slice(0, n);
}

/** The dashboard as of now. */
export async function dashboard(ctx: AppContext): Promise<Dashboard> {
  const now = ctx.now().getTime();
  const store = insightStore(ctx.db);
  const count = (from: number, to: number) => store.countOutcomes(iso(from), iso(to));
  const last30 = await store.outcomesBetween(iso(now - 30 * DAY), iso(now + 1));
  // This week's come from the 30 days' list already read; the periods before are counted.
  const weekNow = last30.filter((o) => o.at >= iso(now - 7 * DAY)).length;
  const [weekBefore, monthBefore] = await Promise.all([
    count(now - 14 * DAY, now - 7 * DAY),
    count(now - 60 * DAY, now - 30 * DAY),
  ]);
  // New people: first outcome within the last 30 days; came back: another within 30 days after it.
  const firsts = await store.firstOutcomes(iso(now - 30 * DAY));
  const later = new Map<string, string[]>();
  for (const o of last30) later.set(o.who, [...(later.get(o.who) ?? []), o.at]);
  let cameBack = 0;
  for (const f of firsts) if ((later.get(f.who) ?? []).some((at) => at > f.at)) cameBack++;
  // Visitors from the daily totals as they stand (today's rolled up by a job every few minutes).
  const visitors = async (from: number, to: number) =>
    Number((await store.daily("total", day(from), day(to), 1))[0]?.visitors ?? 0);
  const [thisWeek, lastWeek] = await Promise.all([
    visitors(now - 6 * DAY, now + DAY),
    visitors(now - 13 * DAY, now - 6 * DAY),
  ]);
  return {
    week: { now: weekNow, before: weekBefore },
    month: { now: last30.length, before: monthBefore },
    content: await Promise.all(
      // Outcomes recorded by hand without a post came from no content read here: not listed.
      top(
        last30.filter((o) => o.kind !== "manual" || o.post_id !== null),
        contentOf,
      ).map(async ([key, n]) => ({ key, n, title: (await postAtPath(ctx, key))?.title })),
    ),
    // Sources of readers: an outcome recorded by hand came from no visit.
    sources: top(
      last30.filter((o) => o.kind !== "manual"),
      (o) => o.source || "direct",
    ).map(([key, n]) => ({ key, n })),
    newPeople: { n: firsts.length, cameBack },
    visits: { week: { now: thisWeek, before: lastWeek } },
    counting: await countingOn(ctx),
    recent: last30.slice(-8).reverse(),
  };
}
