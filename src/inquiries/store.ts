/** SQL for inquiries ("Work with me" messages), the page's intro text (`inquiry_settings`), and the owner's address. */
import type { Insertable, Selectable } from "kysely";
import type { Db } from "../lib/db/index.ts";
import type { InquiriesTable } from "../lib/db/schema.ts";

export type InquiryRow = Selectable<InquiriesTable>;

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

    /** The page's intro as saved (`inquiry_settings`); "" when none was saved. */
    intro: async (): Promise<string> =>
      (await k.selectFrom("inquiry_settings").select("intro").where("id", "=", 1).executeTakeFirst())?.intro ?? "",

    async saveIntro(intro: string): Promise<void> {
      await k
        .insertInto("inquiry_settings")
        .values({ id: 1, intro })
        .onConflict((oc) => oc.column("id").doUpdateSet({ intro }))
        .execute();
    },
  };
}
