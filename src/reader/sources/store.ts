/**
 * SQL for folders, sources and item inserts: the only file in `reader/sources` that talks to the
 * database. Claiming due sources takes a lease so that several workers (or `liner sources poll`
 * beside `liner serve`) never poll one source at once: `FOR UPDATE SKIP LOCKED` on PostgreSQL,
 * a single atomic UPDATE … RETURNING on SQLite (one writer at a time).
 */
import { type Insertable, type Kysely, type Selectable, sql, type Transaction, type Updateable } from "kysely";
import type { Db } from "../../lib/db/index.ts";
import type { Database, FoldersTable, ItemsTable, SourcesTable } from "../../lib/db/schema.ts";
import { inTransaction } from "../../lib/db/transaction.ts";

export type FolderRow = Selectable<FoldersTable>;
export type SourceRow = Selectable<SourcesTable>;
/** A new source: its feed URL and times; every other column has a default. */
export type NewSource = Pick<SourceRow, "feed_url" | "next_fetch_at" | "created_at"> & Partial<Omit<SourceRow, "id">>;
export type SourcePatch = Updateable<SourcesTable>;
export type NewItem = Omit<Insertable<ItemsTable>, "source_id">;
type K = Kysely<Database> | Transaction<Database>;

/** What a poll needs of a claimed source. */
export type ClaimedSource = Pick<
  SourceRow,
  | "id"
  | "feed_url"
  | "site_url"
  | "etag"
  | "last_modified"
  | "interval_minutes"
  | "error_count"
  | "title"
  | "description"
  | "image_url"
  | "format"
  | "is_podcast"
  | "created_at"
  | "kind"
  | "remote_id"
>;

const claimedColumns = sql.raw(
  "id, feed_url, site_url, etag, last_modified, interval_minutes, error_count, title, description, image_url, format, is_podcast, created_at, kind, remote_id",
);

const SOURCE_DEFAULTS: Omit<SourceRow, "id" | "feed_url" | "next_fetch_at" | "created_at"> = {
  folder_id: null,
  site_url: "",
  site_host: "",
  title: "",
  custom_title: "",
  description: "",
  image_url: null,
  format: "",
  is_podcast: 0,
  etag: null,
  last_modified: null,
  interval_minutes: 60,
  lease_until: null,
  last_fetched_at: null,
  last_success_at: null,
  error_count: 0,
  last_error: null,
  last_error_at: null,
  kind: "feed",
  remote_id: null,
};

/** Rows per multi-row INSERT: far below both databases' bound-parameter limits (~20 columns each). */
const INSERT_CHUNK = 200;

/** Insert items of a source, duplicates skipped by the unique (source_id, dedupe_key) index; how many were new. */
async function insertItems(t: K, sourceId: number, items: NewItem[]): Promise<number> {
  let inserted = 0;
  for (let i = 0; i < items.length; i += INSERT_CHUNK) {
    const rows = items.slice(i, i + INSERT_CHUNK).map((it) => ({ ...it, source_id: sourceId }));
    const r = await t
      .insertInto("items")
      .values(rows)
      .onConflict((oc) => oc.columns(["source_id", "dedupe_key"]).doNothing())
      .returning("id")
      .execute();
    inserted += r.length;
  }
  return inserted;
}

/**
 * A folder tree to create from an OPML file, in document order (so that of two outlines with one
 * feed, the first decides its folder): folders are matched by name under the same parent.
 */
export interface ImportFolder {
  name: string;
  entries: (ImportFolder | Omit<NewSource, "folder_id">)[];
}

/** Read and write folders and sources. */
export function sourceStore(db: Db) {
  const k = db.kysely;
  const lock = db.dialect === "postgres" ? sql`FOR UPDATE SKIP LOCKED` : sql``;

  async function findOrCreateFolder(t: K, name: string, parentId: number | null, now: string) {
    let q = t.selectFrom("folders").select("id").where("name", "=", name);
    q = parentId === null ? q.where("parent_id", "is", null) : q.where("parent_id", "=", parentId);
    const found = await q.orderBy("id").executeTakeFirst();
    if (found) return { id: found.id, created: false };
    const row = await t
      .insertInto("folders")
      .values({ name, parent_id: parentId, position: 0, created_at: now })
      .returning("id")
      .executeTakeFirstOrThrow();
    return { id: row.id, created: true };
  }

  return {
    // ---- folders ----
    folders: () => k.selectFrom("folders").selectAll().orderBy("position").orderBy("name").orderBy("id").execute(),
    folderById: (id: number) => k.selectFrom("folders").selectAll().where("id", "=", id).executeTakeFirst(),

    async insertFolder(values: Insertable<FoldersTable>): Promise<FolderRow> {
      return k.insertInto("folders").values(values).returningAll().executeTakeFirstOrThrow();
    },

    async updateFolder(id: number, patch: Updateable<FoldersTable>): Promise<void> {
      await k.updateTable("folders").set(patch).where("id", "=", id).execute();
    },

    /** Delete a folder; its sources and sub-folders move up to its parent (nothing is unfollowed). */
    async deleteFolder(id: number): Promise<void> {
      await inTransaction(db, async ({ kysely: t }) => {
        const f = await t.selectFrom("folders").select("parent_id").where("id", "=", id).executeTakeFirst();
        if (!f) return;
        await t.updateTable("folders").set({ parent_id: f.parent_id }).where("parent_id", "=", id).execute();
        await t.updateTable("sources").set({ folder_id: f.parent_id }).where("folder_id", "=", id).execute();
        await t.deleteFrom("folders").where("id", "=", id).execute();
      });
    },

    // ---- sources ----
    list: () => k.selectFrom("sources").selectAll().orderBy("title").orderBy("id").execute(),
    byId: (id: number) => k.selectFrom("sources").selectAll().where("id", "=", id).executeTakeFirst(),
    count: async () =>
      Number(
        (
          await k
            .selectFrom("sources")
            .select((e) => e.fn.countAll<number>().as("n"))
            .executeTakeFirstOrThrow()
        ).n,
      ),

    /** The first source whose feed URL or site URL is one of `urls`. */
    findByUrls(urls: string[]): Promise<SourceRow | undefined> {
      if (!urls.length) return Promise.resolve(undefined);
      return k
        .selectFrom("sources")
        .selectAll()
        .where((eb) => eb.or([eb("feed_url", "in", urls), eb("site_url", "in", urls)]))
        .orderBy("id")
        .executeTakeFirst();
    },

    /** The source of another kind than feeds with this id in it (a fediverse account's actor URI). */
    byRemote: (kind: string, remoteId: string) =>
      k.selectFrom("sources").selectAll().where("kind", "=", kind).where("remote_id", "=", remoteId).executeTakeFirst(),

    /** Insert a source; undefined when its feed URL is already followed. */
    async insert(values: NewSource): Promise<SourceRow | undefined> {
      return k
        .insertInto("sources")
        .values({ ...SOURCE_DEFAULTS, ...values })
        .onConflict((oc) => oc.column("feed_url").doNothing())
        .returningAll()
        .executeTakeFirst();
    },

    async update(id: number, patch: SourcePatch): Promise<void> {
      await k.updateTable("sources").set(patch).where("id", "=", id).execute();
    },

    async remove(id: number): Promise<boolean> {
      const r = await k.deleteFrom("sources").where("id", "=", id).executeTakeFirst();
      return Number(r.numDeletedRows) > 0;
    },

    /** Items and unread items per source. */
    async itemCounts(): Promise<Map<number, { total: number; unread: number }>> {
      const rows = await k
        .selectFrom("items")
        .select([
          "source_id",
          (e) => e.fn.countAll<number>().as("total"),
          (e) => e.fn.sum<number>(e.ref("is_read")).as("read"),
        ])
        .groupBy("source_id")
        .execute();
      return new Map(
        rows.map((r) => [r.source_id, { total: Number(r.total), unread: Number(r.total) - Number(r.read ?? 0) }]),
      );
    },

    async itemCount(sourceId: number): Promise<number> {
      const r = await k
        .selectFrom("items")
        .select((e) => e.fn.countAll<number>().as("n"))
        .where("source_id", "=", sourceId)
        .executeTakeFirstOrThrow();
      return Number(r.n);
    },

    // ---- polling ----
    /** Make every source due now (`liner sources poll --once`). */
    async markAllDue(now: string): Promise<void> {
      await k.updateTable("sources").set({ next_fetch_at: now }).execute();
    },

    async countDue(now: string): Promise<number> {
      const r = await k
        .selectFrom("sources")
        .select((e) => e.fn.countAll<number>().as("n"))
        .where("next_fetch_at", "<=", now)
        .where((eb) => eb.or([eb("lease_until", "is", null), eb("lease_until", "<", now)]))
        .executeTakeFirstOrThrow();
      return Number(r.n);
    },

    /** When the earliest source is due (null when there are none). */
    async nextDueAt(): Promise<string | null> {
      const r = await k
        .selectFrom("sources")
        .select((e) => e.fn.min("next_fetch_at").as("at"))
        .executeTakeFirst();
      return (r?.at as string | null) ?? null;
    },

    /** Lease up to `limit` due sources, oldest due first; each is ours until `leaseUntil`. */
    async claimDue(now: string, leaseUntil: string, limit: number): Promise<ClaimedSource[]> {
      const r = await sql<ClaimedSource>`
        UPDATE sources SET lease_until = ${leaseUntil}
        WHERE id IN (
          SELECT id FROM sources
          WHERE next_fetch_at <= ${now} AND (lease_until IS NULL OR lease_until < ${now})
          ORDER BY next_fetch_at, id LIMIT ${limit} ${lock}
        )
        RETURNING ${claimedColumns}`.execute(k);
      return r.rows;
    },

    /** Hand back leases of sources claimed but not polled (a pass stopped by Ctrl-C). */
    async releaseLeases(ids: number[]): Promise<void> {
      for (let i = 0; i < ids.length; i += 500) {
        await k
          .updateTable("sources")
          .set({ lease_until: null })
          .where("id", "in", ids.slice(i, i + 500))
          .execute();
      }
    },

    /** Lease one source whatever its schedule ("Retry now"); undefined if another worker holds it. */
    async claimOne(id: number, now: string, leaseUntil: string): Promise<ClaimedSource | undefined> {
      const r = await sql<ClaimedSource>`
        UPDATE sources SET lease_until = ${leaseUntil}, next_fetch_at = ${now}
        WHERE id = ${id} AND (lease_until IS NULL OR lease_until < ${now})
        RETURNING ${claimedColumns}`.execute(k);
      return r.rows[0];
    },

    /** Which of these dedupe keys the source already has (so known items skip the mapping work). */
    async knownKeys(sourceId: number, keys: string[]): Promise<Set<string>> {
      const out = new Set<string>();
      for (let i = 0; i < keys.length; i += 500) {
        const rows = await k
          .selectFrom("items")
          .select("dedupe_key")
          .where("source_id", "=", sourceId)
          .where("dedupe_key", "in", keys.slice(i, i + 500))
          .execute();
        for (const r of rows) out.add(r.dedupe_key);
      }
      return out;
    },

    /**
     * Store a poll's outcome and release the lease: new items (duplicates skipped by the unique
     * (source_id, dedupe_key) index) and the source's new state, in one short transaction.
     * Returns how many items were new.
     */
    async finishPoll(id: number, patch: SourcePatch, items: NewItem[] = []): Promise<number> {
      const write = async (t: K) => {
        const inserted = await insertItems(t, id, items);
        await t
          .updateTable("sources")
          .set({ ...patch, lease_until: null })
          .where("id", "=", id)
          .execute();
        return inserted;
      };
      // Without items a single UPDATE needs no transaction (and on SQLite no write lock held across awaits).
      return items.length ? inTransaction(db, ({ kysely: t }) => write(t)) : write(k);
    },

    /** Items that arrived by themselves (a followed account's posts): stored, the source untouched. */
    async addItems(id: number, items: NewItem[]): Promise<number> {
      return items.length ? inTransaction(db, ({ kysely: t }) => insertItems(t, id, items)) : 0;
    },

    // ---- OPML ----
    /**
     * Create an OPML file's folders (reusing same-named ones under the same parent) and sources
     * in one transaction: either all of it is imported or nothing is. Returns what was added, skipped as already followed, and created.
     */
    async importTree(root: ImportFolder, now: string): Promise<{ added: number; duplicates: number; folders: number }> {
      return inTransaction(db, async ({ kysely: t }) => {
        const counts = { added: 0, duplicates: 0, folders: 0 };
        const walk = async (node: ImportFolder, folderId: number | null) => {
          for (const e of node.entries) {
            if ("entries" in e) {
              const folder = await findOrCreateFolder(t, e.name, folderId, now);
              if (folder.created) counts.folders++;
              await walk(e, folder.id);
              continue;
            }
            const r = await t
              .insertInto("sources")
              .values({ ...SOURCE_DEFAULTS, ...e, folder_id: folderId })
              .onConflict((oc) => oc.column("feed_url").doNothing())
              .returning("id")
              .executeTakeFirst();
            if (r) counts.added++;
            else counts.duplicates++;
          }
        };
        await walk(root, null);
        return counts;
      });
    },

    // ---- the recurring poll job ----
  };
}

export type SourceStore = ReturnType<typeof sourceStore>;
