/**
 * A page's counts over all days (the post's editor, the post list's "Led to" column) read by
 * dimension and key: without this index each read went through every day's rows.
 *
 * Also forgets the pages counted before modules could say which of their addresses hold a secret
 * (`secretPaths`: emailed token links, private previews): those paths are deleted from the views
 * and the daily counts, and outcomes that passed through one lose their trail of pages.
 */
import { type Kysely, sql } from "kysely";
import type { Dialect } from "../index.ts";

const SECRET_PREFIXES = [
  "/subscribe/confirm/",
  "/unsubscribe/",
  "/preferences/",
  "/e/",
  "/events/cancel/",
  "/comments/edit/",
  "/comments/confirm/",
  "/comments/unsubscribe/",
  "/webmention/status/",
  "/d/",
];

export async function up(db: Kysely<unknown>, _dialect: Dialect): Promise<void> {
  await db.schema.createIndex("insight_daily_key").on("insight_daily").columns(["dim", "key"]).execute();
  for (const prefix of SECRET_PREFIXES) {
    const like = `${prefix}%`;
    await sql`delete from insight_views where path like ${like}`.execute(db);
    await sql`delete from insight_daily where key like ${like}`.execute(db);
    await sql`update insight_outcomes set entry_path = '' where entry_path like ${like}`.execute(db);
    await sql`update insight_outcomes set pages = '[]' where pages like ${`%"${like}"%`}`.execute(db);
  }
  // A digest's private preview: /digests/<id>/<secret>.
  await sql`delete from insight_views where path like '/digests/%/%'`.execute(db);
  await sql`delete from insight_daily where key like '/digests/%/%'`.execute(db);
}
