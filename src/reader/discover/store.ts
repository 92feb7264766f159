/**
 * Discover's SQL: the citation-indexing cursor (in the reader's `reader_state` row) and batches,
 * and the ranking of cited hosts. Works on SQLite and PostgreSQL.
 */
import { sql } from "kysely";
import type { Db } from "../../lib/db/index.ts";
import { inTransaction } from "../../lib/db/transaction.ts";

/** An item as the indexer reads it, with its source's host. */
export interface IndexRow {
  id: number;
  source_id: number;
  url: string | null;
  content_html: string;
  summary_html: string;
  via_url: string | null;
  published_at: string | null;
  fetched_at: string;
  site_host: string;
  feed_url: string;
}

export interface NewCitation {
  item_id: number;
  source_id: number;
  target_url: string;
  target_host: string;
  kind: string;
  cited_at: string;
  label: string;
}

/**
 * The cursor: the last item id whose citations are indexed (0 when nothing was indexed yet).
 * Creates `reader_state`'s row so that the cursor can be claimed.
 */
export async function readCursor(db: Db): Promise<number> {
  await db.kysely
    .insertInto("reader_state")
    .values({ id: 1, citations_cursor: 0 })
    .onConflict((oc) => oc.column("id").doNothing())
    .execute();
  const row = await db.kysely
    .selectFrom("reader_state")
    .select("citations_cursor")
    .where("id", "=", 1)
    .executeTakeFirstOrThrow();
  return Number(row.citations_cursor) || 0;
}

/**
 * The highest item id below which every item is committed. On PostgreSQL a transaction may hold
 * id 100 uncommitted while id 101 is already visible; a cursor moved past 101 would skip 100
 * forever. A SHARE lock waits for the inserting transactions in flight (and holds new ones
 * back for this one statement), so max(id) read under it has no uncommitted ids below it.
 * SQLite has one writer at a time, so there are no such gaps.
 */
export async function committedHorizon(db: Db): Promise<number> {
  if (db.dialect === "sqlite") {
    const r = await sql<{ m: number | null }>`SELECT max(id) AS m FROM items`.execute(db.kysely);
    return Number(r.rows[0]?.m ?? 0);
  }
  return inTransaction(db, async ({ kysely: trx }) => {
    await sql`SET LOCAL lock_timeout = '10s'`.execute(trx);
    await sql`LOCK TABLE items IN SHARE MODE`.execute(trx);
    const r = await sql<{ m: number | null }>`SELECT max(id) AS m FROM items`.execute(trx);
    return Number(r.rows[0]?.m ?? 0);
  });
}

/** Items with `after < id <= upTo`, oldest id first. */
export async function itemsToIndex(db: Db, after: number, upTo: number, limit: number): Promise<IndexRow[]> {
  return db.kysely
    .selectFrom("items as i")
    .innerJoin("sources as s", "s.id", "i.source_id")
    .select([
      "i.id",
      "i.source_id",
      "i.url",
      "i.content_html",
      "i.summary_html",
      "i.via_url",
      "i.published_at",
      "i.fetched_at",
      "s.site_host",
      "s.feed_url",
    ])
    .where("i.id", ">", after)
    .where("i.id", "<=", upTo)
    .orderBy("i.id")
    .limit(limit)
    .execute();
}

/**
 * Store one batch atomically: move the cursor from `from` to `to` (only if it is still `from`:
 * the claim that keeps two workers from indexing the same items), replace the batch items'
 * citations, and commit. Returns false, changing nothing, when another worker got there first.
 */
export async function commitBatch(
  db: Db,
  batch: { from: number; to: number; itemIds: number[]; citations: NewCitation[] },
): Promise<boolean> {
  return inTransaction(db, async ({ kysely: trx }) => {
    // The conditional update row-locks the cursor on PostgreSQL: a second worker's update waits,
    // then sees the new value and matches nothing.
    const claimed = await trx
      .updateTable("reader_state")
      .set({ citations_cursor: batch.to })
      .where("id", "=", 1)
      .where("citations_cursor", "=", batch.from)
      .executeTakeFirst();
    if (Number(claimed.numUpdatedRows) !== 1) return false;
    // Re-indexing (a reset cursor) replaces rather than duplicates.
    for (let i = 0; i < batch.itemIds.length; i += 500) {
      await trx
        .deleteFrom("citations")
        .where("item_id", "in", batch.itemIds.slice(i, i + 500))
        .execute();
    }
    for (let i = 0; i < batch.citations.length; i += 500) {
      await trx
        .insertInto("citations")
        .values(batch.citations.slice(i, i + 500))
        .execute();
    }
    return true;
  });
}

/** One cited host in the ranking. */
export interface RankedHost {
  host: string;
  /** Distinct followed sources citing it. */
  sources: number;
  /** Citations (one per URL per item). */
  citations: number;
  /** One cited URL on the host, for its scheme and port (the Follow button's address). */
  sample_url: string;
  last_cited_at: string;
}

/**
 * Hosts cited since `since`, by how many distinct followed sources cite them, then by how often;
 * hosts of followed sources and `excludeHosts` (our own site) are left out.
 */
export async function rankCitedHosts(
  db: Db,
  opts: { since: string; excludeHosts: string[]; limit: number },
): Promise<RankedHost[]> {
  const excluded = opts.excludeHosts.length ? sql`AND c.target_host NOT IN (${sql.join(opts.excludeHosts)})` : sql``;
  const r = await sql<RankedHost>`
    SELECT c.target_host AS host, count(DISTINCT c.source_id) AS sources, count(*) AS citations,
      min(c.target_url) AS sample_url, max(c.cited_at) AS last_cited_at
    FROM citations c
    WHERE c.cited_at >= ${opts.since} ${excluded}
      AND NOT EXISTS (SELECT 1 FROM sources s WHERE s.site_host = c.target_host)
      AND NOT EXISTS (SELECT 1 FROM discover_dismissed d WHERE d.host = c.target_host)
    GROUP BY c.target_host
    ORDER BY sources DESC, citations DESC, c.target_host
    LIMIT ${opts.limit}`.execute(db.kysely);
  return r.rows.map((row) => ({ ...row, sources: Number(row.sources), citations: Number(row.citations) }));
}

/** An item citing a ranked host. */
export interface CitingItemRow {
  host: string;
  item_id: number;
  title: string;
  url: string | null;
  source_id: number;
  source_title: string;
  cited_at: string;
  /** One of the item's cited URLs on the host. */
  target_url: string;
  /** 1 when the item credits the host ("via"), else 0. */
  via: number;
  /** The text of the citing link at target_url, or its credited name ("" when none). */
  label: string;
  /** The name the item credits the host with ("" when it does not credit it). */
  via_label: string;
}

/** The newest `perHost` items citing each of `hosts` since `since`, newest first. */
export async function citingItems(
  db: Db,
  opts: { hosts: string[]; since: string; perHost: number },
): Promise<CitingItemRow[]> {
  if (opts.hosts.length === 0) return [];
  const r = await sql<CitingItemRow>`
    WITH per AS (
      SELECT c.target_host AS host, c.item_id, c.source_id, max(c.cited_at) AS cited_at,
        min(c.target_url) AS target_url, max(CASE WHEN c.kind = 'via' THEN 1 ELSE 0 END) AS via
      FROM citations c
      WHERE c.target_host IN (${sql.join(opts.hosts)}) AND c.cited_at >= ${opts.since}
      GROUP BY c.target_host, c.item_id, c.source_id
    ),
    ranked AS (
      SELECT per.*, row_number() OVER (PARTITION BY per.host ORDER BY per.cited_at DESC, per.item_id DESC) AS rn
      FROM per
    )
    SELECT r.host, r.item_id, i.title, i.url, r.source_id,
      CASE WHEN s.custom_title <> '' THEN s.custom_title ELSE s.title END AS source_title,
      r.cited_at, r.target_url, r.via,
      (SELECT max(c2.label) FROM citations c2 WHERE c2.item_id = r.item_id AND c2.target_url = r.target_url) AS label,
      (SELECT max(c3.label) FROM citations c3
        WHERE c3.item_id = r.item_id AND c3.target_host = r.host AND c3.kind = 'via') AS via_label
    FROM ranked r
    JOIN items i ON i.id = r.item_id
    JOIN sources s ON s.id = r.source_id
    WHERE r.rn <= ${opts.perHost}
    ORDER BY r.host, r.cited_at DESC, r.item_id DESC`.execute(db.kysely);
  return r.rows.map((row) => ({
    ...row,
    via: Number(row.via),
    label: row.label ?? "",
    via_label: row.via_label ?? "",
  }));
}

/** A source's display title and site, for the notice after following. */
export async function sourceTitle(db: Db, id: number): Promise<{ title: string; site_host: string } | undefined> {
  const row = await db.kysely
    .selectFrom("sources")
    .select(["title", "custom_title", "site_host", "feed_url"])
    .where("id", "=", id)
    .executeTakeFirst();
  if (!row) return undefined;
  return { title: row.custom_title || row.title || row.feed_url, site_host: row.site_host };
}

/** Dismiss a host on Discover (again: the time moves). */
export async function dismissHost(db: Db, host: string, now: string): Promise<void> {
  await db.kysely
    .insertInto("discover_dismissed")
    .values({ host, dismissed_at: now })
    .onConflict((oc) => oc.column("host").doUpdateSet({ dismissed_at: now }))
    .execute();
}

/** Suggest a dismissed host again. */
export async function restoreHost(db: Db, host: string): Promise<void> {
  await db.kysely.deleteFrom("discover_dismissed").where("host", "=", host).execute();
}

/** The dismissed hosts, latest first. */
export async function dismissedHosts(db: Db): Promise<{ host: string; dismissed_at: string }[]> {
  return db.kysely
    .selectFrom("discover_dismissed")
    .select(["host", "dismissed_at"])
    .orderBy("dismissed_at", "desc")
    .orderBy("host")
    .execute();
}
