/**
 * A copy's own options, chosen in the editor: Mastodon's content warning, and a long Bluesky note
 * sent as a thread (only when the owner asks), and the thread's other records; and the module's
 * settings (share links shown to readers).
 */
import { type Kysely, sql } from "kysely";
import type { Dialect } from "../index.ts";

export async function up(db: Kysely<unknown>, _dialect: Dialect): Promise<void> {
  await db.schema.alterTable("synd_copies").addColumn("content_warning", "text").execute();
  await db.schema
    .alterTable("synd_copies")
    .addColumn("as_thread", "integer", (c) => c.notNull().defaultTo(sql`0`))
    .execute();
  // A thread's records after the first (space-separated at:// URIs): deleting the copy deletes them too.
  await db.schema.alterTable("synd_copies").addColumn("remote_more", "text").execute();
  // The module's own settings (share links for readers), one row each.
  await db.schema
    .createTable("synd_settings")
    .addColumn("name", "text", (c) => c.primaryKey())
    .addColumn("value", "text", (c) => c.notNull())
    .execute();
}
