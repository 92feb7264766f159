/**
 * A page's counts over all days (the post's editor, the post list's "Led to" column) read by
 * dimension and key: without this index each read went through every day's rows.
 */
import type { Kysely } from "kysely";
import type { Dialect } from "../index.ts";

export async function up(db: Kysely<unknown>, _dialect: Dialect): Promise<void> {
  await db.schema.createIndex("insight_daily_key").on("insight_daily").columns(["dim", "key"]).execute();
}
