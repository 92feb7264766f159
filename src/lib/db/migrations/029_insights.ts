/**
 * Insights (issue 17): cookieless page views (a visitor is a hash under a salt that lives one day),
 * their daily rollups (kept forever), outcomes with what led to them, experiments, and settings.
 */
import type { Kysely } from "kysely";
import type { Dialect } from "../index.ts";
import { idColumn } from "./helpers.ts";

export async function up(db: Kysely<unknown>, dialect: Dialect): Promise<void> {
  await db.schema
    .createTable("insight_salts")
    .addColumn("day", "text", (c) => c.primaryKey())
    .addColumn("salt", "text", (c) => c.notNull())
    .execute();
  await idColumn(db.schema.createTable("insight_views"), dialect)
    .addColumn("day", "text", (c) => c.notNull())
    .addColumn("at", "text", (c) => c.notNull())
    .addColumn("visitor", "text", (c) => c.notNull())
    .addColumn("path", "text", (c) => c.notNull())
    .addColumn("source", "text", (c) => c.notNull())
    .addColumn("referrer_host", "text", (c) => c.notNull())
    .addColumn("utm_source", "text", (c) => c.notNull())
    .addColumn("utm_medium", "text", (c) => c.notNull())
    .addColumn("utm_campaign", "text", (c) => c.notNull())
    .addColumn("ref", "text")
    .addColumn("device", "text", (c) => c.notNull())
    .execute();
  // By day only: rows arrive in day order, so the index grows at its end (an index by visitor,
  // random hashes, made each insert several times dearer under load). A visit (a visitor's views
  // of one day) is read by scanning its day, which happens per outcome and per daily rollup.
  await db.schema.createIndex("insight_views_day").on("insight_views").columns(["day"]).execute();
  await db.schema
    .createTable("insight_daily")
    .addColumn("day", "text", (c) => c.notNull())
    // total | path | source | device | ref | entry
    .addColumn("dim", "text", (c) => c.notNull())
    .addColumn("key", "text", (c) => c.notNull())
    .addColumn("views", "integer", (c) => c.notNull())
    .addColumn("visitors", "integer", (c) => c.notNull())
    .addPrimaryKeyConstraint("insight_daily_pk", ["day", "dim", "key"])
    .execute();
  await idColumn(db.schema.createTable("insight_outcomes"), dialect)
    // subscription | inquiry | registration | comment | follower | click | forward | manual
    .addColumn("kind", "text", (c) => c.notNull())
    .addColumn("at", "text", (c) => c.notNull())
    .addColumn("post_id", "integer")
    // The owning module's stable name for who it was ("subscriber:42"), never an address.
    .addColumn("who", "text", (c) => c.notNull())
    .addColumn("entry_path", "text", (c) => c.notNull())
    .addColumn("source", "text", (c) => c.notNull())
    // JSON list of the paths read before it, in order (first touch first, last touch last).
    .addColumn("pages", "text", (c) => c.notNull())
    // The reader's visitor hash of that day (views under it are the visit), until attributed.
    .addColumn("visitor", "text")
    .addColumn("attributed_at", "text")
    .addColumn("value_cents", "integer")
    .addColumn("currency", "text")
    .addColumn("note", "text", (c) => c.notNull())
    .addColumn("created_at", "text", (c) => c.notNull())
    .execute();
  await db.schema.createIndex("insight_outcomes_at").on("insight_outcomes").columns(["at"]).execute();
  await db.schema.createIndex("insight_outcomes_post").on("insight_outcomes").columns(["post_id", "at"]).execute();
  await idColumn(db.schema.createTable("insight_experiments"), dialect)
    .addColumn("hypothesis", "text", (c) => c.notNull())
    .addColumn("channel", "text", (c) => c.notNull())
    .addColumn("starts_on", "text", (c) => c.notNull())
    .addColumn("ends_on", "text", (c) => c.notNull())
    .addColumn("stopped_on", "text")
    .addColumn("created_at", "text", (c) => c.notNull())
    .execute();
  await db.schema
    .createTable("insight_settings")
    .addColumn("name", "text", (c) => c.primaryKey())
    .addColumn("value", "text", (c) => c.notNull())
    .execute();
}
