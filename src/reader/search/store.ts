/**
 * Full-text search over feed items: FTS5 (items_fts: title, text) with bm25 on SQLite, the
 * weighted `search_tsv` with ts_rank_cd on PostgreSQL. Same query handling as post search
 * (src/content/search.ts): whole words, every word required, stemmed.
 */
import { sql } from "kysely";
import { fts5Query, markSnippet, queryTerms, textSnippet } from "../../content/index.ts";
import type { Db } from "../../lib/db/index.ts";

export interface ItemSearchQuery {
  q: string;
  limit?: number;
  offset?: number;
  /** Override ITEM_RANK_CAP (tests). */
  rankCap?: number;
}

/** What a result shows of an item. */
export interface FoundItem {
  id: number;
  title: string;
  url: string | null;
  sourceId: number;
  sourceTitle: string;
  publishedAt: string | null;
  fetchedAt: string;
}

export interface ItemSearchHit {
  item: FoundItem;
  /** Safe HTML: escaped text with <mark> around matches. */
  snippet: string;
  rank: number;
}

export interface ItemSearchResult {
  /** Matches; a lower bound when `moreThan` is set. */
  total: number;
  /** True when only the newest ITEM_RANK_CAP matches were ranked and counted. */
  moreThan?: boolean;
  hits: ItemSearchHit[];
}

/**
 * Past this many matches only the newest are ranked: a reader holds hundreds of thousands of
 * items and scoring every match of a common word costs more than the rest of the search.
 */
export const ITEM_RANK_CAP = 1000;

const OPEN = "\uE000";
const CLOSE = "\uE001";

/** Search feed items. An empty query (or one without words) finds nothing. */
export async function searchItems(db: Db, query: ItemSearchQuery): Promise<ItemSearchResult> {
  const terms = queryTerms(query.q);
  if (terms.length === 0) return { total: 0, hits: [] };
  const limit = query.limit ?? 20;
  const offset = query.offset ?? 0;
  const cap = query.rankCap ?? ITEM_RANK_CAP;
  let ranked: { id: number; rank: number; total: number }[];
  let moreThan = false;
  let snippets: Map<number, string> | null = null;
  if (db.dialect === "sqlite") {
    const match = fts5Query(terms);
    // The newest `cap` matches are found cheaply by walking rowids backwards (see content/search.ts).
    const cut = await sql<{ id: number }>`SELECT rowid AS id FROM items_fts WHERE items_fts MATCH ${match}
      ORDER BY rowid DESC LIMIT 1 OFFSET ${cap - 1}`.execute(db.kysely);
    const cutoff = cut.rows[0]?.id ?? 0;
    moreThan = cutoff > 0;
    ranked = (
      await sql<{ id: number; rank: number; total: number }>`
        WITH hits AS MATERIALIZED (
          SELECT rowid AS id, bm25(items_fts, 5.0, 1.0) AS rank FROM items_fts
          WHERE items_fts MATCH ${match} AND rowid >= ${cutoff}
        )
        SELECT h.id, -h.rank AS rank, count(*) OVER () AS total FROM hits h
        ORDER BY h.rank, h.id DESC LIMIT ${limit} OFFSET ${offset}`.execute(db.kysely)
    ).rows;
  } else {
    const tsq = sql`plainto_tsquery('english', ${terms.join(" ")})`;
    ranked = (
      await sql<{ id: number; rank: number; total: number }>`
        WITH m AS (SELECT id FROM items WHERE search_tsv @@ ${tsq}),
        c AS (SELECT id FROM m ORDER BY id DESC LIMIT ${cap})
        SELECT i.id, ts_rank_cd(i.search_tsv, ${tsq}) AS rank, (SELECT count(*) FROM m) AS total
        FROM c JOIN items i ON i.id = c.id
        ORDER BY rank DESC, i.id DESC LIMIT ${limit} OFFSET ${offset}`.execute(db.kysely)
    ).rows;
    if (ranked.length) {
      const snips = await sql<{ id: number; snip: string }>`
        SELECT id, ts_headline('english', left(text, 50000), ${tsq},
          ${`StartSel=${OPEN}, StopSel=${CLOSE}, MaxWords=30, MinWords=12, ShortWord=2, MaxFragments=1, FragmentDelimiter=…`}) AS snip
        FROM items WHERE id IN (${sql.join(ranked.map((r) => r.id))})`.execute(db.kysely);
      snippets = new Map(snips.rows.map((r) => [r.id, r.snip]));
    }
  }
  if (ranked.length === 0) return { total: 0, hits: [] };
  const rows = await db.kysely
    .selectFrom("items as i")
    .innerJoin("sources as s", "s.id", "i.source_id")
    .select([
      "i.id",
      "i.title",
      "i.url",
      "i.text",
      "i.source_id",
      "i.published_at",
      "i.fetched_at",
      "s.title as source_title",
      "s.custom_title",
      "s.feed_url",
    ])
    .where(
      "i.id",
      "in",
      ranked.map((r) => r.id),
    )
    .execute();
  const byId = new Map(rows.map((r) => [r.id, r]));
  const hits: ItemSearchHit[] = [];
  for (const r of ranked) {
    const row = byId.get(r.id);
    if (!row) continue;
    hits.push({
      item: {
        id: row.id,
        title: row.title,
        url: row.url,
        sourceId: row.source_id,
        sourceTitle: row.custom_title || row.source_title || row.feed_url,
        publishedAt: row.published_at,
        fetchedAt: row.fetched_at,
      },
      snippet: markSnippet(
        snippets ? (snippets.get(r.id) ?? "") : textSnippet(row.text.slice(0, 50_000), terms, OPEN, CLOSE),
      ),
      rank: Number(r.rank),
    });
  }
  return { total: Number(ranked[0].total), hits, ...(moreThan ? { moreThan } : {}) };
}
