/**
 * The fediverse account's relations (issue 15): who follows the site (`fedi_followers`, kept after
 * an unfollow with `removed_at`, so the admin can chart the count over time), whom the site
 * follows (`fedi_following`), the accounts and servers the owner blocked (`fedi_blocks`), posts
 * pinned to the profile (`fedi_pins`), and the account's aliases and move (on `fedi_settings`).
 */
import type { Kysely } from "kysely";
import type { Dialect } from "../index.ts";
import { idColumn } from "./helpers.ts";

export async function up(db: Kysely<unknown>, dialect: Dialect): Promise<void> {
  await idColumn(db.schema.createTable("fedi_followers"), dialect)
    .addColumn("actor_uri", "text", (c) => c.notNull().unique())
    .addColumn("handle", "text", (c) => c.notNull())
    .addColumn("name", "text", (c) => c.notNull().defaultTo(""))
    .addColumn("icon_url", "text", (c) => c.notNull().defaultTo(""))
    .addColumn("url", "text", (c) => c.notNull().defaultTo(""))
    .addColumn("host", "text", (c) => c.notNull())
    .addColumn("inbox_url", "text", (c) => c.notNull())
    .addColumn("shared_inbox_url", "text", (c) => c.notNull().defaultTo(""))
    // The Follow activity's id, answered by Accept or Reject.
    .addColumn("follow_id", "text", (c) => c.notNull())
    // pending (waits for the owner) | accepted
    .addColumn("status", "text", (c) => c.notNull())
    // The post they came through (their last like, boost or reply before following), if known.
    .addColumn("via_post_id", "integer")
    .addColumn("created_at", "text", (c) => c.notNull())
    .addColumn("removed_at", "text")
    // unfollowed | rejected | blocked (by the owner) | blocked-us | deleted
    .addColumn("removed_reason", "text", (c) => c.notNull().defaultTo(""))
    .execute();
  await db.schema
    .createIndex("fedi_followers_live")
    .on("fedi_followers")
    .columns(["removed_at", "status", "id"])
    .execute();

  await idColumn(db.schema.createTable("fedi_following"), dialect)
    .addColumn("actor_uri", "text", (c) => c.notNull().unique())
    .addColumn("handle", "text", (c) => c.notNull())
    .addColumn("name", "text", (c) => c.notNull().defaultTo(""))
    .addColumn("inbox_url", "text", (c) => c.notNull())
    .addColumn("follow_id", "text", (c) => c.notNull())
    // pending | accepted | rejected
    .addColumn("status", "text", (c) => c.notNull())
    .addColumn("created_at", "text", (c) => c.notNull())
    .execute();

  await idColumn(db.schema.createTable("fedi_blocks"), dialect)
    // actor (an actor URI) | domain (a host name)
    .addColumn("kind", "text", (c) => c.notNull())
    .addColumn("value", "text", (c) => c.notNull())
    .addColumn("created_at", "text", (c) => c.notNull())
    .addUniqueConstraint("fedi_blocks_kind_value", ["kind", "value"])
    .execute();

  await db.schema
    .createTable("fedi_pins")
    .addColumn("post_id", "integer", (c) => c.primaryKey())
    .addColumn("pinned_at", "text", (c) => c.notNull())
    .execute();

  // Other accounts that are the owner too (JSON array of actor URIs): a move in needs the new
  // account to name the old one. `moved_to`: the actor URI the account moved to, if it did.
  await db.schema
    .alterTable("fedi_settings")
    .addColumn("also_known_as", "text", (c) => c.notNull().defaultTo("[]"))
    .execute();
  await db.schema.alterTable("fedi_settings").addColumn("moved_to", "text").execute();
}
