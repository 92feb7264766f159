/**
 * Digests (issue 5): the weekly "flash report" of curated links. A digest has sections (a theme,
 * the owner's own posts, or links added by hand), each with ordered entries that keep their own
 * copy of title, link, blurb and credits (editing a digest never changes the saves it came from).
 * Clicks on tracked links are counted per entry; per-subscriber rows only when the owner turns
 * that on.
 */
import type { Kysely } from "kysely";
import type { Dialect } from "../index.ts";
import { idColumn } from "./helpers.ts";

export async function up(db: Kysely<unknown>, dialect: Dialect): Promise<void> {
  await idColumn(db.schema.createTable("digests"), dialect)
    .addColumn("title", "text", (c) => c.notNull())
    .addColumn("intro_md", "text", (c) => c.notNull().defaultTo(""))
    .addColumn("closing_md", "text", (c) => c.notNull().defaultTo(""))
    // draft | sent
    .addColumn("status", "text", (c) => c.notNull())
    // The saves it was filled from: created_at in [period_start, period_end).
    .addColumn("period_start", "text", (c) => c.notNull())
    .addColumn("period_end", "text", (c) => c.notNull())
    // When a scheduled draft goes out by itself (auto-send), unless held.
    .addColumn("send_at", "text")
    .addColumn("held", "integer", (c) => c.notNull().defaultTo(0))
    // Private digests (to an internal list) are readable only with this secret or signed in.
    .addColumn("is_private", "integer", (c) => c.notNull().defaultTo(0))
    .addColumn("secret", "text", (c) => c.notNull())
    // The public page (a post of kind "digest") once published.
    .addColumn("post_id", "integer", (c) => c.references("posts.id").onDelete("set null"))
    .addColumn("send_id", "integer")
    .addColumn("list_ids", "text", (c) => c.notNull().defaultTo("[]"))
    .addColumn("created_at", "text", (c) => c.notNull())
    .addColumn("updated_at", "text", (c) => c.notNull())
    .addColumn("sent_at", "text")
    .execute();

  await idColumn(db.schema.createTable("digest_sections"), dialect)
    .addColumn("digest_id", "integer", (c) => c.notNull().references("digests.id").onDelete("cascade"))
    .addColumn("title", "text", (c) => c.notNull())
    // theme | own | manual
    .addColumn("kind", "text", (c) => c.notNull())
    .addColumn("theme_id", "integer", (c) => c.references("themes.id").onDelete("set null"))
    .addColumn("position", "integer", (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex("digest_sections_digest")
    .on("digest_sections")
    .columns(["digest_id", "position"])
    .execute();

  await idColumn(db.schema.createTable("digest_entries"), dialect)
    .addColumn("digest_id", "integer", (c) => c.notNull().references("digests.id").onDelete("cascade"))
    .addColumn("section_id", "integer", (c) => c.notNull().references("digest_sections.id").onDelete("cascade"))
    .addColumn("position", "integer", (c) => c.notNull())
    .addColumn("save_id", "integer", (c) => c.references("saves.id").onDelete("set null"))
    .addColumn("post_id", "integer", (c) => c.references("posts.id").onDelete("set null"))
    .addColumn("url", "text", (c) => c.notNull())
    .addColumn("title", "text", (c) => c.notNull())
    .addColumn("blurb_md", "text", (c) => c.notNull().defaultTo(""))
    // JSON [{name, url}]: the source first, then the source's source.
    .addColumn("credits", "text", (c) => c.notNull().defaultTo("[]"))
    // Kept for "what resonated" summaries: the theme and the source when the entry was made.
    .addColumn("theme_name", "text", (c) => c.notNull().defaultTo(""))
    .addColumn("source_name", "text", (c) => c.notNull().defaultTo(""))
    .addColumn("clicks", "integer", (c) => c.notNull().defaultTo(0))
    // Removed entries stay until the digest is sent, so a removal can be undone.
    .addColumn("removed_at", "text")
    .execute();
  await db.schema
    .createIndex("digest_entries_digest")
    .on("digest_entries")
    .columns(["digest_id", "section_id", "position"])
    .execute();

  await idColumn(db.schema.createTable("digest_clicks"), dialect)
    .addColumn("entry_id", "integer", (c) => c.notNull().references("digest_entries.id").onDelete("cascade"))
    .addColumn("subscriber_id", "integer", (c) => c.references("subscribers.id").onDelete("set null"))
    .addColumn("created_at", "text", (c) => c.notNull())
    .execute();
  await db.schema.createIndex("digest_clicks_entry").on("digest_clicks").columns(["entry_id"]).execute();
}
