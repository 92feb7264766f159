/**
 * Sources of other kinds than feeds (issue 15: fediverse accounts the reader follows). `kind` says
 * which module follows a source ("feed": the reader itself polls `feed_url`); `remote_id` is the
 * source's stable id in that kind (a fediverse actor's URI), by which pushed items find it.
 */
import { type Kysely, sql } from "kysely";
import type { Dialect } from "../index.ts";

export async function up(db: Kysely<unknown>, _dialect: Dialect): Promise<void> {
  await db.schema
    .alterTable("sources")
    .addColumn("kind", "text", (c) => c.notNull().defaultTo(sql`'feed'`))
    .execute();
  await db.schema.alterTable("sources").addColumn("remote_id", "text").execute();
  // Feeds have no remote id (NULLs never collide); an account is followed once.
  await db.schema.createIndex("sources_kind_remote").on("sources").columns(["kind", "remote_id"]).unique().execute();
}
