/** SQL for inquiries ("Work with me" messages), the page's intro text, and the owner's address. */
import type { Insertable, Selectable } from "kysely";
import type { Db } from "../lib/db/index.ts";
import type { InquiriesTable } from "../lib/db/schema.ts";

export type InquiryRow = Selectable<InquiriesTable>;

/** The settings key of the page's own options (kept apart from the site settings). */
const SETTINGS_KEY = "inquiries";

export function inquiryStore(db: Db) {
  const k = db.kysely;
  return {
    /** Erasure: name, address and message of `email`'s inquiries are removed; page and referrer stay for outcomes. */
    async eraseEmail(email: string): Promise<number> {
      const r = await k
        .updateTable("inquiries")
        .set({ name: "(erased)", email: "", message: "(erased)", topic: "" })
        .where("email", "=", email)
        .executeTakeFirst();
      return Number(r.numUpdatedRows);
    },

    insert: (row: Insertable<InquiriesTable>): Promise<InquiryRow> =>
      k.insertInto("inquiries").values(row).returningAll().executeTakeFirstOrThrow(),

    /** Newest first; the id breaks ties between inquiries sent within the same millisecond. */
    recent: (limit: number): Promise<InquiryRow[]> =>
      k.selectFrom("inquiries").selectAll().orderBy("created_at", "desc").orderBy("id", "desc").limit(limit).execute(),

    byId: (id: number) => k.selectFrom("inquiries").selectAll().where("id", "=", id).executeTakeFirst(),

    async setStatus(id: number, status: string): Promise<boolean> {
      const r = await k.updateTable("inquiries").set({ status }).where("id", "=", id).executeTakeFirst();
      return Number(r.numUpdatedRows) > 0;
    },

    async countNew(): Promise<number> {
      const r = await k
        .selectFrom("inquiries")
        .select((eb) => eb.fn.countAll<string | number>().as("n"))
        .where("status", "=", "new")
        .executeTakeFirstOrThrow();
      return Number(r.n);
    },

    /** The first owner account's address: inquiries are emailed there. */
    async ownerEmail(): Promise<string | undefined> {
      const r = await k
        .selectFrom("users")
        .select("email")
        .where("role", "=", "owner")
        .orderBy("id")
        .limit(1)
        .executeTakeFirst();
      return r?.email;
    },

    async options(): Promise<unknown> {
      const r = await k.selectFrom("settings").select("value").where("key", "=", SETTINGS_KEY).executeTakeFirst();
      return r ? JSON.parse(r.value) : {};
    },

    async saveOptions(value: unknown): Promise<void> {
      const json = JSON.stringify(value);
      await k
        .insertInto("settings")
        .values({ key: SETTINGS_KEY, value: json })
        .onConflict((oc) => oc.column("key").doUpdateSet({ value: json }))
        .execute();
    },
  };
}
