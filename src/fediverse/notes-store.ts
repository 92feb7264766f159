/** SQL of the owner's notes in reply to others' posts (`fedi_notes`). */
import type { Insertable, Selectable } from "kysely";
import type { Db } from "../lib/db/index.ts";
import type { FediNotesTable } from "../lib/db/schema.ts";

export type NoteRow = Selectable<FediNotesTable>;

export function notesStore(db: Db) {
  const k = db.kysely;
  return {
    async add(row: Insertable<FediNotesTable>): Promise<number> {
      const r = await k.insertInto("fedi_notes").values(row).returning("id").executeTakeFirstOrThrow();
      return r.id;
    },
    byId: (id: number): Promise<NoteRow | undefined> =>
      k.selectFrom("fedi_notes").selectAll().where("id", "=", id).executeTakeFirst(),
    /** The notes that answered a reader item, newest first. */
    ofItem: (itemId: number): Promise<NoteRow[]> =>
      k.selectFrom("fedi_notes").selectAll().where("reader_item_id", "=", itemId).orderBy("id", "desc").execute(),
  };
}
