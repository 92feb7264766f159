/**
 * The story over time: per month and theme, the posts, saves, digest entries and copies elsewhere
 * (the last 12 months); the balance of the posts against the themes the owner stands for (those
 * not marked secondary); and the publishing cadence, with streaks of weeks that had a post.
 */
import { allThemes } from "../content/index.ts";
import type { AppContext } from "../lib/context.ts";
import type { Row } from "./chart.ts";
import { insightStore } from "./store.ts";
import { type MonthCount, storyStore } from "./story-store.ts";

export const STORY_KINDS = {
  posts: "Posts",
  saves: "Saves",
  digestEntries: "Digest entries",
  copies: "Copies elsewhere",
} as const;
export type StoryKind = keyof typeof STORY_KINDS;

export interface Story {
  months: string[];
  /** Theme names, in the order of the charts' series. */
  series: string[];
  rows: Record<StoryKind, Row[]>;
  /** Posts of the 12 months on the themes the owner stands for, and all of them. */
  balance: { onTheme: number; all: number; secondary: string[] };
  cadence: { postsPerMonth: number; currentStreak: number; longestStreak: number; weeksWithPosts: number };
}

/** The ids of the themes the owner marked secondary. */
export async function secondaryThemes(ctx: AppContext): Promise<number[]> {
  try {
    const v = JSON.parse((await insightStore(ctx.db).setting("secondary_themes")) ?? "[]");
    return Array.isArray(v) ? v.filter((x) => Number.isInteger(x)) : [];
  } catch {
    return [];
  }
}

/** The last `n` months, oldest first (YYYY-MM). Pure. */
export function lastMonths(now: Date, n: number): string[] {
  return Array.from({ length: n }, (_, i) => {
    const d = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - (n - 1 - i), 1));
    return d.toISOString().slice(0, 7);
  });
}

/** Weeks (Monday-based, counted from the epoch) of the days given. Pure. */
const weekOf = (day: string) => Math.floor((Date.parse(day) / 86_400_000 + 3) / 7);

/** Streaks of weeks with a post: the current one (this week or last) and the longest. Pure. */
export function streaks(days: string[], today: string): { current: number; longest: number; weeks: number } {
  const weeks = [...new Set(days.map(weekOf))].sort((a, b) => a - b);
  let longest = 0;
  let run = 0;
  for (let i = 0; i < weeks.length; i++) {
    run = i > 0 && weeks[i] === weeks[i - 1] + 1 ? run + 1 : 1;
    longest = Math.max(longest, run);
  }
  const now = weekOf(today);
  const last = weeks.at(-1);
  const current = last !== undefined && last >= now - 1 ? run : 0;
  return { current, longest, weeks: weeks.length };
}

/** The story of the last 12 months. */
export async function storyOf(ctx: AppContext): Promise<Story> {
  const months = lastMonths(ctx.now(), 12);
  const from = months[0];
  const s = storyStore(ctx.db);
  const [themes, secondary, posts, saves, digestEntries, copies, days] = await Promise.all([
    allThemes(ctx),
    secondaryThemes(ctx),
    s.posts(from),
    s.saves(from),
    s.digestEntries(from),
    s.copies(from),
    s.publishedDays(),
  ]);
  const name = new Map(themes.map((t) => [t.id, t.name]));
  const series = themes.map((t) => t.name);
  const toRows = (counts: MonthCount[]): Row[] =>
    months.map((month) => {
      const row: Row = { month };
      for (const t of series) row[t] = 0;
      for (const c of counts)
        if (c.month === month && name.has(c.theme_id))
          row[name.get(c.theme_id) as string] = Number(row[name.get(c.theme_id) as string]) + Number(c.n);
      return row;
    });
  const onTheme = posts.filter((p) => !secondary.includes(p.theme_id)).reduce((n, p) => n + Number(p.n), 0);
  const inRange = days.filter((d) => d >= `${from}-01`);
  const st = streaks(days, ctx.now().toISOString().slice(0, 10));
  return {
    months,
    series,
    rows: { posts: toRows(posts), saves: toRows(saves), digestEntries: toRows(digestEntries), copies: toRows(copies) },
    balance: {
      onTheme,
      all: posts.reduce((n, p) => n + Number(p.n), 0),
      secondary: themes.filter((t) => secondary.includes(t.id)).map((t) => t.name),
    },
    cadence: {
      postsPerMonth: inRange.length / 12,
      currentStreak: st.current,
      longestStreak: st.longest,
      weeksWithPosts: st.weeks,
    },
  };
}
