/**
 * The fediverse module's key–value store (issue 15): Fedify keeps its caches (remote actors'
 * documents, public keys), idempotence records of received activities and its own bookkeeping in
 * a `KvStore`; ours is this table, so every web process and worker shares it, on either database.
 * A key is Fedify's array of strings as JSON text; a value is JSON; `expires_at` (ISO) for TTLs.
 */
import type { Kysely } from "kysely";
import type { Dialect } from "../index.ts";

export async function up(db: Kysely<unknown>, _dialect: Dialect): Promise<void> {
  await db.schema
    .createTable("fedi_kv")
    .addColumn("key", "text", (c) => c.primaryKey())
    .addColumn("value", "text", (c) => c.notNull())
    .addColumn("expires_at", "text")
    .execute();
  await db.schema.createIndex("fedi_kv_expires").on("fedi_kv").column("expires_at").execute();
}
