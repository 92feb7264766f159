import assert from "node:assert/strict";
import { afterEach, beforeEach, test } from "node:test";
import { createApp } from "../app.ts";
import { savePost, systemActor } from "../content/testing.ts";
import { createTestContext, type TestContext } from "../lib/testing.ts";
import { type Seeded, seedSite } from "./test-fixtures.ts";

let ctx: TestContext;
let s: Seeded;
beforeEach(async () => {
  ctx = await createTestContext();
  s = await seedSite(ctx);
});
afterEach(async () => ctx.cleanup());
const get = async (path: string) => {
  const res = await (await createApp(ctx)).request(path);
  return { res, body: await res.text() };
};

test("search finds a word from a post body, highlighted, with a result count", async () => {
  const { res, body } = await get("/search?q=musicians");
  assert.equal(res.status, 200);
  assert.match(body, /1 result for “musicians”/);
  assert.match(body, /href="\/posts\/liner-notes-matter">Liner notes matter</);
  assert.match(body, /<mark>musicians<\/mark>/);
  // The draft has the word too but is not public.
  assert.doesNotMatch(body, /Secret draft/);
  // The form is labelled and keeps the query.
  assert.match(body, /<label for="search-q">/);
  assert.match(body, /<input id="search-q" type="search" name="q" value="musicians"/);
});

test("search filters by theme and by kind", async () => {
  await savePost(ctx, systemActor, {
    kind: "note",
    title: "Quick one",
    body: "a note about federation servers",
    status: "published",
    themeIds: [s.music.id],
  });
  const all = await get("/search?q=federation");
  assert.match(all.body, /2 results/);
  const byTheme = await get("/search?q=federation&theme=music");
  assert.match(byTheme.body, /1 result for/);
  assert.match(byTheme.body, /Quick one/);
  assert.match(byTheme.body, /<option value="music" selected>/);
  const byKind = await get("/search?q=federation&kind=presentation");
  assert.match(byKind.body, /1 result for/);
  assert.match(byKind.body, /Federation in ten slides/);
  assert.match(byKind.body, /<option value="presentation" selected>/);
  const none = await get("/search?q=federation&kind=page");
  assert.match(none.body, /No results/);
});

test("search escapes the query everywhere", async () => {
  const { res, body } = await get(`/search?q=${encodeURIComponent('<script>alert("x")</script>')}`);
  assert.equal(res.status, 200);
  assert.doesNotMatch(body, /<script>alert/);
  assert.match(body, /&lt;script&gt;alert/);
});

test("search paginates", async () => {
  for (let i = 0; i < 12; i++) {
    await savePost(ctx, systemActor, {
      title: `Pager ${i}`,
      body: "zeppelin zeppelin",
      status: "published",
      themeIds: [s.web.id],
    });
  }
  const first = await get("/search?q=zeppelin");
  assert.match(first.body, /12 results/);
  assert.match(first.body, /rel="next" href="\/search\?q=zeppelin&amp;page=2"/);
  const second = await get("/search?q=zeppelin&page=2");
  assert.equal((second.body.match(/class="h-entry card"/g) ?? []).length, 2);
});

test("an unfinished last word finds the words it starts", async () => {
  const { body } = await get("/search?q=session+musi");
  assert.match(body, /1 result for “session musi”/);
  assert.match(body, /href="\/posts\/liner-notes-matter">Liner notes matter</);
  assert.match(body, /<mark>musicians<\/mark>/);
});
