/**
 * What posts led to, for the post's editor ("What it led to") and the admin's post list: outcomes
 * about a post, entered at it or coming after it was read; visits that read 3 or more pages after
 * it; its visitors, where they came from, and its forwards. From the daily counts (today's as of
 * the last few minutes) and the outcomes. An outcome counts for every post read before it, so a
 * list's figures may add up to more than the site's total.
 */
import type { AppContext } from "../lib/context.ts";
import type { PostListItem } from "../lib/module.ts";
import { sayAmount } from "./kinds.ts";
import { insightStore } from "./store.ts";

/** One post's figures. */
export interface PostFigures {
  /** Outcomes by kind. */
  outcomes: Record<string, number>;
  /** What the outcomes recorded with a worth add up to, in cents by currency. */
  worth: Record<string, number>;
  views: number;
  visitors: number;
  /** Visitors who came in at it. */
  entries: number;
  /** Visits that read 3 or more pages after it. */
  deep: number;
  forwards: number;
  /** Its readers' sources, most first (at most 6). */
  sources: { key: string; visitors: number }[];
}

/** The figures of published posts, by id (posts without a path have none). */
export async function postFigures(ctx: AppContext, posts: PostListItem[]): Promise<Map<number, PostFigures>> {
  const out = new Map<number, PostFigures>();
  const published = posts.filter((p): p is PostListItem & { path: string } => p.path !== undefined);
  if (!published.length) return out;
  const store = insightStore(ctx.db);
  const paths = published.map((p) => p.path);
  const [totals, outcomes] = await Promise.all([
    store.pagesTotals(paths),
    store.outcomesOfPosts(
      published.map((p) => p.id),
      paths,
    ),
  ]);
  const read = outcomes.map((o) => ({ ...o, read: pagesOf(o.pages) }));
  for (const p of published) {
    const sum = (dim: string) => totals.find((t) => t.dim === dim && t.key === p.path);
    const byKind: Record<string, number> = {};
    const worth: Record<string, number> = {};
    for (const o of read)
      if (o.post_id === p.id || o.entry_path === p.path || o.read.includes(p.path)) {
        byKind[o.kind] = (byKind[o.kind] ?? 0) + 1;
        if (o.value_cents !== null) {
          const cur = o.currency ?? "";
          worth[cur] = (worth[cur] ?? 0) + o.value_cents;
        }
      }
    const prefix = `${p.path}\t`;
    out.set(p.id, {
      outcomes: byKind,
      worth,
      views: sum("path")?.views ?? 0,
      visitors: sum("path")?.visitors ?? 0,
      entries: sum("entry")?.visitors ?? 0,
      deep: sum("deep")?.visitors ?? 0,
      forwards: byKind.forward ?? 0,
      sources: totals
        .filter((t) => t.dim === "path-source" && t.key.startsWith(prefix))
        .map((t) => ({ key: t.key.slice(prefix.length), visitors: t.visitors }))
        .sort((a, b) => b.visitors - a.visitors)
        .slice(0, 6),
    });
  }
  return out;
}

/** "12,000 EUR and 500 USD"; "" for none. Pure. */
export function sayWorth(worth: Record<string, number> | undefined): string {
  return Object.entries(worth ?? {})
    .map(([cur, cents]) => sayAmount(cents, cur))
    .join(" and ");
}

function pagesOf(json: string): string[] {
  try {
    const v = JSON.parse(json) as unknown;
    return Array.isArray(v) ? v.filter((x): x is string => typeof x === "string") : [];
  } catch {
    return [];
  }
}
