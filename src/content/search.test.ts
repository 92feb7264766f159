import assert from "node:assert/strict";
import { afterEach, beforeEach, test } from "node:test";
import { createTestContext, type TestContext } from "../lib/testing.ts";
import { fts5Query, queryTerms, searchPosts } from "./search.ts";
import { savePost, systemActor } from "./service.ts";
import { saveTheme } from "./themes.ts";

let ctx: TestContext;
let themeId: number;
beforeEach(async () => {
  ctx = await createTestContext();
  themeId = (await saveTheme(ctx, { name: "Notes", description: "" })).id;
});
afterEach(async () => ctx.cleanup());

const publish = (title: string, body: string, day: number, summary = "") =>
  savePost(ctx, systemActor, {
    title,
    summary,
    body,
    status: "published",
    publishedAt: `2026-02-${String(day).padStart(2, "0")}T00:00:00Z`,
    themeIds: [themeId],
  });

test("query terms are words only, and every one is required as a whole word", () => {
  assert.deepEqual(queryTerms('Zebra* "OR" crossing-guard'), ["zebra", "or", "crossing", "guard"]);
  assert.equal(fts5Query(["zebra", "or"]), '"zebra" "or"');
});

test("a title match ranks above body-only matches", async () => {
  // The body-only posts are newer and mention the word more often.
  await publish("Zeppelins over the city", "A short text about airships.", 1);
  await publish("Travel", "The zeppelin, the zeppelin and the zeppelin again.", 2);
  await publish("Skies", "One zeppelin.", 3);
  const r = await searchPosts(ctx.db, { q: "zeppelin" });
  assert.equal(r.total, 3);
  assert.deepEqual(
    r.hits.map((h) => h.post.title),
    ["Zeppelins over the city", "Travel", "Skies"],
  );
  assert.ok(r.hits[0].rank > r.hits[2].rank, "higher is better on both databases");
  assert.match(r.hits[1].snippet, /<mark>zeppelin<\/mark>/);
});

test("past the cap the newest matches are ranked, filtered and paged; the total is a lower bound", async () => {
  for (let day = 1; day <= 9; day++) {
    await publish(`Post ${day}`, day === 4 ? "kite kite kite" : day % 2 ? "a kite" : "no match", day);
  }
  // Matches: days 1, 3, 4, 5, 7, 9. The newest four are 4, 5, 7 and 9.
  const capped = await searchPosts(ctx.db, { q: "kite", rankCap: 4, limit: 2 });
  assert.equal(capped.moreThan, true);
  assert.equal(capped.total, 4);
  assert.equal(capped.hits[0].post.title, "Post 4", "the densest of the ranked slice wins");
  const page2 = await searchPosts(ctx.db, { q: "kite", rankCap: 4, limit: 2, offset: 2 });
  assert.deepEqual([...capped.hits, ...page2.hits].map((h) => h.post.title).sort(), [
    "Post 4",
    "Post 5",
    "Post 7",
    "Post 9",
  ]);
  const exact = await searchPosts(ctx.db, { q: "kite", rankCap: 6 });
  assert.equal(exact.total, 6);
  assert.equal(exact.moreThan, true, "reaching the cap counts as more: there may be others");
  const all = await searchPosts(ctx.db, { q: "kite" });
  assert.equal(all.total, 6);
  assert.equal(all.moreThan, undefined);
  const before = await searchPosts(ctx.db, { q: "kite", publishedBefore: "2026-02-05T12:00:00Z" });
  assert.deepEqual(all.hits.length, 6);
  assert.deepEqual(before.hits.map((h) => h.post.title).sort(), ["Post 1", "Post 3", "Post 4", "Post 5"]);
  assert.equal((await searchPosts(ctx.db, { q: "kite", offset: 10 })).total, 0);
});

test("the last word typed also matches as the start of a word, on both databases", async () => {
  await publish("Storage notes", "Why columnar storage makes scans cheap.", 1);
  await publish("Columns", "A piece on newspaper column writing.", 2);
  await publish("Other", "Nothing relevant: colour and coffee.", 3);
  const titles = async (q: string) => (await searchPosts(ctx.db, { q })).hits.map((h) => h.post.title).sort();
  assert.deepEqual(await titles("colum"), ["Columns", "Storage notes"]);
  assert.deepEqual(await titles("storage colum"), ["Storage notes"]);
  assert.deepEqual(await titles("columna"), ["Storage notes"]);
  // Only the last word: an unfinished word before it must still be whole.
  assert.deepEqual(await titles("colum storage"), []);
  // Whole words still match their other forms (stemming).
  assert.deepEqual(await titles("scan"), ["Storage notes"]);
  // Two letters are too short to expand.
  assert.deepEqual(await titles("co"), []);
  const [hit] = (await searchPosts(ctx.db, { q: "storage colum" })).hits;
  assert.match(hit.snippet, /<mark>columnar<\/mark>/);
  assert.equal(fts5Query(["storage", "colum"], "colum"), '"storage" AND ("colum" OR "colum"*)');
});
