/** SQL for uploaded media (`media` rows; the files themselves are handled by media.ts). */
import type { Insertable, Selectable } from "kysely";
import type { Db } from "../lib/db/index.ts";
import type { MediaTable } from "../lib/db/schema.ts";

export type MediaRow = Selectable<MediaTable>;

/** Reads and writes of media rows. */
export function mediaStore(db: Db) {
  const k = db.kysely;
  return {
    insert: (row: Insertable<MediaTable>): Promise<MediaRow> =>
      k.insertInto("media").values(row).returningAll().executeTakeFirstOrThrow(),

    /** Newest first; `type` picks images or PDFs. */
    list(o: { type?: "image" | "pdf"; limit?: number; offset?: number } = {}): Promise<MediaRow[]> {
      let q = k.selectFrom("media").selectAll();
      if (o.type === "pdf") q = q.where("mime", "=", "application/pdf");
      if (o.type === "image") q = q.where("mime", "like", "image/%");
      return q
        .orderBy("id", "desc")
        .limit(o.limit ?? 200)
        .offset(o.offset ?? 0)
        .execute();
    },

    byId: (id: number): Promise<MediaRow | undefined> =>
      k.selectFrom("media").selectAll().where("id", "=", id).executeTakeFirst(),

    /** Rows whose storage key is one of `keys`. */
    byKeys: (keys: string[]): Promise<MediaRow[]> =>
      k.selectFrom("media").selectAll().where("key", "in", keys).execute(),

    setAlt: (id: number, alt: string): Promise<MediaRow | undefined> =>
      k.updateTable("media").set({ alt }).where("id", "=", id).returningAll().executeTakeFirst(),

    delete: (id: number) => k.deleteFrom("media").where("id", "=", id).execute(),
  };
}
