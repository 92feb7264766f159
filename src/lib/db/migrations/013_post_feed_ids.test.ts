/**
 * Migration 013 on data made by the version before it: posts published under the old rule (feed
 * id = the post's URL) get that URL's path frozen as their feed id (the feeds resolve it against
 * the base URL, src/content/service.ts postFeedId); posts never published keep none and get the
 * permanent tag URI when saved.
 */
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { type BlankDb, openBlankDatabase } from "../../testing.ts";
import type { Db } from "../index.ts";
import { migrate } from "../migrate.ts";

let blank: BlankDb;
let db: Db;

before(async () => {
  blank = await openBlankDatabase();
  db = blank.db;
});
after(() => blank?.close());

test("013 freezes the URL-based ids of published posts; drafts get tag URIs", async () => {
  await migrate(db, { to: "009_rate_counters" });
  const at = "2026-02-03T10:00:00.000Z";
  const post = (kind: string, status: string, slug: string) => ({
    kind,
    status,
    slug,
    title: slug,
    published_at: status === "published" ? at : null,
    created_at: at,
    updated_at: at,
  });
  // The old code's rows: no feed id column at all.
  await (db.kysely as unknown as import("kysely").Kysely<{ posts: Record<string, unknown> }>)
    .insertInto("posts")
    .values([
      post("article", "published", "old-article"),
      post("page", "published", "about"),
      post("article", "draft", "half-done"),
    ])
    .execute();
  await migrate(db);

  const rows = await db.kysely.selectFrom("posts").select(["slug", "feed_id"]).orderBy("id").execute();
  assert.deepEqual(
    rows.map((r) => [r.slug, r.feed_id]),
    [
      ["old-article", "/posts/old-article"],
      ["about", "/about"],
      ["half-done", null],
    ],
  );
});
