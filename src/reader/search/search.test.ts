import assert from "node:assert/strict";
import { afterEach, beforeEach, test } from "node:test";
import type { Hono } from "hono";
import { createApp } from "../../app.ts";
import { type Browser, signIn } from "../../auth/testing.ts";
import { savePost, saveTheme, systemActor } from "../../content/testing.ts";
import type { AppEnv } from "../../lib/http/env.ts";
import { createTestContext, type TestContext } from "../../lib/testing.ts";
import { addItem, addSource } from "../discover/testing.ts";
import { saveStore } from "../saves/store.ts";
import { MAX_QUERY } from "./service.ts";
import { searchItems } from "./store.ts";

let ctx: TestContext;
let app: Hono<AppEnv>;
let owner: Browser;
beforeEach(async () => {
  ctx = await createTestContext();
  app = await createApp(ctx);
  owner = await signIn(ctx, app, { role: "owner" });
});
afterEach(async () => ctx.cleanup());

async function addSave(title: string, pageText: string): Promise<number> {
  const ts = ctx.now().toISOString();
  const row = await saveStore(ctx.db).insert({
    url: `https://saved.example/${encodeURIComponent(title)}`,
    canonical_url: null,
    title,
    description: "",
    author_name: "",
    site_name: "",
    blurb_md: "",
    blurb_html: "",
    page_text: pageText,
    item_id: null,
    publish: 0,
    post_id: null,
    user_id: null,
    created_at: ts,
    updated_at: ts,
  });
  return row.id;
}

test("searchItems: finds words in an item's body, ranks title matches first, marks the snippet", async () => {
  const src = await addSource(ctx, "https://feeds.example/", "Feeds Example");
  const body = await addItem(ctx, src, {
    title: "Weekly notes",
    text: "Weekly notes\nWe listened to the theremin records again & again <b>loudly</b>.",
  });
  const titled = await addItem(ctx, src, { title: "Theremin basics", text: "Theremin basics\nHow it is played." });
  await addItem(ctx, src, { title: "Unrelated", text: "Unrelated\nNothing here." });

  const r = await searchItems(ctx.db, { q: "theremin" });
  assert.equal(r.total, 2);
  assert.deepEqual(
    r.hits.map((h) => h.item.id),
    [titled, body],
  );
  const hit = r.hits.find((h) => h.item.id === body);
  assert.ok(hit);
  assert.equal(hit.item.sourceTitle, "Feeds Example");
  assert.match(hit.snippet, /<mark>theremin<\/mark>/i);
  // Text is escaped: only <mark> is markup (PostgreSQL's ts_headline drops tag-like text instead).
  assert.match(hit.snippet, /&amp; again/);
  assert.doesNotMatch(hit.snippet, /<(?!\/?mark>)/);

  assert.deepEqual(await searchItems(ctx.db, { q: "  !!  " }), { total: 0, hits: [] });
  const page2 = await searchItems(ctx.db, { q: "theremin", limit: 1, offset: 1 });
  assert.deepEqual(
    page2.hits.map((h) => h.item.id),
    [body],
  );
  assert.equal(page2.total, 2);
});

test("searchItems: every word is required, forms are stemmed", async () => {
  const src = await addSource(ctx, "https://feeds.example/");
  const both = await addItem(ctx, src, { title: "a", text: "Producers discussing modular synthesizers" });
  await addItem(ctx, src, { title: "b", text: "Producers only" });
  const r = await searchItems(ctx.db, { q: "producer synthesizer" });
  assert.deepEqual(
    r.hits.map((h) => h.item.id),
    [both],
  );
});

test("searchItems: past the rank cap only the newest matches are ranked (SQLite says 'more than')", async () => {
  const src = await addSource(ctx, "https://feeds.example/");
  const ids: number[] = [];
  for (let i = 0; i < 6; i++) ids.push(await addItem(ctx, src, { title: `n${i}`, text: `common word ${i}` }));
  const r = await searchItems(ctx.db, { q: "common", rankCap: 3, limit: 10 });
  assert.equal(r.hits.length, 3);
  assert.deepEqual(r.hits.map((h) => h.item.id).sort(), ids.slice(3).sort());
  if (ctx.db.dialect === "sqlite") assert.equal(r.moreThan, true);
  else assert.equal(r.total, 6);
});

test("GET /admin/search finds a word in a feed item, a save and a post body, with links to each", async () => {
  const theme = await saveTheme(ctx, { name: "Music", description: "" });
  const post = await savePost(ctx, systemActor, {
    kind: "article",
    title: "My draft",
    body: "Notes on the ondioline, a French instrument.",
    themeIds: [theme.id],
    status: "draft",
  });
  const saveId = await addSave("Ondioline history", "The ondioline was built by Georges Jenny.");
  const src = await addSource(ctx, "https://feeds.example/", "Synth Weekly");
  const itemId = await addItem(ctx, src, { title: "This week", text: "This week\nA rare ondioline on sale." });
  await addItem(ctx, src, { title: "Other", text: "Other\nNo match." });

  const res = await owner.request("/admin/search?q=ondioline");
  assert.equal(res.status, 200);
  const page = await res.text();
  assert.match(page, /Your posts <span class="status">\(1 post\)/);
  assert.match(page, /Your saves <span class="status">\(1 save\)/);
  assert.match(page, /Feed items <span class="status">\(1 feed item\)/);
  assert.match(page, new RegExp(`href="/admin/posts/${post.id}">My draft</a>`));
  assert.match(page, new RegExp(`href="/admin/saves/${saveId}">Ondioline history</a>`));
  assert.match(page, new RegExp(`href="/admin/reader/items/${itemId}">This week</a>`));
  assert.match(page, /Synth Weekly/);
  assert.match(page, /<mark>ondioline<\/mark>/i);
  assert.match(page, /value="ondioline"/);
});

test("GET /admin/search: one section at a time, paged", async () => {
  const src = await addSource(ctx, "https://feeds.example/");
  for (let i = 0; i < 25; i++) await addItem(ctx, src, { title: `Gamelan ${i}`, text: `Gamelan ${i} tuning` });
  const all = await (await owner.request("/admin/search?q=gamelan")).text();
  assert.match(all, /\(25 feed items\)/);
  assert.equal((all.match(/href="\/admin\/reader\/items\/\d+"/g) ?? []).length, 5);
  assert.match(all, /href="\/admin\/search\?q=gamelan&amp;in=items">All 25 feed items/);
  const p1 = await (await owner.request("/admin/search?q=gamelan&in=items")).text();
  assert.equal((p1.match(/href="\/admin\/reader\/items\/\d+"/g) ?? []).length, 20);
  assert.doesNotMatch(p1, /Your posts/);
  assert.match(p1, /in=items&amp;page=2">Next/);
  const p2 = await (await owner.request("/admin/search?q=gamelan&in=items&page=2")).text();
  assert.equal((p2.match(/href="\/admin\/reader\/items\/\d+"/g) ?? []).length, 5);
});

test("GET /admin/search: empty, wordless and too long queries", async () => {
  const empty = await owner.request("/admin/search?q=%20");
  assert.equal(empty.status, 200);
  assert.match(await empty.text(), /Type a word or two to search your posts, saves and feed items/);

  const wordless = await owner.request("/admin/search?q=%22%22%20*");
  assert.equal(wordless.status, 200);
  assert.match(await wordless.text(), /no words or numbers in that search/);

  const long = "x".repeat(MAX_QUERY + 1);
  const tooLong = await owner.request(`/admin/search?q=${long}`);
  assert.equal(tooLong.status, 400);
  const body = await tooLong.text();
  assert.match(body, /The search is too long \(201 characters\)\. Please use at most 200 characters\./);
  assert.match(body, /aria-invalid="true" aria-describedby="f-q-error"/);
});

test("GET /admin/search: authors see their own posts only; signed-out visitors are sent to sign in", async () => {
  const theme = await saveTheme(ctx, { name: "Music", description: "" });
  await savePost(ctx, systemActor, {
    kind: "note",
    title: "Owner's",
    body: "kalimba",
    themeIds: [theme.id],
    status: "draft",
  });
  const author = await signIn(ctx, app, { role: "author" });
  await savePost(
    ctx,
    { id: author.user.id, role: "author" },
    { kind: "note", title: "Author's", body: "kalimba too", themeIds: [theme.id], status: "draft" },
  );
  const page = await (await author.request("/admin/search?q=kalimba")).text();
  assert.match(page, /\(1 post\)/);
  assert.match(page, /Author&#39;s|Author's/);
  assert.doesNotMatch(page, /Owner&#39;s|Owner's/);

  const anon = await app.request("/admin/search?q=kalimba");
  assert.equal(anon.status, 303);
  assert.match(anon.headers.get("location") ?? "", /^\/login/);
});
