/**
 * The backup module's settings (issue 13): one row, missing until the owner saves the Backups
 * page (a missing row means the defaults: daily backups off, 03:00 in the owner's zone, keep 7,
 * in <dataDir>/backups).
 */
import type { Kysely } from "kysely";
import type { Dialect } from "../index.ts";
import { singleRowKey } from "./helpers.ts";

export async function up(db: Kysely<unknown>, _dialect: Dialect): Promise<void> {
  await singleRowKey(db.schema.createTable("backup_settings"))
    .addColumn("enabled", "integer", (c) => c.notNull().defaultTo(0))
    .addColumn("time", "text", (c) => c.notNull().defaultTo("03:00"))
    .addColumn("keep", "integer", (c) => c.notNull().defaultTo(7))
    // Empty: <dataDir>/backups.
    .addColumn("folder", "text", (c) => c.notNull().defaultTo(""))
    .execute();
}
