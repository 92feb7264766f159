/**
 * Migration 016 makes SQLite's search table again with a prefix index: posts written before it
 * must still be found, by whole words and by the start of a word, and later edits must still
 * reach the index through the triggers (on PostgreSQL the migration changes nothing and the same
 * searches must hold).
 */
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import type { Db } from "../lib/db/index.ts";
import { migrate } from "../lib/db/migrate.ts";
import { type BlankDb, openBlankDatabase } from "../lib/testing.ts";
import { searchPosts } from "./search.ts";

let blank: BlankDb;
let db: Db;

before(async () => {
  blank = await openBlankDatabase();
  db = blank.db;
});
after(() => blank?.close());

test("016: posts from before the prefix index are found by word and by prefix; edits still reach the index", async () => {
  await migrate(db, { to: "015_post_email_clicks" });
  const at = "2026-02-03T10:00:00.000Z";
  // The rows as the version before wrote them (its columns only).
  await (db.kysely as unknown as import("kysely").Kysely<{ posts: Record<string, unknown> }>)
    .insertInto("posts")
    .values({
      kind: "article",
      status: "published",
      slug: "storage",
      title: "Columnar storage",
      summary: "",
      body_md: "",
      body_html: "",
      body_text: "Rows against columns, measured.",
      published_at: at,
      created_at: at,
      updated_at: at,
    })
    .execute();
  await migrate(db);
  const found = async (q: string) => (await searchPosts(db, { q })).hits.map((h) => h.post.slug);
  assert.deepEqual(await found("columnar"), ["storage"]);
  assert.deepEqual(await found("colum"), ["storage"], "the last word as a prefix");
  assert.deepEqual(await found("rows meas"), ["storage"]);
  assert.deepEqual(await found("colour"), []);
  assert.deepEqual(await found("col"), [], "3 letters are a whole word only (too many posts match as a prefix)");
  await db.kysely.updateTable("posts").set({ body_text: "Now about gardening." }).execute();
  assert.deepEqual(await found("garden"), ["storage"], "the update trigger still feeds the new table");
  assert.deepEqual(await found("meas"), []);
});
