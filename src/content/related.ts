/**
 * Related posts ("he has other articles"): published posts that share themes with a post and
 * read alike. Text similarity is an OR full-text query built from the post's most distinctive
 * words (FTS5 bm25 on SQLite, ts_rank on PostgreSQL); theme overlap is counted per candidate.
 * Runs on uncached page renders, so it makes at most three small queries.
 */
import type { Db } from "../lib/db/index.ts";
import { searchStore } from "./search-store.ts";
import type { PostRow } from "./store.ts";

/** Common English words that say nothing about a post's subject. */
const STOPWORDS = new Set(
  (
    "a about above after again against all also am an and any are aren as at be because been before being below " +
    "between both but by can cannot could did do does doing don down during each even ever every few for from " +
    "further get gets got had has have having he her here hers herself him himself his how however i if in into " +
    "is isn it its itself just let like made make makes many may me might more most much must my myself need new " +
    "no nor not now of off often on once one only or other our ours ourselves out over own per put quite rather " +
    "really said same say says see she should since so some still such than that the their theirs them " +
    "themselves then there these they thing things this those though through thus to too two under until up upon " +
    "us use used using very via want was way we well were what when where whether which while who whom whose why " +
    "will with within without won would yes yet you your yours yourself yourselves also back first last time " +
    "good great know think going take well year years day days people work"
  ).split(" "),
);

/**
 * The post's most distinctive terms: frequent words that are not stopwords, title words counted
 * three times. Pure.
 */
export function distinctiveTerms(title: string, text: string, max = 8): string[] {
  const counts = new Map<string, number>();
  const add = (s: string, weight: number) => {
    for (const w of s.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? []) {
      if (w.length < 3 || w.length > 40 || STOPWORDS.has(w) || /^\d+$/.test(w)) continue;
      counts.set(w, (counts.get(w) ?? 0) + weight);
    }
  };
  add(title, 3);
  // A long body's first 20,000 characters are plenty to find its subject.
  add(text.slice(0, 20_000), 1);
  return [...counts]
    .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))
    .slice(0, max)
    .map(([w]) => w);
}

export interface RelatedOptions {
  /** ISO time: only posts published at or before it. */
  now: string;
  /** Theme ids of the post. */
  themeIds: number[];
  limit?: number;
}

interface Candidate {
  id: number;
  text: number;
  shared: number;
  published: string;
}

/**
 * Ids of up to `limit` related published posts (never the post itself, never pages), best first.
 * Score: share of the post's themes in common (0..1) plus text similarity normalised to 0..1;
 * ties go to the newer post. Without similar text, recent posts of the same themes fill in.
 */
export async function relatedPostIds(
  db: Db,
  post: Pick<PostRow, "id" | "title" | "body_text">,
  opts: RelatedOptions,
): Promise<number[]> {
  const limit = opts.limit ?? 3;
  const store = searchStore(db);
  const candidates = new Map<number, Candidate>();
  const terms = distinctiveTerms(post.title, post.body_text);

  if (terms.length) {
    // Better-matching posts first; the text score is "higher is better" on both databases.
    const rows = await store.textNeighbours(post.id, opts.now, terms);
    const best = Math.max(0, ...rows.map((r) => Number(r.score)));
    for (const r of rows) {
      const text = best > 0 ? Math.max(0, Number(r.score)) / best : 0;
      candidates.set(r.id, { id: r.id, text, shared: 0, published: r.published_at });
    }
  }

  const themeIds = [...new Set(opts.themeIds)];
  if (themeIds.length) {
    // Recent posts of the same themes compete too (and fill in when no text matches).
    for (const r of await store.recentInThemes(post.id, opts.now, themeIds, limit * 4)) {
      if (!candidates.has(r.id)) candidates.set(r.id, { id: r.id, text: 0, shared: 0, published: r.published_at });
    }
    if (candidates.size) {
      for (const r of await store.sharedThemes([...candidates.keys()], themeIds)) {
        const c = candidates.get(r.post_id);
        if (c) c.shared = Number(r.n) / themeIds.length;
      }
    }
  }

  return [...candidates.values()]
    .sort((a, b) => b.shared + b.text - (a.shared + a.text) || (a.published < b.published ? 1 : -1))
    .slice(0, limit)
    .map((c) => c.id);
}
