/**
 * The owner's notes in reply to others' posts (issue 15: answering a followed account's post from
 * the reader). Each is served at `/ap/notes/{id}`, where the server it went to can fetch it.
 */
import type { Kysely } from "kysely";
import type { Dialect } from "../index.ts";
import { idColumn } from "./helpers.ts";

export async function up(db: Kysely<unknown>, dialect: Dialect): Promise<void> {
  await idColumn(db.schema.createTable("fedi_notes"), dialect)
    .addColumn("in_reply_to", "text", (c) => c.notNull())
    .addColumn("to_actor", "text", (c) => c.notNull())
    .addColumn("to_handle", "text", (c) => c.notNull())
    .addColumn("reader_item_id", "integer")
    .addColumn("html", "text", (c) => c.notNull())
    .addColumn("created_at", "text", (c) => c.notNull())
    .execute();
}
