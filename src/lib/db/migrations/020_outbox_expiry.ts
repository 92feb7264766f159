/**
 * Mail that goes stale (issue 13, password reset): `outbox.expires_at`, after which a row still
 * unsent is dropped at claim time rather than delivered (a reset link that no longer works), and
 * `outbox.topic`, an opaque key by which its sender withdraws what is still waiting (a newer
 * reset link replaces the older one's mail). Both null on every existing row.
 */
import type { Kysely } from "kysely";
import type { Dialect } from "../index.ts";

export async function up(db: Kysely<unknown>, _dialect: Dialect): Promise<void> {
  await db.schema.alterTable("outbox").addColumn("expires_at", "text").execute();
  await db.schema.alterTable("outbox").addColumn("topic", "text").execute();
  // Each claim looks for expired rows: an index range scan skips the (null) rest of the outbox.
  await db.schema.createIndex("outbox_expires").on("outbox").column("expires_at").execute();
  await db.schema.createIndex("outbox_topic").on("outbox").column("topic").execute();
}
