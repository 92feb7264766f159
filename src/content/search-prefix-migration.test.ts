/**
 * Migration 016 makes SQLite's search table again with a prefix index: posts written before it
 * must still be found, by whole words and by the start of a word, and later edits must still
 * reach the index through the triggers (on PostgreSQL the migration changes nothing and the same
 * searches must hold).
 */
import assert from "node:assert/strict";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { after, before, test } from "node:test";
import { loadConfig } from "../lib/config.ts";
import { type Db, openDb } from "../lib/db/index.ts";
import { migrate } from "../lib/db/migrate.ts";
import { blankDatabase, type FreshDatabase } from "../lib/testing.ts";
import { searchPosts } from "./search.ts";

let dir: string;
let blank: FreshDatabase;
let db: Db;

before(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "liner-migrate-"));
  blank = await blankDatabase(loadConfig(process.env).databaseUrl, dir);
  db = openDb({ databaseUrl: blank.url, sqlitePath: blank.sqlitePath, poolSize: 2 });
});
after(async () => {
  await db?.close();
  await blank?.drop();
  fs.rmSync(dir, { recursive: true, force: true });
});

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
