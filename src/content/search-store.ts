/**
 * SQL of full-text search and related posts: FTS5 with bm25 on SQLite, a weighted tsvector with
 * ts_rank on PostgreSQL. search.ts and related.ts decide what to ask; the queries are here.
 */
import { type RawBuilder, sql } from "kysely";
import type { Db } from "../lib/db/index.ts";
import type { PostKind } from "../lib/db/schema.ts";
import type { PostRow } from "./store.ts";

/** Markers around matches in snippets (private-use characters, turned into <mark> after escaping). */
export const OPEN = "\uE000";
export const CLOSE = "\uE001";

/** Which posts a search may find. */
export interface SearchFilters {
  kind?: PostKind;
  themeId?: number;
  /** Include drafts and scheduled posts (admin search). */
  includeUnpublished?: boolean;
  /** Only posts published at or before this ISO time (public search). */
  publishedBefore?: string;
}

/** A ranked match: `total` counts the matches after filters (window count); `matched` is SQLite's capped slice. */
export interface RankedRow {
  id: number;
  rank: number;
  total: number;
  matched?: number;
}

/** A page of ranked matches: how many to skip and take, and how many of the newest matches to rank. */
export interface RankPage {
  cap: number;
  limit: number;
  offset: number;
}

/** A candidate for related posts: higher score is better on both databases. */
export interface Neighbour {
  id: number;
  score: number;
  published_at: string;
}

function filterSql(f: SearchFilters): RawBuilder<unknown> {
  const filters = [
    f.includeUnpublished ? sql`1=1` : sql`p.status = 'published'`,
    f.publishedBefore ? sql`p.published_at <= ${f.publishedBefore}` : sql`1=1`,
    f.kind ? sql`p.kind = ${f.kind}` : sql`1=1`,
    f.themeId !== undefined ? sql`p.id IN (SELECT post_id FROM post_themes WHERE theme_id = ${f.themeId})` : sql`1=1`,
  ];
  return sql.join(filters, sql` AND `);
}

/**
 * Every term required, stemmed like the index; with `prefix` (the last term), that term as a word
 * or the start of a lexeme. The prefix goes through the 'simple' configuration: stemming a half
 * word could change it, and to_tsquery gets only letters and digits (queryTerms).
 */
const tsquery = (terms: string[], prefix?: string) => {
  if (!prefix) return sql`plainto_tsquery('english', ${terms.join(" ")})`;
  const last = sql`(plainto_tsquery('english', ${prefix}) || to_tsquery('simple', ${`${prefix}:*`}))`;
  const rest = terms.slice(0, -1);
  return rest.length ? sql`(plainto_tsquery('english', ${rest.join(" ")}) && ${last})` : last;
};

/** Published, not a page, not the post itself: what related posts may be. */
const relatedVisible = (postId: number, now: string) =>
  sql`p.status = 'published' AND p.published_at <= ${now} AND p.kind <> 'page' AND p.id <> ${postId}`;

/** Queries of search and related posts. */
export function searchStore(db: Db) {
  const k = db.kysely;
  return {
    /**
     * SQLite: the newest `cap` FTS5 matches of `match`, scored with bm25 (title > summary > body)
     * inside the FTS table first (materialized, so bm25 stays in its own context), then joined
     * to posts for the filters; one page of them, best first.
     */
    async rankFts5(match: string, f: SearchFilters, page: RankPage): Promise<RankedRow[]> {
      const r = await sql<RankedRow & { matched: number }>`
      WITH hits AS MATERIALIZED (
        SELECT rowid AS id, bm25(posts_fts, 10.0, 4.0, 1.0) AS rank FROM posts_fts
        WHERE posts_fts MATCH ${match} ORDER BY rowid DESC LIMIT ${page.cap}
      )
      SELECT h.id, h.rank, count(*) OVER () AS total, (SELECT count(*) FROM hits) AS matched
      FROM hits h CROSS JOIN posts p ON p.id = h.id
      WHERE ${filterSql(f)} ORDER BY h.rank LIMIT ${page.limit} OFFSET ${page.offset}`.execute(k);
      return r.rows;
    },

    /**
     * PostgreSQL: the newest `cap` matches of every term (after the filters; from the
     * (status, published_at) index read backwards), ranked with ts_rank_cd; one page, best first.
     */
    async rankTsvector(terms: string[], f: SearchFilters, page: RankPage, prefix?: string): Promise<RankedRow[]> {
      const all = tsquery(terms, prefix);
      const newest = f.includeUnpublished ? sql`p.published_at DESC NULLS LAST` : sql`p.published_at DESC`;
      const r = await sql<RankedRow>`
    WITH c AS (
      SELECT p.id FROM posts p WHERE p.search_tsv @@ ${all} AND ${filterSql(f)} ORDER BY ${newest} LIMIT ${page.cap}
    )
    SELECT p.id, ts_rank_cd(p.search_tsv, ${all}) AS rank, count(*) OVER () AS total
    FROM c JOIN posts p ON p.id = c.id
    ORDER BY rank DESC, p.published_at DESC LIMIT ${page.limit} OFFSET ${page.offset}`.execute(k);
      return r.rows;
    },

    /** PostgreSQL: ts_headline snippets of these posts' text, matches between OPEN and CLOSE. */
    async headlines(ids: number[], terms: string[], prefix?: string): Promise<Map<number, string>> {
      const snips = await sql<{ id: number; snip: string }>`
    SELECT id, ts_headline('english', body_text, ${tsquery(terms, prefix)},
      ${`StartSel=${OPEN}, StopSel=${CLOSE}, MaxWords=30, MinWords=12, ShortWord=2, MaxFragments=1, FragmentDelimiter=…`}) AS snip
    FROM posts WHERE id IN (${sql.join(ids)})`.execute(k);
      return new Map(snips.rows.map((r) => [r.id, r.snip]));
    },

    /** Full rows of these posts (any order), without PostgreSQL's search vector. */
    async postsByIds(ids: number[]): Promise<PostRow[]> {
      const rows = await k.selectFrom("posts").selectAll().where("id", "in", ids).execute();
      return rows.map((row) => {
        const { search_tsv: _s, ...post } = row as PostRow & { search_tsv?: unknown };
        return post;
      });
    },

    /**
     * Related posts by text: up to 24 visible posts matching any of `terms`, best first.
     * SQLite ranks inside FTS alone, then joins (joined directly, the planner may scan posts by
     * status and rerun the MATCH for every row, which takes seconds on a large site).
     */
    async textNeighbours(postId: number, now: string, terms: string[]): Promise<Neighbour[]> {
      const visible = relatedVisible(postId, now);
      const rows =
        db.dialect === "sqlite"
          ? await sql<Neighbour>`
          SELECT p.id, -f.score AS score, p.published_at
          FROM (SELECT rowid, bm25(posts_fts, 4.0, 2.0, 1.0) AS score FROM posts_fts
                WHERE posts_fts MATCH ${terms.map((t) => `"${t}"`).join(" OR ")} ORDER BY score LIMIT 100) f
          CROSS JOIN posts p ON p.id = f.rowid
          WHERE ${visible} ORDER BY f.score LIMIT 24`.execute(k)
          : await sql<Neighbour>`
          SELECT p.id, ts_rank(p.search_tsv, q) AS score, p.published_at
          FROM posts p, to_tsquery('english', ${terms.join(" | ")}) q
          WHERE p.search_tsv @@ q AND ${visible}
          ORDER BY score DESC LIMIT 24`.execute(k);
      return rows.rows;
    },

    /** The newest `limit` visible posts (other than `postId`) in any of `themeIds`. */
    async recentInThemes(
      postId: number,
      now: string,
      themeIds: number[],
      limit: number,
    ): Promise<{ id: number; published_at: string }[]> {
      const recent = await sql<{ id: number; published_at: string }>`
      SELECT p.id, p.published_at FROM posts p
      WHERE ${relatedVisible(postId, now)} AND p.id IN (SELECT post_id FROM post_themes WHERE theme_id IN (${sql.join(themeIds)}))
      ORDER BY p.published_at DESC LIMIT ${limit}`.execute(k);
      return recent.rows;
    },

    /** How many of `themeIds` each of `postIds` has (posts with none are left out). */
    sharedThemes: (postIds: number[], themeIds: number[]) =>
      k
        .selectFrom("post_themes")
        .select(["post_id", (eb) => eb.fn.countAll<number>().as("n")])
        .where("post_id", "in", postIds)
        .where("theme_id", "in", themeIds)
        .groupBy("post_id")
        .execute(),
  };
}
