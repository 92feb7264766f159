/**
 * Email delivery (issue 4): sends (one message to many), the outbox (one row per message and
 * recipient, claimed with a lease) and suppressed addresses.
 */
import type { Kysely } from "kysely";
import type { Dialect } from "../index.ts";
import { idColumn } from "./helpers.ts";

export async function up(db: Kysely<unknown>, dialect: Dialect): Promise<void> {
  // A send is the template of a bulk email; its rows in the outbox carry each recipient's values.
  await idColumn(db.schema.createTable("mail_sends"), dialect)
    .addColumn("kind", "text", (c) => c.notNull())
    .addColumn("subject", "text", (c) => c.notNull())
    .addColumn("html", "text", (c) => c.notNull())
    .addColumn("text", "text", (c) => c.notNull())
    .addColumn("post_id", "integer")
    .addColumn("list_ids", "text", (c) => c.notNull().defaultTo("[]"))
    .addColumn("status", "text", (c) => c.notNull().defaultTo("sending"))
    .addColumn("total", "integer", (c) => c.notNull().defaultTo(0))
    .addColumn("created_by", "integer")
    .addColumn("created_at", "text", (c) => c.notNull())
    .addColumn("started_at", "text")
    .addColumn("finished_at", "text")
    .execute();

  await idColumn(db.schema.createTable("outbox"), dialect)
    .addColumn("send_id", "integer", (c) => c.references("mail_sends.id").onDelete("cascade"))
    // 0 = transactional (confirmations, registrations, inquiries), 10 = bulk: lower goes first.
    .addColumn("priority", "integer", (c) => c.notNull().defaultTo(10))
    .addColumn("to_email", "text", (c) => c.notNull())
    .addColumn("subscriber_id", "integer")
    .addColumn("list_id", "integer")
    .addColumn("message_id", "text", (c) => c.notNull().unique())
    // Transactional rows carry their own message; bulk rows take it from their send.
    .addColumn("subject", "text")
    .addColumn("html", "text")
    .addColumn("text", "text")
    .addColumn("attachments", "text", (c) => c.notNull().defaultTo("[]"))
    // Per-recipient values substituted into the send's template ({{unsubscribe_url}} ...) and headers.
    .addColumn("vars", "text", (c) => c.notNull().defaultTo("{}"))
    .addColumn("status", "text", (c) => c.notNull().defaultTo("queued"))
    .addColumn("attempts", "integer", (c) => c.notNull().defaultTo(0))
    .addColumn("next_attempt_at", "text", (c) => c.notNull())
    .addColumn("lease_until", "text")
    .addColumn("last_response", "text")
    .addColumn("sent_at", "text")
    .addColumn("created_at", "text", (c) => c.notNull())
    .execute();
  await db.schema.createIndex("outbox_due").on("outbox").columns(["status", "priority", "next_attempt_at"]).execute();
  await db.schema.createIndex("outbox_send").on("outbox").columns(["send_id", "status"]).execute();
  await db.schema.createIndex("outbox_email").on("outbox").columns(["to_email"]).execute();

  await db.schema
    .createTable("suppressions")
    .addColumn("email", "text", (c) => c.primaryKey())
    .addColumn("reason", "text", (c) => c.notNull())
    .addColumn("detail", "text", (c) => c.notNull().defaultTo(""))
    .addColumn("created_at", "text", (c) => c.notNull())
    .execute();
}
