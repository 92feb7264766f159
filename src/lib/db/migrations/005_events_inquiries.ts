/**
 * Events and inquiries (issue 4): an event is a post of kind "event" with its time, place and
 * capacity in `events`; `registrations` hold who registered (or waits), and `inquiries` the
 * "Work with me" messages with the page and referrer they came from.
 */
import type { Kysely } from "kysely";
import type { Dialect } from "../index.ts";
import { idColumn } from "./helpers.ts";

export async function up(db: Kysely<unknown>, dialect: Dialect): Promise<void> {
  await db.schema
    .createTable("events")
    .addColumn("post_id", "integer", (c) => c.primaryKey().references("posts.id").onDelete("cascade"))
    // Instants in UTC (ISO 8601); the zone says how to show them and writes DTSTART;TZID.
    .addColumn("starts_at", "text", (c) => c.notNull())
    .addColumn("ends_at", "text", (c) => c.notNull())
    .addColumn("time_zone", "text", (c) => c.notNull())
    .addColumn("venue", "text", (c) => c.notNull().defaultTo(""))
    .addColumn("online_url", "text", (c) => c.notNull().defaultTo(""))
    // Null: no limit.
    .addColumn("capacity", "integer")
    .addColumn("question", "text", (c) => c.notNull().defaultTo(""))
    .execute();
  await db.schema.createIndex("events_starts").on("events").columns(["starts_at"]).execute();

  await idColumn(db.schema.createTable("registrations"), dialect)
    .addColumn("event_id", "integer", (c) => c.notNull().references("events.post_id").onDelete("cascade"))
    .addColumn("email", "text", (c) => c.notNull())
    .addColumn("name", "text", (c) => c.notNull().defaultTo(""))
    .addColumn("answer", "text", (c) => c.notNull().defaultTo(""))
    // registered | waitlisted | cancelled
    .addColumn("status", "text", (c) => c.notNull())
    .addColumn("source_page", "text", (c) => c.notNull().defaultTo(""))
    .addColumn("created_at", "text", (c) => c.notNull())
    .addColumn("promoted_at", "text")
    .addColumn("cancelled_at", "text")
    .addColumn("reminded_at", "text")
    .execute();
  await db.schema
    .createIndex("registrations_unique")
    .on("registrations")
    .columns(["event_id", "email"])
    .unique()
    .execute();
  await db.schema
    .createIndex("registrations_event")
    .on("registrations")
    .columns(["event_id", "status", "id"])
    .execute();

  await idColumn(db.schema.createTable("inquiries"), dialect)
    .addColumn("name", "text", (c) => c.notNull())
    .addColumn("email", "text", (c) => c.notNull())
    .addColumn("topic", "text", (c) => c.notNull().defaultTo(""))
    .addColumn("message", "text", (c) => c.notNull())
    // The page the form was sent from and the referrer of the visit, for outcome attribution.
    .addColumn("source_page", "text", (c) => c.notNull().defaultTo(""))
    .addColumn("referrer", "text", (c) => c.notNull().defaultTo(""))
    .addColumn("status", "text", (c) => c.notNull().defaultTo("new"))
    .addColumn("created_at", "text", (c) => c.notNull())
    .execute();
  await db.schema.createIndex("inquiries_created").on("inquiries").columns(["created_at"]).execute();
}
