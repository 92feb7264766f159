/**
 * The owned audience (issue 4): lists with their promise, subscribers, and subscriptions that
 * are also the consent record (the promise as shown, the page it was given on, request and
 * confirmation times, where an imported consent came from).
 */
import type { Kysely } from "kysely";
import type { Dialect } from "../index.ts";
import { idColumn } from "./helpers.ts";

export async function up(db: Kysely<unknown>, dialect: Dialect): Promise<void> {
  await idColumn(db.schema.createTable("lists"), dialect)
    .addColumn("slug", "text", (c) => c.notNull().unique())
    .addColumn("name", "text", (c) => c.notNull())
    .addColumn("promise", "text", (c) => c.notNull().defaultTo(""))
    .addColumn("is_public", "integer", (c) => c.notNull().defaultTo(1))
    .addColumn("created_at", "text", (c) => c.notNull())
    .execute();

  await idColumn(db.schema.createTable("subscribers"), dialect)
    .addColumn("email", "text", (c) => c.unique())
    .addColumn("name", "text", (c) => c.notNull().defaultTo(""))
    .addColumn("created_at", "text", (c) => c.notNull())
    // Erasure removes the address and name; the row stays so counts and history add up.
    .addColumn("erased_at", "text")
    .execute();

  await idColumn(db.schema.createTable("subscriptions"), dialect)
    .addColumn("subscriber_id", "integer", (c) => c.notNull().references("subscribers.id").onDelete("cascade"))
    .addColumn("list_id", "integer", (c) => c.notNull().references("lists.id").onDelete("cascade"))
    .addColumn("status", "text", (c) => c.notNull())
    .addColumn("promise_shown", "text", (c) => c.notNull().defaultTo(""))
    .addColumn("source", "text", (c) => c.notNull().defaultTo(""))
    .addColumn("source_page", "text", (c) => c.notNull().defaultTo(""))
    .addColumn("requested_at", "text", (c) => c.notNull())
    .addColumn("confirmed_at", "text")
    .addColumn("unsubscribed_at", "text")
    .execute();
  await db.schema
    .createIndex("subscriptions_unique")
    .on("subscriptions")
    .columns(["subscriber_id", "list_id"])
    .unique()
    .execute();
  await db.schema.createIndex("subscriptions_list").on("subscriptions").columns(["list_id", "status"]).execute();
}
