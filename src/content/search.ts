/**
 * Full-text search over posts: FTS5 with bm25 on SQLite, tsvector with ts_rank on PostgreSQL.
 * Both return the same shape, with snippets whose matches are wrapped in <mark> and the rest escaped.
 */
import type { Db } from "../lib/db/index.ts";
import { CLOSE, OPEN, type RankedRow, type SearchFilters, searchStore } from "./search-store.ts";
import { textSnippet } from "./snippet.ts";
import type { PostRow } from "./store.ts";

export interface SearchQuery extends SearchFilters {
  q: string;
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

/** Words of a user query, lowercased, without FTS operators. Pure. */
export function queryTerms(q: string): string[] {
  return (q.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? []).slice(0, 12);
}

/** The shortest last word that also matches as a prefix (see prefixTerm). */
export const MIN_PREFIX = 4;

/**
 * The last word of a query, when it should also match as the beginning of a word: people type
 * into a search box and submit before finishing the word ("colum" for "columnar"). Only the last
 * word, and only from MIN_PREFIX letters: FTS5 reads a prefix's whole list of posts before it
 * can stop at the newest, and a 3-letter prefix ("mos*") is in nearly every post of a large site
 * (97 ms on 100,000 posts, against 0.5 ms for "mosu*"; docs/benchmarks.md, search). Both databases index stems ("conversation" as "convers"),
 * so a prefix finds a word while it is no longer than the word's stem, or once the word is
 * complete; "conversat" finds neither. Pure.
 */
export function prefixTerm(terms: string[]): string | undefined {
  const last = terms.at(-1);
  return last && last.length >= MIN_PREFIX ? last : undefined;
}

/**
 * FTS5 MATCH expression: every term required, as a whole (stemmed) word; with `prefix`, the last
 * term as a whole word or the start of one. Pure.
 */
export function fts5Query(terms: string[], prefix?: string): string {
  const quoted = terms.map((t) => `"${t}"`);
  if (!prefix) return quoted.join(" ");
  // FTS5 wants an explicit AND before a parenthesized group.
  quoted[quoted.length - 1] = `("${prefix}" OR "${prefix}"*)`;
  return quoted.join(" AND ");
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
  const prefix = prefixTerm(terms);
  const page = { cap: query.rankCap ?? RANK_CAP, limit: query.limit ?? 20, offset: query.offset ?? 0 };
  const store = searchStore(db);
  if (db.dialect === "sqlite") {
    // bm25 costs a few µs per matching row, so a very common word (matched by most posts) would
    // be scored tens of thousands of times: only the newest `cap` matches are ranked. FTS5 walks
    // its index backwards by rowid and stops there (a `rowid >= x` bound, by contrast, still read
    // every match). Full rows are fetched for the page's ids only. `matched` is the slice's size:
    // when it reached the cap there are more matches than were ranked, and the window count
    // (after filters) is a lower bound.
    const ranked = await store.rankFts5(fts5Query(terms, prefix), query, page);
    if (ranked.length === 0) return { total: 0, hits: [] };
    const result = await assemble(db, ranked, null, (r) => -r.rank, terms, prefix);
    // Counting every match of a very common word (joined to posts for the filters) costs more
    // than the search itself, so past the cap the page says "more than N results" instead.
    return Number(ranked[0].matched) >= page.cap ? { ...result, moreThan: true } : result;
  }
  // Every word required (stemmed, like SQLite's porter tokenizer). Ranking reads each candidate's
  // tsvector, so only the newest `cap` matches (after the filters) are ranked, and, as on SQLite,
  // past the cap the total is a lower bound: an exact count made PostgreSQL visit every matching
  // row (~1 s for a common word in 100,000 posts), while the newest matches can come from the
  // (status, published_at) index, read backwards (so no NULLS LAST for public searches: published
  // posts always have a date, and that order is the index's).
  const ranked = await store.rankTsvector(terms, query, page, prefix);
  const ids = ranked.map((r) => r.id);
  if (ids.length === 0) return { total: 0, hits: [] };
  const result = await assemble(db, ranked, await store.headlines(ids, terms, prefix), (r) => r.rank, terms);
  return Number(ranked[0].total) >= page.cap ? { ...result, moreThan: true } : result;
}

/** Load the rows for ranked ids and build hits in rank order (snippets from the text when not given). */
async function assemble(
  db: Db,
  ranked: RankedRow[],
  snippets: Map<number, string> | null,
  score: (r: { rank: number }) => number,
  terms: string[],
  prefix?: string,
): Promise<SearchResult> {
  const rows = await searchStore(db).postsByIds(ranked.map((r) => r.id));
  const byId = new Map(rows.map((r) => [r.id, r]));
  const hits: SearchHit[] = [];
  for (const r of ranked) {
    const post = byId.get(r.id);
    if (!post) continue;
    hits.push({
      post,
      snippet: markSnippet(
        snippets ? (snippets.get(r.id) ?? "") : textSnippet(post.body_text, terms, OPEN, CLOSE, 24, prefix),
      ),
      rank: score(r),
    });
  }
  return { total: Number(ranked[0]?.total ?? 0), hits };
}
