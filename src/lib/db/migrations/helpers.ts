/** Small helpers so one migration file serves both dialects. */
import { type CreateTableBuilder, sql } from "kysely";
import type { Dialect } from "../index.ts";

/** Adds an auto-incrementing integer primary key named `id`. */
export function idColumn<T extends string>(table: CreateTableBuilder<T, never>, dialect: Dialect) {
  return dialect === "postgres"
    ? table.addColumn("id", "serial", (c) => c.primaryKey())
    : table.addColumn("id", "integer", (c) => c.primaryKey().autoIncrement());
}

/**
 * Adds the key of a single-row table: `id`, always 1 (a CHECK keeps a second row out). The row
 * is written with an upsert on `id`; a missing row means "the defaults".
 */
export function singleRowKey<T extends string>(table: CreateTableBuilder<T, never>) {
  return table.addColumn("id", "integer", (c) => c.primaryKey().check(sql`id = 1`));
}
