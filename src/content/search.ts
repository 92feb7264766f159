/**
 * Full-text search over posts: FTS5 with bm25 on SQLite, tsvector with ts_rank on PostgreSQL.
 * Both return the same shape, with snippets whose matches are wrapped in <mark> and the rest escaped.
 */
import { sql } from "kysely";
import type { Db } from "../lib/db/index.ts";
import type { PostKind } from "../lib/db/schema.ts";
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
}

export interface SearchHit {
  post: PostRow;
  /** Safe HTML: escaped text with <mark> around matches. */
  snippet: string;
  rank: number;
}

export interface SearchResult {
  total: number;
  hits: SearchHit[];
}

const OPEN = "\uE000";
const CLOSE = "\uE001";

/** Words of a user query, lowercased, without FTS operators. Pure. */
export function queryTerms(q: string): string[] {
  return (q.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? []).slice(0, 12);
}

/** FTS5 MATCH expression: every term required, the last one as a prefix. Pure. */
export function fts5Query(terms: string[]): string {
  return terms.map((t, i) => `"${t}"${i === terms.length - 1 ? "*" : ""}`).join(" ");
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
  if (db.dialect === "sqlite") {
    const match = fts5Query(terms);
    // bm25() cannot share a query with a window function, so the total is a second (cheap) query.
    const rows = await sql<PostRow & { snip: string; rank: number; total: number }>`
      SELECT p.*, snippet(posts_fts, 2, ${OPEN}, ${CLOSE}, '…', 24) AS snip,
        bm25(posts_fts, 10.0, 4.0, 1.0) AS rank
      FROM posts_fts JOIN posts p ON p.id = posts_fts.rowid
      WHERE posts_fts MATCH ${match} AND ${where}
      ORDER BY rank LIMIT ${limit} OFFSET ${offset}`.execute(db.kysely);
    let total = rows.rows.length + offset;
    if (rows.rows.length === limit || offset > 0) {
      const c = await sql<{ n: number }>`SELECT count(*) AS n FROM posts_fts JOIN posts p ON p.id = posts_fts.rowid
        WHERE posts_fts MATCH ${match} AND ${where}`.execute(db.kysely);
      total = Number(c.rows[0]?.n ?? 0);
    }
    return toResult(
      rows.rows.map((r) => ({ ...r, total })),
      (r) => -r.rank,
    );
  }
  // websearch_to_tsquery ANDs the words; add a prefix match on the last word like SQLite does.
  const tsq = sql`(websearch_to_tsquery('english', ${terms.join(" ")}) || to_tsquery('english', ${`${terms.at(-1)}:*`}))`;
  const all = sql`to_tsquery('english', ${terms.map((t, i) => (i === terms.length - 1 ? `${t}:*` : t)).join(" & ")})`;
  const rows = await sql<PostRow & { snip: string; rank: number; total: number }>`
    SELECT p.*, ts_headline('english', p.body_text, ${all},
        ${`StartSel=${OPEN}, StopSel=${CLOSE}, MaxWords=30, MinWords=12, ShortWord=2, MaxFragments=1, FragmentDelimiter=…`}) AS snip,
      ts_rank_cd(p.search_tsv, ${tsq}) AS rank, count(*) OVER () AS total
    FROM posts p
    WHERE p.search_tsv @@ ${all} AND ${where}
    ORDER BY rank DESC, p.published_at DESC LIMIT ${limit} OFFSET ${offset}`.execute(db.kysely);
  return toResult(rows.rows, (r) => r.rank);
}

function toResult<R extends PostRow & { snip: string; rank: number; total: number }>(
  rows: R[],
  score: (r: R) => number,
): SearchResult {
  const total = rows.length ? Number(rows[0].total) : 0;
  const hits = rows.map((r) => {
    const { snip, rank, total: _t, search_tsv: _s, ...post } = r as R & { search_tsv?: unknown };
    return { post: post as PostRow, snippet: markSnippet(snip ?? ""), rank: score(r) };
  });
  return { total, hits };
}
