/**
 * Sign-in that a stranger cannot lock, and a way back in (issue 13, item 5): `login_failures`
 * counts failed sign-ins per account and address (a keyed hash of the pair, never the email or
 * the address) with the time of the last one, from which the next attempt's delay follows;
 * `password_resets` holds one-time reset links, by the SHA-256 of their token, like setup links.
 */
import type { Kysely } from "kysely";
import type { Dialect } from "../index.ts";

export async function up(db: Kysely<unknown>, _dialect: Dialect): Promise<void> {
  await db.schema
    .createTable("login_failures")
    .addColumn("key", "text", (c) => c.primaryKey())
    .addColumn("failures", "integer", (c) => c.notNull())
    .addColumn("last_failure_at", "text", (c) => c.notNull())
    // When the row is forgotten (swept); until then the failures count.
    .addColumn("expires_at", "text", (c) => c.notNull())
    .execute();
  await db.schema.createIndex("login_failures_expires").on("login_failures").column("expires_at").execute();

  await db.schema
    .createTable("password_resets")
    .addColumn("token_hash", "text", (c) => c.primaryKey())
    .addColumn("user_id", "integer", (c) => c.notNull().references("users.id").onDelete("cascade"))
    .addColumn("created_at", "text", (c) => c.notNull())
    .addColumn("expires_at", "text", (c) => c.notNull())
    .addColumn("used_at", "text")
    .execute();
  await db.schema.createIndex("password_resets_user").on("password_resets").column("user_id").execute();
}
