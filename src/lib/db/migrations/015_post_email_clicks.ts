/**
 * Click counting for new-post emails (issue 12), like the digests' per entry: each link of a
 * send is a row with its count. Counted for the link only, never for a person. Opens are
 * counted only for a send the owner asked it for (a pixel in that send): one count per send.
 */
import type { Kysely } from "kysely";
import type { Dialect } from "../index.ts";
import { idColumn } from "./helpers.ts";

export async function up(db: Kysely<unknown>, dialect: Dialect): Promise<void> {
  await idColumn(db.schema.createTable("post_email_links"), dialect)
    // Null only while the send is being created (its links are written first, in one transaction).
    .addColumn("send_id", "integer", (c) => c.references("mail_sends.id").onDelete("cascade"))
    .addColumn("url", "text", (c) => c.notNull())
    .addColumn("clicks", "integer", (c) => c.notNull().defaultTo(0))
    .addColumn("created_at", "text", (c) => c.notNull())
    .execute();
  await db.schema.createIndex("post_email_links_send").on("post_email_links").column("send_id").execute();
  await idColumn(db.schema.createTable("post_email_opens"), dialect)
    .addColumn("send_id", "integer", (c) => c.references("mail_sends.id").onDelete("cascade"))
    .addColumn("opens", "integer", (c) => c.notNull().defaultTo(0))
    .addColumn("created_at", "text", (c) => c.notNull())
    .execute();
  await db.schema.createIndex("post_email_opens_send").on("post_email_opens").column("send_id").execute();
}
