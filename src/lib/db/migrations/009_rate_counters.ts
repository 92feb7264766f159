/**
 * Expiring counters shared by every process (issue 11): the sign-in and public-form rate limits
 * and the "once per client per hour" de-duplication of digest clicks. One row per counted key:
 * how many hits its window has seen and when the window ends. Rows past `expires_at` mean nothing
 * and are swept now and then (src/lib/limits/), hence the index.
 */
import type { Kysely } from "kysely";
import type { Dialect } from "../index.ts";

export async function up(db: Kysely<unknown>, _dialect: Dialect): Promise<void> {
  await db.schema
    .createTable("rate_counters")
    // A purpose prefix and a hash of the subject (an email, an address): never the subject itself.
    .addColumn("key", "text", (c) => c.primaryKey())
    .addColumn("count", "integer", (c) => c.notNull())
    .addColumn("expires_at", "text", (c) => c.notNull())
    .execute();
  await db.schema.createIndex("rate_counters_expires").on("rate_counters").column("expires_at").execute();
}
