/**
 * Related posts ("he has other articles"): published posts that share themes with a post and
 * read alike. Text similarity is an OR full-text query built from the post's most distinctive
 * words (FTS5 bm25 on SQLite, ts_rank on PostgreSQL); theme overlap is counted per candidate.
 * Runs on uncached page renders, so it makes at most three small queries.
 */
import { sql } from "kysely";
import type { Db } from "../lib/db/index.ts";
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
  const k = db.kysely;
  const candidates = new Map<number, Candidate>();
  const terms = distinctiveTerms(post.title, post.body_text);
  const visible = sql`p.status = 'published' AND p.published_at <= ${opts.now} AND p.kind <> 'page' AND p.id <> ${post.id}`;

  if (terms.length) {
    // Better-matching posts first; the text score is made "higher is better" on both databases.
    // SQLite: rank inside FTS alone, then join. (Joined directly, the planner may scan posts by
    // status and rerun the MATCH for every row, which takes seconds on a large site.)
    const rows =
      db.dialect === "sqlite"
        ? await sql<{ id: number; score: number; published_at: string }>`
          SELECT p.id, -f.score AS score, p.published_at
          FROM (SELECT rowid, bm25(posts_fts, 4.0, 2.0, 1.0) AS score FROM posts_fts
                WHERE posts_fts MATCH ${terms.map((t) => `"${t}"`).join(" OR ")} ORDER BY score LIMIT 100) f
          CROSS JOIN posts p ON p.id = f.rowid
          WHERE ${visible} ORDER BY f.score LIMIT 24`.execute(k)
        : await sql<{ id: number; score: number; published_at: string }>`
          SELECT p.id, ts_rank(p.search_tsv, q) AS score, p.published_at
          FROM posts p, to_tsquery('english', ${terms.join(" | ")}) q
          WHERE p.search_tsv @@ q AND ${visible}
          ORDER BY score DESC LIMIT 24`.execute(k);
    const best = Math.max(0, ...rows.rows.map((r) => Number(r.score)));
    for (const r of rows.rows) {
      const text = best > 0 ? Math.max(0, Number(r.score)) / best : 0;
      candidates.set(r.id, { id: r.id, text, shared: 0, published: r.published_at });
    }
  }

  const themeIds = [...new Set(opts.themeIds)];
  if (themeIds.length) {
    // Recent posts of the same themes compete too (and fill in when no text matches).
    const recent = await sql<{ id: number; published_at: string }>`
      SELECT p.id, p.published_at FROM posts p
      WHERE ${visible} AND p.id IN (SELECT post_id FROM post_themes WHERE theme_id IN (${sql.join(themeIds)}))
      ORDER BY p.published_at DESC LIMIT ${limit * 4}`.execute(k);
    for (const r of recent.rows) {
      if (!candidates.has(r.id)) candidates.set(r.id, { id: r.id, text: 0, shared: 0, published: r.published_at });
    }
    if (candidates.size) {
      const shared = await k
        .selectFrom("post_themes")
        .select(["post_id", (eb) => eb.fn.countAll<number>().as("n")])
        .where("post_id", "in", [...candidates.keys()])
        .where("theme_id", "in", themeIds)
        .groupBy("post_id")
        .execute();
      for (const r of shared) {
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
