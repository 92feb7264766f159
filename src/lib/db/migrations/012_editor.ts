/**
 * The editor (issue 12, items 3 and 8): alt text for media and for a post's cover, and one
 * rolling server-side autosave per post. An autosave is kept apart from the post and its
 * revisions, so saving every 30 seconds neither floods the history nor changes a published
 * post's live text; a real save replaces it (deletes the row).
 */
import type { Kysely } from "kysely";
import type { Dialect } from "../index.ts";

export async function up(db: Kysely<unknown>, _dialect: Dialect): Promise<void> {
  await db.schema
    .alterTable("media")
    .addColumn("alt", "text", (c) => c.notNull().defaultTo(""))
    .execute();
  await db.schema
    .alterTable("posts")
    .addColumn("cover_alt", "text", (c) => c.notNull().defaultTo(""))
    .execute();
  await db.schema
    .createTable("post_autosaves")
    .addColumn("post_id", "integer", (c) => c.primaryKey().references("posts.id").onDelete("cascade"))
    .addColumn("author_id", "integer")
    .addColumn("title", "text", (c) => c.notNull())
    .addColumn("summary", "text", (c) => c.notNull())
    .addColumn("body_md", "text", (c) => c.notNull())
    .addColumn("saved_at", "text", (c) => c.notNull())
    .execute();
}
