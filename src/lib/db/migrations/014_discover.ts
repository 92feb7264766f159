/**
 * Discover shows names rather than bare hosts, and remembers what the user dismissed (issue 12):
 * citations get the text of the citing link (or the credited name), and `discover_dismissed`
 * holds the hosts the user does not want suggested again.
 */
import { type Kysely, sql } from "kysely";
import type { Dialect } from "../index.ts";

export async function up(db: Kysely<unknown>, _dialect: Dialect): Promise<void> {
  await db.schema
    .alterTable("citations")
    .addColumn("label", "text", (c) => c.notNull().defaultTo(sql`''`))
    .execute();
  await db.schema
    .createTable("discover_dismissed")
    // A citations.target_host value (a host, or host/@profile on shared hosts).
    .addColumn("host", "text", (c) => c.primaryKey())
    .addColumn("dismissed_at", "text", (c) => c.notNull())
    .execute();
}
