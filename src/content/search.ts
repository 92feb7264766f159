/**
 * Full-text search over posts: FTS5 with bm25 on SQLite, tsvector with ts_rank on PostgreSQL.
 * Both return the same shape, with snippets whose matches are wrapped in <mark> and the rest escaped.
 */
import { sql } from "kysely";
import type { Db } from "../lib/db/index.ts";
import type { PostKind } from "../lib/db/schema.ts";
import { textSnippet } from "./snippet.ts";
import type { PostRow } from "./store.ts";

export interface SearchQuery {
  q: string;
  kind?: PostKind;
  themeId?: number;
  /** Include drafts and scheduled posts (admin search). */
  includeUnpublished?: boolean;
  /** Only posts published at or before this ISO time (public search). */
  publishedBefore?: string;
  limit?: number;
  offset?: number;
  /** Override RANK_CAP (tests). */
  rankCap?: number;
}

export interface SearchHit {
  post: PostRow;
  /** Safe HTML: escaped text with <mark> around matches. */
  snippet: string;
  rank: number;
}

export interface SearchResult {
  /** Matches after filters; a lower bound when `moreThan` is set. */
  total: number;
  /** True when the query matched more than RANK_CAP posts and `total` counts only the ranked ones. */
  moreThan?: boolean;
  hits: SearchHit[];
}

/** Past this many matches, only the newest this many are ranked (see searchPosts). */
export const RANK_CAP = 500;

const OPEN = "\uE000";
const CLOSE = "\uE001";

/** Words of a user query, lowercased, without FTS operators. Pure. */
export function queryTerms(q: string): string[] {
  return (q.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? []).slice(0, 12);
}

/**
 * FTS5 MATCH expression: every term required. Pure. No prefix matching: a submitted search is
 * made of whole words, stemming already matches their forms, and a short prefix ("man*")
 * merges thousands of terms (it made some searches take over a second on 100,000 posts).
 */
export function fts5Query(terms: string[]): string {
  return terms.map((t) => `"${t}"`).join(" ");
}

/** Escape text for HTML, turning the private-use markers into <mark>. Pure. */
export function markSnippet(raw: string): string {
  const escaped = raw.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");
  return escaped.replaceAll(OPEN, "<mark>").replaceAll(CLOSE, "</mark>");
}

/** Run a search. An empty query returns no hits. */
export async function searchPosts(db: Db, query: SearchQuery): Promise<SearchResult> {
  const terms = queryTerms(query.q);
  if (terms.length === 0) return { total: 0, hits: [] };
  const limit = query.limit ?? 20;
  const offset = query.offset ?? 0;
  const filters = [
    query.includeUnpublished ? sql`1=1` : sql`p.status = 'published'`,
    query.publishedBefore ? sql`p.published_at <= ${query.publishedBefore}` : sql`1=1`,
    query.kind ? sql`p.kind = ${query.kind}` : sql`1=1`,
    query.themeId !== undefined
      ? sql`p.id IN (SELECT post_id FROM post_themes WHERE theme_id = ${query.themeId})`
      : sql`1=1`,
  ];
  const where = sql.join(filters, sql` AND `);
  const cap = query.rankCap ?? RANK_CAP;
  if (db.dialect === "sqlite") {
    // bm25 costs a few µs per matching row, so a very common word (matched by most posts) would
    // be scored tens of thousands of times: only the newest `cap` matches are ranked. FTS5 walks
    // its index backwards by rowid and stops there (a `rowid >= x` bound, by contrast, still read
    // every match). Scored inside the FTS table first (materialized, so bm25 stays in its own
    // context), then filtered, keeping the top ids; full rows are fetched for those ids only.
    // `matched` is the slice's size: when it reached the cap there are more matches than were
    // ranked, and the window count (after filters) is a lower bound.
    const ranked = await sql<{ id: number; rank: number; total: number; matched: number }>`
      WITH hits AS MATERIALIZED (
        SELECT rowid AS id, bm25(posts_fts, 10.0, 4.0, 1.0) AS rank FROM posts_fts
        WHERE posts_fts MATCH ${fts5Query(terms)} ORDER BY rowid DESC LIMIT ${cap}
      )
      SELECT h.id, h.rank, count(*) OVER () AS total, (SELECT count(*) FROM hits) AS matched
      FROM hits h CROSS JOIN posts p ON p.id = h.id
      WHERE ${where} ORDER BY h.rank LIMIT ${limit} OFFSET ${offset}`.execute(db.kysely);
    if (ranked.rows.length === 0) return { total: 0, hits: [] };
    const result = await assemble(db, ranked.rows, null, (r) => -r.rank, terms);
    // Counting every match of a very common word (joined to posts for the filters) costs more
    // than the search itself, so past the cap the page says "more than N results" instead.
    return Number(ranked.rows[0].matched) >= cap ? { ...result, moreThan: true } : result;
  }
  // Every word required (stemmed, like SQLite's porter tokenizer). Ranking reads each candidate's
  // tsvector, so only the newest `cap` matches (after the filters) are ranked, and, as on SQLite,
  // past the cap the total is a lower bound: an exact count made PostgreSQL visit every matching
  // row (~1 s for a common word in 100,000 posts), while the newest matches can come from the
  // (status, published_at) index, read backwards (so no NULLS LAST for public searches: published
  // posts always have a date, and that order is the index's).
  const all = sql`plainto_tsquery('english', ${terms.join(" ")})`;
  const newest = query.includeUnpublished ? sql`p.published_at DESC NULLS LAST` : sql`p.published_at DESC`;
  const ranked = await sql<{ id: number; rank: number; total: number }>`
    WITH c AS (
      SELECT p.id FROM posts p WHERE p.search_tsv @@ ${all} AND ${where} ORDER BY ${newest} LIMIT ${cap}
    )
    SELECT p.id, ts_rank_cd(p.search_tsv, ${all}) AS rank, count(*) OVER () AS total
    FROM c JOIN posts p ON p.id = c.id
    ORDER BY rank DESC, p.published_at DESC LIMIT ${limit} OFFSET ${offset}`.execute(db.kysely);
  const ids = ranked.rows.map((r) => r.id);
  if (ids.length === 0) return { total: 0, hits: [] };
  const snips = await sql<{ id: number; snip: string }>`
    SELECT id, ts_headline('english', body_text, ${all},
      ${`StartSel=${OPEN}, StopSel=${CLOSE}, MaxWords=30, MinWords=12, ShortWord=2, MaxFragments=1, FragmentDelimiter=…`}) AS snip
    FROM posts WHERE id IN (${sql.join(ids)})`.execute(db.kysely);
  const result = await assemble(db, ranked.rows, new Map(snips.rows.map((r) => [r.id, r.snip])), (r) => r.rank, terms);
  return Number(ranked.rows[0].total) >= cap ? { ...result, moreThan: true } : result;
}

/** Load the rows for ranked ids and build hits in rank order (snippets from the text when not given). */
async function assemble(
  db: Db,
  ranked: { id: number; rank: number; total: number }[],
  snippets: Map<number, string> | null,
  score: (r: { rank: number }) => number,
  terms: string[],
): Promise<SearchResult> {
  const rows = await db.kysely
    .selectFrom("posts")
    .selectAll()
    .where(
      "id",
      "in",
      ranked.map((r) => r.id),
    )
    .execute();
  const byId = new Map(rows.map((r) => [r.id, r]));
  const hits: SearchHit[] = [];
  for (const r of ranked) {
    const row = byId.get(r.id) as (PostRow & { search_tsv?: unknown }) | undefined;
    if (!row) continue;
    const { search_tsv: _s, ...post } = row;
    hits.push({
      post: post as PostRow,
      snippet: markSnippet(snippets ? (snippets.get(r.id) ?? "") : textSnippet(post.body_text, terms, OPEN, CLOSE)),
      rank: score(r),
    });
  }
  return { total: Number(ranked[0]?.total ?? 0), hits };
}
