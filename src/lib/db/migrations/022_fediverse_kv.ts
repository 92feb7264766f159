/**
 * The fediverse module's key–value store (issue 15): Fedify keeps its caches (remote actors'
 * documents, public keys), idempotence records of received activities and its own bookkeeping in
 * a `KvStore`; ours is this table, so every web process and worker shares it, on either database.
 * A key is Fedify's array of strings as JSON text; a value is JSON; `expires_at` (ISO) for TTLs.
 * Beside it: the actor's key pairs (`fedi_keys`, RSA for HTTP Signatures and Ed25519 for Object
 * Integrity Proofs, made on first use) and the account's settings (`fedi_settings`).
 */
import type { Kysely } from "kysely";
import type { Dialect } from "../index.ts";
import { singleRowKey } from "./helpers.ts";

export async function up(db: Kysely<unknown>, _dialect: Dialect): Promise<void> {
  await db.schema
    .createTable("fedi_kv")
    .addColumn("key", "text", (c) => c.primaryKey())
    .addColumn("value", "text", (c) => c.notNull())
    .addColumn("expires_at", "text")
    .execute();
  await db.schema.createIndex("fedi_kv_expires").on("fedi_kv").column("expires_at").execute();

  await db.schema
    .createTable("fedi_keys")
    // rsa | ed25519
    .addColumn("kind", "text", (c) => c.primaryKey())
    .addColumn("private_jwk", "text", (c) => c.notNull())
    .addColumn("public_jwk", "text", (c) => c.notNull())
    .addColumn("created_at", "text", (c) => c.notNull())
    .execute();

  await singleRowKey(db.schema.createTable("fedi_settings"))
    // The account's name: @handle@host.
    .addColumn("handle", "text", (c) => c.notNull().defaultTo("owner"))
    // 1: follow requests wait for the owner's approval.
    .addColumn("approve_followers", "integer", (c) => c.notNull().defaultTo(0))
    .execute();
}
