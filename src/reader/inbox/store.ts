/**
 * SQL for the inbox: item lists with filters and keyset pagination, unread counts, read and star
 * flags, mark-all-read batches kept for undo (`reader_undo`), and the cached full text. The only
 * file in `reader/inbox` that talks to the database.
 */
import { type Expression, type ExpressionBuilder, type Selectable, type SqlBool, sql } from "kysely";
import type { Db } from "../../lib/db/index.ts";
import type { Database, ItemsTable } from "../../lib/db/schema.ts";
import type { Cursor } from "./cursor.ts";
import type { FolderNode } from "./tree.ts";

export type ItemRow = Selectable<ItemsTable>;
export type InboxView = "unread" | "all" | "starred";

/** Which items a list (or a mark-all-read) covers. */
export interface InboxFilter {
  view: InboxView;
  /** A folder and its sub-folders, already expanded. */
  folderIds?: number[];
  sourceId?: number;
  /** Words that must all appear in the item's title or text (case-insensitive). */
  search?: string[];
}

/** A neighbouring item on the item page. */
export interface NeighbourItem {
  id: number;
  title: string;
}

/** A LIKE pattern matching `word` anywhere, with LIKE's wildcards escaped (escape character "\\"). */
function containsPattern(word: string): string {
  return `%${word.toLowerCase().replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

/** Every word in the title or the text; lower() on both sides, since PostgreSQL's LIKE is case-sensitive. */
function searchWhere(words: string[]) {
  return words.map((w) => {
    const p = containsPattern(w);
    return sql<SqlBool>`(lower(items.title) like ${p} escape '\\' or lower(items.text) like ${p} escape '\\')`;
  });
}

/** A list row: the item's short columns and its source's names. */
export interface ListedItem {
  id: number;
  source_id: number;
  title: string;
  url: string | null;
  excerpt: string;
  published_at: string | null;
  sort_date: string;
  is_read: number;
  is_starred: number;
  duration_seconds: number | null;
  enclosures: string;
  source_title: string;
  source_custom_title: string;
  source_host: string;
  source_feed_url: string;
}

/** An item with its source, for the item page. */
export type ItemWithSource = ItemRow & {
  source_title: string;
  source_custom_title: string;
  source_host: string;
  source_feed_url: string;
  source_site_url: string;
  /** The source's kind ("feed", or a module's, such as "activitypub"). */
  source_kind: string;
};

/** A followed source, as the inbox's sidebar needs it. */
export interface SourceSummary {
  id: number;
  folder_id: number | null;
  title: string;
  custom_title: string;
  site_host: string;
  feed_url: string;
  last_error: string | null;
}

type EB = ExpressionBuilder<Database, "items">;
const CHUNK = 500;

/** The sort date: feeds without dates fall back to when we first stored the item. */
const sortDate = sql<string>`coalesce(items.published_at, items.fetched_at)`;

function filterWhere(eb: EB, f: InboxFilter): Expression<SqlBool> {
  const parts: Expression<SqlBool>[] = [];
  if (f.view === "unread") parts.push(eb("items.is_read", "=", 0));
  if (f.view === "starred") parts.push(eb("items.is_starred", "=", 1));
  if (f.sourceId !== undefined) parts.push(eb("items.source_id", "=", f.sourceId));
  if (f.search?.length) parts.push(...searchWhere(f.search));
  if (f.folderIds) {
    const ids = f.folderIds.length ? f.folderIds : [-1];
    parts.push(
      eb("items.source_id", "in", eb.selectFrom("sources").select("sources.id").where("folder_id", "in", ids)),
    );
  }
  return eb.and(parts);
}

/** Unread first (except in the starred view, which is purely newest first). */
const readFirst = (f: InboxFilter) => f.view !== "starred";

function afterCursor(eb: EB, f: InboxFilter, c: Cursor): Expression<SqlBool> {
  const older = eb.or([eb(sortDate, "<", c.date), eb.and([eb(sortDate, "=", c.date), eb("items.id", "<", c.id)])]);
  if (!readFirst(f)) return older;
  return eb.or([eb("items.is_read", ">", c.read), eb.and([eb("items.is_read", "=", c.read), older])]);
}

/** Read and write inbox items. */
export function inboxStore(db: Db) {
  const k = db.kysely;
  return {
    /**
     * One page of items, newest first (unread first outside the starred view). The page's ids are
     * chosen on the narrow sort columns first, then only those rows are read in full: sorting
     * whole rows (with their text) made the inbox several times slower at 100,000 items.
     */
    async list(f: InboxFilter, opts: { after?: Cursor; limit: number }): Promise<ListedItem[]> {
      let keys = k
        .selectFrom("items")
        .select(["items.id"])
        .where((eb) => filterWhere(eb, f));
      const after = opts.after;
      if (after) keys = keys.where((eb) => afterCursor(eb, f, after));
      if (readFirst(f)) keys = keys.orderBy("items.is_read", "asc");
      const page = await keys.orderBy(sortDate, "desc").orderBy("items.id", "desc").limit(opts.limit).execute();
      if (!page.length) return [];
      const rows = await k
        .selectFrom("items")
        .innerJoin("sources", "sources.id", "items.source_id")
        .select([
          "items.id",
          "items.source_id",
          "items.title",
          "items.url",
          sql<string>`substr(items.text, 1, 400)`.as("excerpt"),
          "items.published_at",
          sortDate.as("sort_date"),
          "items.is_read",
          "items.is_starred",
          "items.duration_seconds",
          "items.enclosures",
          "sources.title as source_title",
          "sources.custom_title as source_custom_title",
          "sources.site_host as source_host",
          "sources.feed_url as source_feed_url",
        ])
        .where(
          "items.id",
          "in",
          page.map((r) => r.id),
        )
        .execute();
      const byId = new Map(rows.map((r) => [r.id, r]));
      return page.map((r) => byId.get(r.id)).filter((r): r is ListedItem => !!r);
    },

    /** The highest item id in a filter: mark-all-read never reaches items that arrived later. */
    async maxId(f: InboxFilter): Promise<number> {
      const r = await k
        .selectFrom("items")
        .select((eb) => eb.fn.max("items.id").as("m"))
        .where((eb) => filterWhere(eb, f))
        .executeTakeFirst();
      return Number(r?.m ?? 0);
    },

    /**
     * The items just newer and just older than `item` in the filter, by date alone (not unread
     * first: opening an item marks it read, which must not move its neighbours).
     */
    async neighbours(
      f: InboxFilter,
      item: { id: number; sortDate: string },
    ): Promise<{ newer: NeighbourItem | null; older: NeighbourItem | null }> {
      const base = k
        .selectFrom("items")
        .select(["items.id", "items.title"])
        .where((eb) => filterWhere(eb, f))
        .where("items.id", "!=", item.id);
      // One query per side: strictly after (or before) the item by date, then by id among equal dates.
      const next = (cmp: ">" | "<", order: "asc" | "desc") =>
        base
          .where((eb) =>
            eb.or([
              eb(sortDate, cmp, item.sortDate),
              eb.and([eb(sortDate, "=", item.sortDate), eb("items.id", cmp, item.id)]),
            ]),
          )
          .orderBy(sortDate, order)
          .orderBy("items.id", order)
          .limit(1)
          .executeTakeFirst();
      const [newer, older] = await Promise.all([next(">", "asc"), next("<", "desc")]);
      return { newer: newer ?? null, older: older ?? null };
    },

    byId(id: number): Promise<ItemWithSource | undefined> {
      return k
        .selectFrom("items")
        .innerJoin("sources", "sources.id", "items.source_id")
        .selectAll("items")
        .select([
          "sources.title as source_title",
          "sources.custom_title as source_custom_title",
          "sources.site_host as source_host",
          "sources.feed_url as source_feed_url",
          "sources.site_url as source_site_url",
          "sources.kind as source_kind",
        ])
        .where("items.id", "=", id)
        .executeTakeFirst();
    },

    /** Mark read (keeping the first read time) or unread. False when the item does not exist. */
    async setRead(id: number, read: boolean, now: string): Promise<boolean> {
      const q = k.updateTable("items").where("id", "=", id);
      const r = read
        ? await q.set({ is_read: 1, read_at: sql`coalesce(read_at, ${now})` }).executeTakeFirst()
        : await q.set({ is_read: 0, read_at: null }).executeTakeFirst();
      return Number(r.numUpdatedRows) > 0;
    },

    async setStarred(id: number, starred: boolean): Promise<boolean> {
      const r = await k
        .updateTable("items")
        .set({ is_starred: starred ? 1 : 0 })
        .where("id", "=", id)
        .executeTakeFirst();
      return Number(r.numUpdatedRows) > 0;
    },

    /** Mark every unread item in the filter with id ≤ maxId read; returns the ids it changed. */
    async markAllRead(f: InboxFilter, maxId: number, now: string): Promise<number[]> {
      const rows = await k
        .updateTable("items")
        .set({ is_read: 1, read_at: now })
        .where((eb) => eb.and([filterWhere(eb, f), eb("items.is_read", "=", 0), eb("items.id", "<=", maxId)]))
        .returning("id")
        .execute();
      return rows.map((r) => r.id);
    },

    /** Mark these ids unread again, but only those still read since `readAt` (later choices win). */
    async restoreUnread(ids: number[], readAt: string): Promise<number> {
      let n = 0;
      for (let i = 0; i < ids.length; i += CHUNK) {
        const r = await k
          .updateTable("items")
          .set({ is_read: 0, read_at: null })
          .where("id", "in", ids.slice(i, i + CHUNK))
          .where("is_read", "=", 1)
          .where("read_at", "=", readAt)
          .executeTakeFirst();
        n += Number(r.numUpdatedRows);
      }
      return n;
    },

    /** Cache an item's full text, and index it for search in place of the feed's text. */
    async setFullHtml(id: number, fullHtml: string, text: string): Promise<void> {
      await k.updateTable("items").set({ full_html: fullHtml, text }).where("id", "=", id).execute();
    },

    /** Unread items per source id, and the number of starred items. */
    async counts(): Promise<{ unreadBySource: Map<number, number>; starred: number }> {
      const [unread, starred] = await Promise.all([
        k
          .selectFrom("items")
          .select(["source_id", (eb) => eb.fn.countAll<number>().as("n")])
          .where("is_read", "=", 0)
          .groupBy("source_id")
          .execute(),
        k
          .selectFrom("items")
          .select((eb) => eb.fn.countAll<number>().as("n"))
          .where("is_starred", "=", 1)
          .executeTakeFirstOrThrow(),
      ]);
      return { unreadBySource: new Map(unread.map((r) => [r.source_id, Number(r.n)])), starred: Number(starred.n) };
    },

    folders(): Promise<FolderNode[]> {
      return k.selectFrom("folders").select(["id", "name", "parent_id", "position"]).execute();
    },

    sources(): Promise<SourceSummary[]> {
      return k
        .selectFrom("sources")
        .select(["id", "folder_id", "title", "custom_title", "site_host", "feed_url", "last_error"])
        .execute();
    },

    /** Keep one mark-all-read batch per user for undo (the latest replaces the one before). */
    async putUndo(userId: number, batch: UndoBatch): Promise<void> {
      const values = { token: batch.token, read_at: batch.readAt, item_ids: JSON.stringify(batch.ids) };
      await k
        .insertInto("reader_undo")
        .values({ user_id: userId, ...values })
        .onConflict((oc) => oc.column("user_id").doUpdateSet(values))
        .execute();
    },

    async getUndo(userId: number): Promise<UndoBatch | undefined> {
      const row = await k
        .selectFrom("reader_undo")
        .select(["token", "read_at", "item_ids"])
        .where("user_id", "=", userId)
        .executeTakeFirst();
      return row ? { token: row.token, readAt: row.read_at, ids: JSON.parse(row.item_ids) as number[] } : undefined;
    },

    async deleteUndo(userId: number): Promise<void> {
      await k.deleteFrom("reader_undo").where("user_id", "=", userId).execute();
    },
  };
}

/** A mark-all-read batch: which items it changed and when, behind a random token. */
export interface UndoBatch {
  token: string;
  readAt: string;
  ids: number[];
}
