/**
 * The reader (issue 3): folders, followed sources, their items, saves with credit chains,
 * citations for discover, and link posts (a published save) on the posts table.
 */
import { type Kysely, sql } from "kysely";
import type { Dialect } from "../index.ts";
import { idColumn } from "./helpers.ts";

export async function up(db: Kysely<unknown>, dialect: Dialect): Promise<void> {
  await db.schema.alterTable("posts").addColumn("link_url", "text").execute();
  await db.schema
    .alterTable("posts")
    .addColumn("credits", "text", (c) => c.notNull().defaultTo("[]"))
    .execute();
  await db.schema.alterTable("posts").addColumn("save_id", "integer").execute();

  await idColumn(db.schema.createTable("folders"), dialect)
    .addColumn("name", "text", (c) => c.notNull())
    .addColumn("parent_id", "integer", (c) => c.references("folders.id").onDelete("cascade"))
    .addColumn("position", "integer", (c) => c.notNull().defaultTo(0))
    .addColumn("created_at", "text", (c) => c.notNull())
    .execute();

  await idColumn(db.schema.createTable("sources"), dialect)
    .addColumn("folder_id", "integer", (c) => c.references("folders.id").onDelete("set null"))
    .addColumn("feed_url", "text", (c) => c.notNull().unique())
    .addColumn("site_url", "text", (c) => c.notNull().defaultTo(""))
    .addColumn("site_host", "text", (c) => c.notNull().defaultTo(""))
    .addColumn("title", "text", (c) => c.notNull().defaultTo(""))
    .addColumn("custom_title", "text", (c) => c.notNull().defaultTo(""))
    .addColumn("description", "text", (c) => c.notNull().defaultTo(""))
    .addColumn("image_url", "text")
    .addColumn("format", "text", (c) => c.notNull().defaultTo(""))
    .addColumn("is_podcast", "integer", (c) => c.notNull().defaultTo(0))
    .addColumn("etag", "text")
    .addColumn("last_modified", "text")
    .addColumn("interval_minutes", "integer", (c) => c.notNull().defaultTo(60))
    .addColumn("next_fetch_at", "text", (c) => c.notNull())
    .addColumn("lease_until", "text")
    .addColumn("last_fetched_at", "text")
    .addColumn("last_success_at", "text")
    .addColumn("error_count", "integer", (c) => c.notNull().defaultTo(0))
    .addColumn("last_error", "text")
    .addColumn("last_error_at", "text")
    .addColumn("created_at", "text", (c) => c.notNull())
    .execute();
  await db.schema.createIndex("sources_due").on("sources").columns(["next_fetch_at"]).execute();
  await db.schema.createIndex("sources_host").on("sources").columns(["site_host"]).execute();
  await db.schema.createIndex("sources_folder").on("sources").columns(["folder_id"]).execute();

  await idColumn(db.schema.createTable("items"), dialect)
    .addColumn("source_id", "integer", (c) => c.notNull().references("sources.id").onDelete("cascade"))
    .addColumn("dedupe_key", "text", (c) => c.notNull())
    .addColumn("url", "text")
    .addColumn("title", "text", (c) => c.notNull().defaultTo(""))
    .addColumn("authors", "text", (c) => c.notNull().defaultTo("[]"))
    .addColumn("summary_html", "text", (c) => c.notNull().defaultTo(""))
    .addColumn("content_html", "text", (c) => c.notNull().defaultTo(""))
    .addColumn("text", "text", (c) => c.notNull().defaultTo(""))
    .addColumn("categories", "text", (c) => c.notNull().defaultTo("[]"))
    .addColumn("enclosures", "text", (c) => c.notNull().defaultTo("[]"))
    .addColumn("duration_seconds", "integer")
    .addColumn("image_url", "text")
    .addColumn("via_url", "text")
    .addColumn("comments_url", "text")
    .addColumn("published_at", "text")
    .addColumn("updated_at", "text")
    .addColumn("fetched_at", "text", (c) => c.notNull())
    .addColumn("full_html", "text")
    .addColumn("is_read", "integer", (c) => c.notNull().defaultTo(0))
    .addColumn("read_at", "text")
    .addColumn("is_starred", "integer", (c) => c.notNull().defaultTo(0))
    .execute();
  await db.schema.createIndex("items_dedupe").on("items").columns(["source_id", "dedupe_key"]).unique().execute();
  await db.schema.createIndex("items_inbox").on("items").columns(["is_read", "published_at"]).execute();
  await db.schema.createIndex("items_source").on("items").columns(["source_id", "published_at"]).execute();
  await db.schema.createIndex("items_starred").on("items").columns(["is_starred", "published_at"]).execute();

  await idColumn(db.schema.createTable("saves"), dialect)
    .addColumn("url", "text", (c) => c.notNull())
    .addColumn("canonical_url", "text")
    .addColumn("title", "text", (c) => c.notNull().defaultTo(""))
    .addColumn("description", "text", (c) => c.notNull().defaultTo(""))
    .addColumn("author_name", "text", (c) => c.notNull().defaultTo(""))
    .addColumn("site_name", "text", (c) => c.notNull().defaultTo(""))
    .addColumn("blurb_md", "text", (c) => c.notNull().defaultTo(""))
    .addColumn("blurb_html", "text", (c) => c.notNull().defaultTo(""))
    .addColumn("page_text", "text", (c) => c.notNull().defaultTo(""))
    .addColumn("item_id", "integer", (c) => c.references("items.id").onDelete("set null"))
    .addColumn("publish", "integer", (c) => c.notNull().defaultTo(0))
    .addColumn("post_id", "integer", (c) => c.references("posts.id").onDelete("set null"))
    .addColumn("user_id", "integer", (c) => c.references("users.id").onDelete("set null"))
    .addColumn("created_at", "text", (c) => c.notNull())
    .addColumn("updated_at", "text", (c) => c.notNull())
    .execute();
  await db.schema.createIndex("saves_created").on("saves").columns(["created_at"]).execute();
  await db.schema.createIndex("saves_url").on("saves").columns(["url"]).execute();

  await db.schema
    .createTable("save_themes")
    .addColumn("save_id", "integer", (c) => c.notNull().references("saves.id").onDelete("cascade"))
    .addColumn("theme_id", "integer", (c) => c.notNull().references("themes.id").onDelete("cascade"))
    .addPrimaryKeyConstraint("save_themes_pk", ["save_id", "theme_id"])
    .execute();

  await idColumn(db.schema.createTable("save_credits"), dialect)
    .addColumn("save_id", "integer", (c) => c.notNull().references("saves.id").onDelete("cascade"))
    .addColumn("position", "integer", (c) => c.notNull())
    .addColumn("name", "text", (c) => c.notNull().defaultTo(""))
    .addColumn("url", "text", (c) => c.notNull().defaultTo(""))
    .execute();
  await db.schema.createIndex("save_credits_save").on("save_credits").columns(["save_id", "position"]).execute();

  await idColumn(db.schema.createTable("citations"), dialect)
    .addColumn("item_id", "integer", (c) => c.notNull().references("items.id").onDelete("cascade"))
    .addColumn("source_id", "integer", (c) => c.notNull().references("sources.id").onDelete("cascade"))
    .addColumn("target_url", "text", (c) => c.notNull())
    .addColumn("target_host", "text", (c) => c.notNull())
    .addColumn("kind", "text", (c) => c.notNull())
    .addColumn("cited_at", "text", (c) => c.notNull())
    .execute();
  await db.schema.createIndex("citations_host").on("citations").columns(["target_host", "cited_at"]).execute();
  await db.schema.createIndex("citations_item").on("citations").columns(["item_id"]).execute();
  await db.schema.createIndex("citations_cited").on("citations").columns(["cited_at"]).execute();

  await createReaderSearch(db, dialect);
}

/** Search over feed items and saves, the same way posts are searched (see 001). */
async function createReaderSearch(db: Kysely<unknown>, dialect: Dialect): Promise<void> {
  if (dialect === "postgres") {
    await sql`ALTER TABLE items ADD COLUMN search_tsv tsvector GENERATED ALWAYS AS (
      setweight(to_tsvector('english', coalesce(title, '')), 'A') ||
      setweight(to_tsvector('english', coalesce(text, '')), 'C')) STORED`.execute(db);
    await sql`CREATE INDEX items_search_tsv ON items USING GIN (search_tsv)`.execute(db);
    await sql`ALTER TABLE saves ADD COLUMN search_tsv tsvector GENERATED ALWAYS AS (
      setweight(to_tsvector('english', coalesce(title, '')), 'A') ||
      setweight(to_tsvector('english', coalesce(blurb_md, '') || ' ' || coalesce(description, '')), 'B') ||
      setweight(to_tsvector('english', coalesce(page_text, '')), 'C')) STORED`.execute(db);
    await sql`CREATE INDEX saves_search_tsv ON saves USING GIN (search_tsv)`.execute(db);
    return;
  }
  await ftsTable(db, "items", ["title", "text"]);
  await ftsTable(db, "saves", ["title", "blurb_md", "description", "page_text"]);
}

/** An FTS5 external-content table kept in step with `table` by triggers. */
async function ftsTable(db: Kysely<unknown>, table: string, cols: string[]): Promise<void> {
  const list = cols.join(", ");
  const newVals = cols.map((c) => `new.${c}`).join(", ");
  const oldVals = cols.map((c) => `old.${c}`).join(", ");
  const fts = `${table}_fts`;
  await sql
    .raw(`CREATE VIRTUAL TABLE ${fts} USING fts5(${list},
    content='${table}', content_rowid='id', tokenize='porter unicode61 remove_diacritics 2')`)
    .execute(db);
  await sql
    .raw(`CREATE TRIGGER ${fts}_ai AFTER INSERT ON ${table} BEGIN
    INSERT INTO ${fts}(rowid, ${list}) VALUES (new.id, ${newVals});
  END`)
    .execute(db);
  await sql
    .raw(`CREATE TRIGGER ${fts}_ad AFTER DELETE ON ${table} BEGIN
    INSERT INTO ${fts}(${fts}, rowid, ${list}) VALUES ('delete', old.id, ${oldVals});
  END`)
    .execute(db);
  await sql
    .raw(`CREATE TRIGGER ${fts}_au AFTER UPDATE OF ${list} ON ${table} BEGIN
    INSERT INTO ${fts}(${fts}, rowid, ${list}) VALUES ('delete', old.id, ${oldVals});
    INSERT INTO ${fts}(rowid, ${list}) VALUES (new.id, ${newVals});
  END`)
    .execute(db);
}
