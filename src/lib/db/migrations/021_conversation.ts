/**
 * Conversations (issue 14): everything people said about a post in one table,
 * `conversation_items`, whatever way it came (a comment on the site, a Webmention, and later a
 * fediverse or Bluesky reply: `via` says which, `remote_id` keeps the far side's id so a repeat
 * updates the item instead of adding one). Beside it: Webmentions received (`webmentions_in`, the
 * status a sender can poll), Webmentions sent (`webmentions_out`, one row per post and target),
 * the owner's blocklists, the site default and per-post overrides for comments, lib's
 * `page_invalidations`, which tells other processes to drop one cached page instead of all, and
 * content's `post_tombstones`: the addresses of deleted posts, which answer 410 Gone (how a
 * Webmention receiver learns that a post it was told about is gone).
 */
import type { Kysely } from "kysely";
import type { Dialect } from "../index.ts";
import { idColumn, singleRowKey } from "./helpers.ts";

export async function up(db: Kysely<unknown>, dialect: Dialect): Promise<void> {
  await idColumn(db.schema.createTable("conversation_items"), dialect)
    .addColumn("post_id", "integer", (c) => c.notNull().references("posts.id").onDelete("cascade"))
    // Replies are threaded one level: a reply's parent is a top-level item.
    .addColumn("parent_id", "integer", (c) => c.references("conversation_items.id").onDelete("cascade"))
    // comment | reply | like | repost | bookmark | mention
    .addColumn("kind", "text", (c) => c.notNull())
    // site | webmention | activitypub | bluesky
    .addColumn("via", "text", (c) => c.notNull())
    // pending | approved | spam
    .addColumn("status", "text", (c) => c.notNull())
    // Why it is held or spam (a blocklist entry), for the owner.
    .addColumn("status_note", "text", (c) => c.notNull().defaultTo(""))
    .addColumn("author_name", "text", (c) => c.notNull())
    .addColumn("author_url", "text", (c) => c.notNull().defaultTo(""))
    .addColumn("author_photo", "text", (c) => c.notNull().defaultTo(""))
    // Only to notify of replies when asked; never shown.
    .addColumn("author_email", "text", (c) => c.notNull().defaultTo(""))
    // Who this is for moderation: "email:<address>", "domain:<host>", "user:<id>" (the owner).
    .addColumn("author_key", "text", (c) => c.notNull())
    .addColumn("owner_reply", "integer", (c) => c.notNull().defaultTo(0))
    .addColumn("text", "text", (c) => c.notNull().defaultTo(""))
    .addColumn("html", "text", (c) => c.notNull().defaultTo(""))
    // The page it came from (a Webmention's source, a remote post's URL).
    .addColumn("source_url", "text", (c) => c.notNull().defaultTo(""))
    .addColumn("remote_id", "text")
    .addColumn("notify_replies", "integer", (c) => c.notNull().defaultTo(0))
    // A held commenter confirmed their address by the emailed link: first in the queue.
    .addColumn("confirmed_at", "text")
    .addColumn("published_at", "text", (c) => c.notNull())
    .addColumn("received_at", "text", (c) => c.notNull())
    .addColumn("updated_at", "text", (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex("conversation_items_post")
    .on("conversation_items")
    .columns(["post_id", "status", "published_at"])
    .execute();
  await db.schema
    .createIndex("conversation_items_status")
    .on("conversation_items")
    .columns(["status", "received_at"])
    .execute();
  await db.schema
    .createIndex("conversation_items_remote")
    .on("conversation_items")
    .columns(["via", "remote_id"])
    .unique()
    .execute();
  await db.schema.createIndex("conversation_items_author").on("conversation_items").column("author_key").execute();

  await idColumn(db.schema.createTable("webmentions_in"), dialect)
    .addColumn("source", "text", (c) => c.notNull())
    .addColumn("target", "text", (c) => c.notNull())
    .addColumn("post_id", "integer", (c) => c.notNull().references("posts.id").onDelete("cascade"))
    // queued | verified | rejected | removed | failed
    .addColumn("status", "text", (c) => c.notNull())
    .addColumn("detail", "text", (c) => c.notNull().defaultTo(""))
    .addColumn("item_id", "integer", (c) => c.references("conversation_items.id").onDelete("set null"))
    .addColumn("received_at", "text", (c) => c.notNull())
    .addColumn("checked_at", "text")
    .execute();
  await db.schema
    .createIndex("webmentions_in_pair")
    .on("webmentions_in")
    .columns(["source", "target"])
    .unique()
    .execute();

  await idColumn(db.schema.createTable("webmentions_out"), dialect)
    // No foreign key: a deleted post's row stays, to notify its old targets and show what went.
    .addColumn("post_id", "integer", (c) => c.notNull())
    .addColumn("source", "text", (c) => c.notNull())
    .addColumn("target", "text", (c) => c.notNull())
    .addColumn("endpoint", "text", (c) => c.notNull().defaultTo(""))
    // pending | sent | accepted | no-endpoint | failed
    .addColumn("status", "text", (c) => c.notNull())
    .addColumn("detail", "text", (c) => c.notNull().defaultTo(""))
    .addColumn("attempts", "integer", (c) => c.notNull().defaultTo(0))
    // 0 once the post no longer links to it (it was told, and is not told again).
    .addColumn("linked", "integer", (c) => c.notNull().defaultTo(1))
    .addColumn("updated_at", "text", (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex("webmentions_out_pair")
    .on("webmentions_out")
    .columns(["post_id", "target"])
    .unique()
    .execute();

  await idColumn(db.schema.createTable("conversation_blocks"), dialect)
    // word | domain | address (an email or a client address)
    .addColumn("kind", "text", (c) => c.notNull())
    .addColumn("value", "text", (c) => c.notNull())
    .addColumn("created_at", "text", (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex("conversation_blocks_value")
    .on("conversation_blocks")
    .columns(["kind", "value"])
    .unique()
    .execute();

  await singleRowKey(db.schema.createTable("conversation_settings"))
    // on | off | closed after close_after_days (0: never closes)
    .addColumn("comments", "text", (c) => c.notNull().defaultTo("on"))
    .addColumn("close_after_days", "integer", (c) => c.notNull().defaultTo(0))
    // When the owner was last told about held items (one email per batch, at most hourly).
    .addColumn("notified_at", "text")
    .execute();

  await db.schema
    .createTable("conversation_post_settings")
    .addColumn("post_id", "integer", (c) => c.primaryKey().references("posts.id").onDelete("cascade"))
    // default | on | off
    .addColumn("comments", "text", (c) => c.notNull())
    // null: the site's default.
    .addColumn("close_after_days", "integer")
    .execute();

  await idColumn(db.schema.createTable("page_invalidations"), dialect)
    .addColumn("path", "text", (c) => c.notNull())
    .addColumn("at", "text", (c) => c.notNull())
    .execute();

  await db.schema
    .createTable("post_tombstones")
    .addColumn("path", "text", (c) => c.primaryKey())
    .addColumn("deleted_at", "text", (c) => c.notNull())
    .execute();
}
