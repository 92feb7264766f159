/**
 * Reader polish (issue 12, item 9), through HTTP: previous and next on the item page (within the
 * list it was opened from) and search within the reader (the SQL runs on both databases).
 */
import assert from "node:assert/strict";
import { afterEach, beforeEach, test } from "node:test";
import type { Hono } from "hono";
import { createApp } from "../../app.ts";
import { type Browser, signIn } from "../../auth/testing.ts";
import type { AppEnv } from "../../lib/http/env.ts";
import { createTestContext, type TestContext } from "../../lib/testing.ts";
import { addItem, addSource, unreadIds } from "./testing.ts";

let ctx: TestContext;
let app: Hono<AppEnv>;
let user: Browser;
beforeEach(async () => {
  ctx = await createTestContext();
  app = await createApp(ctx);
  user = await signIn(ctx, app, { role: "author" });
});
afterEach(async () => ctx.cleanup());

const page = async (path: string) => {
  const res = await user.request(path);
  return { status: res.status, text: await res.text() };
};
const listed = (text: string) => [...text.matchAll(/<li class="item [^"]*" id="item-(\d+)"/g)].map((m) => Number(m[1]));
const navLink = (text: string, rel: "prev" | "next") =>
  new RegExp(`<a href="([^"]+)" rel="${rel}" data-nav="${rel}">`).exec(text)?.[1] ?? null;
const at = (day: number) => new Date(Date.UTC(2026, 1, day)).toISOString();

test("the item page links to the previous (newer) and next (older) item of the list it came from", async () => {
  const a = await addSource(ctx, { title: "A" });
  const b = await addSource(ctx, { title: "B" });
  const oldest = await addItem(ctx, a, { title: "Oldest", published: at(1) });
  const other = await addItem(ctx, b, { title: "Other source", published: at(2) });
  const middle = await addItem(ctx, a, { title: "Middle", published: at(3) });
  const newest = await addItem(ctx, a, { title: "Newest", published: at(4) });

  const mid = await page(`/admin/reader/items/${middle}`);
  assert.equal(mid.status, 200);
  assert.equal(navLink(mid.text, "prev"), `/admin/reader/items/${newest}`);
  assert.equal(navLink(mid.text, "next"), `/admin/reader/items/${other}`);
  // "Next: Title →" and "← Previous: Title", not "Next →: Title".
  assert.match(mid.text, /data-nav="next">Next: <span class="neighbour-title">Other source<\/span> →<\/a>/);
  assert.match(mid.text, /data-nav="prev">← Previous: <span class="neighbour-title">Newest<\/span><\/a>/);

  // Opened from source A's list: the neighbours stay in it, and the links carry the list along.
  const inA = await page(`/admin/reader/items/${middle}?source=${a}`);
  assert.equal(navLink(inA.text, "next"), `/admin/reader/items/${oldest}?source=${a}`);
  assert.match(inA.text, new RegExp(`<a href="/admin/reader\\?source=${a}">← Inbox</a>`));
  const first = await page(`/admin/reader/items/${newest}?source=${a}`);
  assert.equal(navLink(first.text, "prev"), null, "the newest has no previous");
  const last = await page(`/admin/reader/items/${oldest}?source=${a}`);
  assert.equal(navLink(last.text, "next"), null, "the oldest has no next");

  // The list's item links carry the list's fields.
  const list = await page(`/admin/reader?source=${a}&show=all`);
  assert.match(list.text, new RegExp(`href="/admin/reader/items/${middle}\\?source=${a}"`));
});

test("opening items in the unread list keeps walking it: read items drop out of the neighbours", async () => {
  const s = await addSource(ctx);
  const one = await addItem(ctx, s, { title: "One", published: at(1) });
  const two = await addItem(ctx, s, { title: "Two", published: at(2), read: true });
  const three = await addItem(ctx, s, { title: "Three", published: at(3) });
  const opened = await page(`/admin/reader/items/${three}?show=unread`);
  assert.equal(navLink(opened.text, "next"), `/admin/reader/items/${one}?show=unread`, `skips read item ${two}`);
  assert.deepEqual(await unreadIds(ctx), [one]);
});

test("search within the reader: a form on the reader page, every word matched in title or text, any case", async () => {
  const a = await addSource(ctx, { title: "A" });
  const b = await addSource(ctx, { title: "B" });
  const columnar = await addItem(ctx, a, { title: "Columnar storage in SQLite", published: at(1) });
  const mixed = await addItem(ctx, b, { title: "Notes on STORAGE engines", published: at(2) });
  await addItem(ctx, a, { title: "Gardening", published: at(3) });
  await addItem(ctx, a, { title: "100% organic_tomatoes", published: at(4) });

  const reader = await page("/admin/reader");
  assert.match(reader.text, /<form method="get" action="\/admin\/reader" class="inline reader-search" role="search">/);
  assert.match(reader.text, /<input id="reader-q" name="q" type="search" value=""/);

  assert.deepEqual(listed((await page("/admin/reader?q=storage")).text), [mixed, columnar]);
  assert.deepEqual(listed((await page("/admin/reader?q=sqlite+STORAGE")).text), [columnar], "all words must match");
  assert.deepEqual(listed((await page(`/admin/reader?q=storage&source=${b}`)).text), [mixed], "within a source");
  assert.deepEqual(listed((await page("/admin/reader?q=100%25")).text).length, 1, "% is matched literally");
  assert.deepEqual(listed((await page("/admin/reader?q=c_l")).text), [], "_ is not a wildcard");

  const none = await page("/admin/reader?q=nothing-like-this");
  assert.match(none.text, /No items match “nothing-like-this” here/);
  const tooLong = await page(`/admin/reader?q=${"x".repeat(201)}`);
  assert.equal(tooLong.status, 400);
  assert.match(tooLong.text, /The search text must be at most 200 characters/);
});

test("mark all as read in a search marks only the items found", async () => {
  const s = await addSource(ctx);
  const hit = await addItem(ctx, s, { title: "Find me" });
  const miss = await addItem(ctx, s, { title: "Leave me" });
  const text = (await page("/admin/reader?q=find")).text;
  assert.match(text, /<input type="hidden" name="q" value="find">/);
  const upto = /name="upto" value="(\d+)"/.exec(text)?.[1] ?? "";
  const res = await user.form("/admin/reader/mark-all-read", { show: "all", q: "find", upto });
  assert.equal(res.status, 303);
  assert.match(res.headers.get("location") ?? "", /[?&]q=find/);
  assert.deepEqual(await unreadIds(ctx), [miss]);
  assert.ok(hit < miss);
});
