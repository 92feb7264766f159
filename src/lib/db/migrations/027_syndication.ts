/**
 * Syndication (issue 16): the owner's accounts elsewhere (Bluesky, Mastodon, LinkedIn), their
 * credentials sealed with the site's secret, and the copies of posts sent to them. A copy is one
 * row per post and account: its idempotency record, so a double click or a restart never posts twice.
 */
import { type Kysely, sql } from "kysely";
import type { Dialect } from "../index.ts";
import { idColumn } from "./helpers.ts";

export async function up(db: Kysely<unknown>, dialect: Dialect): Promise<void> {
  await idColumn(db.schema.createTable("synd_accounts"), dialect)
    .addColumn("platform", "text", (c) => c.notNull())
    .addColumn("handle", "text", (c) => c.notNull())
    .addColumn("service_url", "text", (c) => c.notNull())
    .addColumn("secret_sealed", "text", (c) => c.notNull())
    .addColumn("secret_hint", "text", (c) => c.notNull())
    .addColumn("status", "text", (c) => c.notNull().defaultTo(sql`'ok'`))
    // JSON list of post kinds whose editor starts with this account ticked.
    .addColumn("default_kinds", "text", (c) => c.notNull().defaultTo(sql`'["article","note","link"]'`))
    .addColumn("last_error", "text")
    .addColumn("checked_at", "text")
    // Backfeed: where the last poll of the account's notifications stopped, and when the next goes.
    .addColumn("poll_cursor", "text")
    .addColumn("poll_interval_s", "integer", (c) => c.notNull().defaultTo(300))
    .addColumn("next_poll_at", "text")
    .addColumn("created_at", "text", (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex("synd_accounts_unique")
    .on("synd_accounts")
    .columns(["platform", "service_url", "handle"])
    .unique()
    .execute();
  await idColumn(db.schema.createTable("synd_copies"), dialect)
    .addColumn("post_id", "integer", (c) => c.notNull())
    .addColumn("account_id", "integer", (c) => c.notNull())
    // queued | sending | sent | failed | deleted
    .addColumn("status", "text", (c) => c.notNull())
    .addColumn("text", "text", (c) => c.notNull())
    .addColumn("url", "text")
    .addColumn("remote_id", "text")
    .addColumn("last_error", "text")
    .addColumn("attempts", "integer", (c) => c.notNull().defaultTo(0))
    .addColumn("send_at", "text")
    .addColumn("sent_at", "text")
    .addColumn("created_at", "text", (c) => c.notNull())
    .addColumn("updated_at", "text", (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex("synd_copies_post_account")
    .on("synd_copies")
    .columns(["post_id", "account_id"])
    .unique()
    .execute();
}
