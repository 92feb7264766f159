/**
 * SQL for digests, their sections and entries, clicks, the schedule (`digest_settings`), and the
 * saves and posts a draft is filled from.
 */
import type { Insertable, Kysely, Selectable, Transaction } from "kysely";
import type { Db } from "../lib/db/index.ts";
import type { Database, DigestEntriesTable, DigestSectionsTable, DigestsTable } from "../lib/db/schema.ts";
import { inTransaction } from "../lib/db/transaction.ts";

export type DigestRow = Selectable<DigestsTable>;
export type SectionRow = Selectable<DigestSectionsTable>;
export type EntryRow = Selectable<DigestEntriesTable>;
type K = Kysely<Database> | Transaction<Database>;

export function digestStore(db: Db) {
  const k = db.kysely;
  return {
    /** The saved schedule's JSON (`digest_settings`), or undefined when none was saved. */
    schedule: async (): Promise<string | undefined> =>
      (await k.selectFrom("digest_settings").select("schedule").where("id", "=", 1).executeTakeFirst())?.schedule,
    async putSchedule(json: string): Promise<void> {
      await k
        .insertInto("digest_settings")
        .values({ id: 1, schedule: json })
        .onConflict((oc) => oc.column("id").doUpdateSet({ schedule: json }))
        .execute();
    },
    /** The owner's address, for "review the draft" emails. */
    /** Run `fn` in one transaction (or in the caller's, when `db` is one already). */
    transaction: <T>(fn: (t: K) => Promise<T>) => inTransaction(db, (tx) => fn(tx.kysely)),

    insertDigest: (row: Insertable<DigestsTable>, t: K = k) =>
      t.insertInto("digests").values(row).returningAll().executeTakeFirstOrThrow(),
    insertSection: (row: Insertable<DigestSectionsTable>, t: K = k) =>
      t.insertInto("digest_sections").values(row).returningAll().executeTakeFirstOrThrow(),
    async insertEntries(rows: Insertable<DigestEntriesTable>[], t: K = k): Promise<void> {
      for (let i = 0; i < rows.length; i += 200)
        await t
          .insertInto("digest_entries")
          .values(rows.slice(i, i + 200))
          .execute();
    },

    byId: (id: number) => k.selectFrom("digests").selectAll().where("id", "=", id).executeTakeFirst(),
    byPostId: (postId: number) => k.selectFrom("digests").selectAll().where("post_id", "=", postId).executeTakeFirst(),
    list: (limit = 50) => k.selectFrom("digests").selectAll().orderBy("id", "desc").limit(limit).execute(),
    /** The newest digest, whose period end is where the next draft starts. */
    latest: () =>
      k.selectFrom("digests").selectAll().orderBy("period_end", "desc").orderBy("id", "desc").executeTakeFirst(),
    /** Drafts due to go out by themselves. */
    dueDrafts: (now: string) =>
      k
        .selectFrom("digests")
        .selectAll()
        .where("status", "=", "draft")
        .where("held", "=", 0)
        .where("send_at", "is not", null)
        .where("send_at", "<=", now)
        .execute(),
    /** Mark a draft sent; false when it was not a draft any more (sent by someone else meanwhile). */
    async claimDraft(id: number, at: string): Promise<boolean> {
      const r = await k
        .updateTable("digests")
        .set({ status: "sent", sent_at: at })
        .where("id", "=", id)
        .where("status", "=", "draft")
        .executeTakeFirst();
      return Number(r.numUpdatedRows) === 1;
    },
    deleteDigest: (id: number) => k.deleteFrom("digests").where("id", "=", id).execute(),
    update: (id: number, patch: Partial<Omit<DigestRow, "id">>, t: K = k) =>
      t.updateTable("digests").set(patch).where("id", "=", id).execute(),

    sections: (digestId: number) =>
      k
        .selectFrom("digest_sections")
        .selectAll()
        .where("digest_id", "=", digestId)
        .orderBy("position")
        .orderBy("id")
        .execute(),
    section: (id: number) => k.selectFrom("digest_sections").selectAll().where("id", "=", id).executeTakeFirst(),
    updateSection: (id: number, patch: Partial<Omit<SectionRow, "id">>, t: K = k) =>
      t.updateTable("digest_sections").set(patch).where("id", "=", id).execute(),
    deleteSection: (id: number) => k.deleteFrom("digest_sections").where("id", "=", id).execute(),

    /** Entries of a digest in section and position order (removed ones too; callers filter). */
    entries: (digestId: number) =>
      k
        .selectFrom("digest_entries")
        .selectAll()
        .where("digest_id", "=", digestId)
        .orderBy("position")
        .orderBy("id")
        .execute(),
    /** Live entries and their clicks per digest, in one query (the digest list). */
    async entryStats(ids: number[]): Promise<Map<number, { entries: number; clicks: number }>> {
      const out = new Map<number, { entries: number; clicks: number }>();
      if (!ids.length) return out;
      const rows = await k
        .selectFrom("digest_entries")
        .select([
          "digest_id",
          (eb) => eb.fn.countAll<string | number>().as("n"),
          (eb) => eb.fn.sum<string | number>("clicks").as("clicks"),
        ])
        .where("digest_id", "in", ids)
        .where("removed_at", "is", null)
        .groupBy("digest_id")
        .execute();
      for (const r of rows) out.set(r.digest_id, { entries: Number(r.n), clicks: Number(r.clicks ?? 0) });
      return out;
    },
    entry: (id: number) => k.selectFrom("digest_entries").selectAll().where("id", "=", id).executeTakeFirst(),
    updateEntry: (id: number, patch: Partial<Omit<EntryRow, "id">>, t: K = k) =>
      t.updateTable("digest_entries").set(patch).where("id", "=", id).execute(),
    purgeRemoved: (digestId: number, t: K = k) =>
      t.deleteFrom("digest_entries").where("digest_id", "=", digestId).where("removed_at", "is not", null).execute(),

    /** Count a click on an entry (and who, when per-subscriber tracking is on). */
    async click(entryId: number, subscriberId: number | null, at: string): Promise<void> {
      await k
        .updateTable("digest_entries")
        .set((eb) => ({ clicks: eb("clicks", "+", 1) }))
        .where("id", "=", entryId)
        .execute();
      await k
        .insertInto("digest_clicks")
        .values({ entry_id: entryId, subscriber_id: subscriberId, created_at: at })
        .execute();
    },
    /** Clicks summed by a column of sent digests' entries, most first. */
    clicksBy: (column: "theme_name" | "source_name") =>
      k
        .selectFrom("digest_entries as e")
        .innerJoin("digests as d", "d.id", "e.digest_id")
        .select([
          `e.${column} as name`,
          (eb) => eb.fn.sum<string | number>("e.clicks").as("clicks"),
          (eb) => eb.fn.countAll<string | number>().as("entries"),
        ])
        .where("d.status", "=", "sent")
        .where(`e.${column}`, "!=", "")
        .where("e.removed_at", "is", null)
        .groupBy(`e.${column}`)
        .execute(),
  };
}
