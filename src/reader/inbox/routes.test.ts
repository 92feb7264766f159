import assert from "node:assert/strict";
import { afterEach, beforeEach, test } from "node:test";
import type { Hono } from "hono";
import { createApp } from "../../app.ts";
import { type Browser, signIn } from "../../auth/testing.ts";
import type { AppEnv } from "../../lib/http/env.ts";
import { createTestContext, type TestContext } from "../../lib/testing.ts";
import { addFolder, addItem, addSource, unreadIds } from "./testing.ts";

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
/** Item ids in list order, from the page's data attributes. */
const listed = (text: string) => [...text.matchAll(/<li class="item [^"]*" id="item-(\d+)"/g)].map((m) => Number(m[1]));
const row = (id: number) =>
  ctx.db.kysely.selectFrom("items").selectAll().where("id", "=", id).executeTakeFirstOrThrow();

test("empty inbox: no sources yet points to the sources page", async () => {
  const { status, text } = await page("/admin/reader");
  assert.equal(status, 200);
  assert.match(text, /You don't follow anything yet/);
  assert.match(text, /href="\/admin\/sources"/);
  assert.match(text, /<script src="\/admin\/assets\/reader.js" defer><\/script>/);
  assert.match(text, /href="\/admin\/assets\/reader.css"/);
  const s = await addSource(ctx);
  await addItem(ctx, s, { read: true });
  assert.match((await page("/admin/reader?show=unread")).text, /All caught up/);
  assert.match((await page("/admin/reader?show=starred")).text, /Nothing starred yet/);
});

test("filters: unread first by default, unread only, starred, nested folders, one source; counts", async () => {
  const tech = await addFolder(ctx, "Tech");
  const web = await addFolder(ctx, "Web", tech);
  const other = await addFolder(ctx, "Other");
  const a = await addSource(ctx, { title: "Alpha", folderId: tech });
  const b = await addSource(ctx, { title: "Beta", folderId: web });
  const c = await addSource(ctx, { title: "Gamma", folderId: other });
  const a1 = await addItem(ctx, a, { published: "2026-01-01T10:00:00.000Z" });
  const a2 = await addItem(ctx, a, { published: "2026-01-05T10:00:00.000Z", read: true, starred: true });
  const b1 = await addItem(ctx, b, { published: "2026-01-03T10:00:00.000Z" });
  const b2 = await addItem(ctx, b, { published: null }); // no date: sorts by fetched_at (2026-01-01T00:00)
  const c1 = await addItem(ctx, c, { published: "2026-01-04T10:00:00.000Z", starred: true });

  const all = await page("/admin/reader");
  assert.deepEqual(listed(all.text), [c1, b1, a1, b2, a2], "unread first, then newest first");
  assert.match(all.text, /All items <span class="count">4<span class="visually-hidden"> unread/);
  assert.match(all.text, />Tech <span class="count">3</, "a folder counts its sub-folders' unread items");
  assert.match(all.text, />Web <span class="count">2</);
  assert.match(all.text, />Starred <span class="count">2</);

  assert.deepEqual(listed((await page("/admin/reader?show=unread")).text), [c1, b1, a1, b2]);
  assert.deepEqual(listed((await page("/admin/reader?show=starred")).text), [a2, c1], "starred: newest first");
  assert.deepEqual(listed((await page(`/admin/reader?folder=${tech}`)).text), [b1, a1, b2, a2]);
  assert.deepEqual(listed((await page(`/admin/reader?folder=${web}&show=unread`)).text), [b1, b2]);
  const one = await page(`/admin/reader?source=${c}`);
  assert.deepEqual(listed(one.text), [c1]);
  assert.match(one.text, /<h1 id="inbox-title">Gamma<\/h1>/);

  assert.equal((await page("/admin/reader?folder=999")).status, 404);
  const bad = await page("/admin/reader?show=everything");
  assert.equal(bad.status, 400);
  assert.match(bad.text, /“show” must be one of all, unread, starred/);
  assert.equal((await page("/admin/reader?after=garbage")).status, 400);
});

test("keyset pagination: every item exactly once across pages, unread before read", async () => {
  const s = await addSource(ctx);
  const ids: number[] = [];
  // 120 items, every third read, several sharing a date (ties break by id).
  for (let i = 0; i < 120; i++) {
    const published = new Date(Date.UTC(2026, 0, 1) + Math.floor(i / 2) * 3_600_000).toISOString();
    ids.push(await addItem(ctx, s, { published, read: i % 3 === 0 }));
  }
  const seen: number[] = [];
  let path: string | null = "/admin/reader";
  let pages = 0;
  while (path) {
    const { text } = await page(path);
    seen.push(...listed(text));
    pages++;
    const next = /<a href="([^"]+)" rel="next">/.exec(text);
    path = next ? next[1].replaceAll("&amp;", "&") : null;
  }
  assert.equal(pages, 3);
  assert.equal(seen.length, 120);
  assert.deepEqual(
    [...seen].sort((x, y) => x - y),
    ids,
  );
  const readFlags = await Promise.all(seen.map(async (id) => (await row(id)).is_read));
  const firstRead = readFlags.indexOf(1);
  assert.equal(firstRead, 80, "the 80 unread items come first");
  assert.ok(readFlags.slice(firstRead).every((r) => r === 1));
});

test("read, unread, star, unstar: forms redirect back with a notice; JSON for scripts; CSRF refused", async () => {
  const s = await addSource(ctx);
  const id = await addItem(ctx, s, { title: "Flags" });
  const back = `/admin/reader?show=unread#item-${id}`;

  const read = await user.form(`/admin/reader/items/${id}/read`, { back });
  assert.equal(read.status, 303);
  assert.equal(read.headers.get("location"), `/admin/reader?show=unread&msg=read#item-${id}`);
  assert.equal((await row(id)).is_read, 1);
  assert.ok((await row(id)).read_at);
  assert.match((await page("/admin/reader?msg=read")).text, /class="notice" role="status">Marked as read\./);

  await user.form(`/admin/reader/items/${id}/star`, { back: "https://evil.example/" }).then((r) => {
    assert.equal(r.headers.get("location"), `/admin/reader/items/${id}?msg=star`, "foreign back paths are ignored");
  });
  assert.equal((await row(id)).is_starred, 1);
  await user.form(`/admin/reader/items/${id}/unstar`, { back });
  assert.equal((await row(id)).is_starred, 0);

  const json = await user.request(`/admin/reader/items/${id}/unread`, {
    method: "POST",
    headers: { accept: "application/json" },
  });
  assert.equal(json.status, 200);
  assert.deepEqual(await json.json(), { id, is_read: 0, is_starred: 0 });
  assert.equal((await row(id)).read_at, null);

  // No token, wrong token, or a cross-site Origin: refused, nothing changes.
  const noToken = await user.form(`/admin/reader/items/${id}/read`, { back }, { csrf: false });
  assert.equal(noToken.status, 403);
  const wrong = await user.request(`/admin/reader/items/${id}/star`, {
    method: "POST",
    headers: { "x-csrf-token": "nope" },
    csrf: false,
  });
  assert.equal(wrong.status, 403);
  const foreign = await user.form(
    `/admin/reader/items/${id}/read`,
    { back },
    { headers: { origin: "https://evil.example" } },
  );
  assert.equal(foreign.status, 403);
  assert.equal((await row(id)).is_read, 0);
  assert.equal((await row(id)).is_starred, 0);

  assert.equal((await user.form(`/admin/reader/items/${id}/delete`, { back })).status, 404);
  assert.equal((await user.form("/admin/reader/items/99999/read", { back })).status, 404);
});

test("opening an item marks it read; a bad or unknown id is a 404 with a message", async () => {
  const s = await addSource(ctx, { title: "Podcast FM" });
  const id = await addItem(ctx, s, {
    title: "Episode 12 <b>not bold</b>",
    authors: [{ name: "Ada Lovelace" }],
    content: "<p>Show notes</p>",
    enclosures: [
      { url: "https://cdn.example/ep12.mp3", type: "audio/mpeg", length: 24_000_000 },
      { url: "http://old.example/ep12.mp4", type: "video/mp4", length: null },
      { url: "javascript:alert(1)", type: "audio/mpeg", length: 1 },
    ],
    durationSeconds: 2520,
  });
  const { status, text } = await page(`/admin/reader/items/${id}`);
  assert.equal(status, 200);
  assert.equal((await row(id)).is_read, 1);
  assert.match(text, /<h1>Episode 12 &lt;b&gt;not bold&lt;\/b&gt;<\/h1>/);
  assert.match(text, /By Ada Lovelace/);
  assert.match(text, />Podcast FM<\/a>/);
  assert.match(text, /<audio controls preload="none" src="https:\/\/cdn.example\/ep12.mp3"><\/audio>/);
  assert.match(text, /Duration 42 min/);
  assert.match(
    text,
    /<a href="https:\/\/cdn.example\/ep12.mp3" download rel="noopener noreferrer">Download the audio<\/a>/,
  );
  assert.match(text, /<p>Show notes<\/p>/);
  // http media is played over https (the CSP allows https media only); the download keeps the URL.
  assert.match(text, /<video controls preload="none" src="https:\/\/old.example\/ep12.mp4"><\/video>/);
  assert.match(text, /<a href="http:\/\/old.example\/ep12.mp4" download/);
  assert.doesNotMatch(text, /javascript:/);
  const csp = (await user.request(`/admin/reader/items/${id}`)).headers.get("content-security-policy") ?? "";
  assert.match(csp, /script-src 'self' 'nonce-[^']+';/);
  assert.match(csp, /media-src 'self' https:;/);
  assert.match(csp, /; frame-src https:\/\/www.youtube.com [^;]*https:\/\/player.vimeo.com$/);
  assert.match(text, new RegExp(`href="/admin/save\\?item=${id}"`));
  assert.match(text, /data-action="unread">Mark unread/);
  // Mark unread from the item page returns to the inbox: coming back to the item would read it again.
  assert.match(
    text,
    new RegExp(`/unread" class="inline"\\s*><input type="hidden" name="back" value="/admin/reader#item-${id}">`),
  );

  for (const bad of ["99999", "abc", "0"]) {
    const r = await page(`/admin/reader/items/${bad}`);
    assert.equal(r.status, 404, bad);
    assert.match(r.text, /There is no (reader )?item/);
  }
});

test("mark all read in a filter, up to the newest shown, and undo restores exactly the previous unread set", async () => {
  const f = await addFolder(ctx, "News");
  const inF = await addSource(ctx, { folderId: f });
  const outF = await addSource(ctx);
  await addItem(ctx, inF, { read: true });
  await addItem(ctx, inF);
  await addItem(ctx, inF, { starred: true });
  const elsewhere = await addItem(ctx, outF);
  const before = await unreadIds(ctx);
  assert.equal(before.length, 3);

  const shown = await page(`/admin/reader?folder=${f}`);
  const upto = /name="upto" value="(\d+)"/.exec(shown.text)?.[1];
  assert.ok(upto);
  // An item that arrives after the page was shown stays unread.
  const late = await addItem(ctx, inF, { title: "Arrived later" });

  // The clock is frozen: an item read by hand at the same instant must not be swept into the undo.
  ctx.setNow(new Date("2026-02-01T12:00:00.000Z"));
  const res = await user.form("/admin/reader/mark-all-read", { show: "all", folder: f, upto });
  assert.equal(res.status, 303);
  const loc = res.headers.get("location") ?? "";
  assert.match(loc, new RegExp(`^/admin/reader\\?folder=${f}&msg=marked&n=2&undo=[A-Za-z0-9_-]{22}$`));
  assert.deepEqual(await unreadIds(ctx), [elsewhere, late], "the other folder's item and the late item stay unread");

  const notice = await page(loc);
  assert.match(notice.text, /Marked 2 items as read\./);
  const token = /name="token" value="([^"]+)"/.exec(notice.text)?.[1];
  assert.ok(token);
  await user.form(`/admin/reader/items/${late}/read`, { back: "/admin/reader" });

  // CSRF applies to undo too.
  assert.equal((await user.form("/admin/reader/undo", { token }, { csrf: false })).status, 403);
  const undo = await user.form("/admin/reader/undo", { token, back: `/admin/reader?folder=${f}` });
  assert.equal(undo.status, 303);
  assert.equal(undo.headers.get("location"), `/admin/reader?folder=${f}&msg=undone&n=2`);
  assert.deepEqual(await unreadIds(ctx), before, "exactly the items unread before are unread again");

  const again = await user.form("/admin/reader/undo", { token, back: "/admin/reader" });
  assert.match(again.headers.get("location") ?? "", /msg=undone&n=0/);
  assert.match((await page("/admin/reader?msg=undone&n=0")).text, /Nothing to undo/);
  const malformed = await user.form("/admin/reader/undo", { token: "<script>" });
  assert.equal(malformed.status, 400);
  assert.match(await malformed.text(), /undo token in the form is missing or malformed/);
  const noUpto = await user.form("/admin/reader/mark-all-read", { show: "all" });
  assert.equal(noUpto.status, 400);
});

test("undo expires after a day and belongs to the user who marked", async () => {
  const s = await addSource(ctx);
  await addItem(ctx, s);
  ctx.setNow(new Date("2026-02-01T12:00:00.000Z"));
  const res = await user.form("/admin/reader/mark-all-read", { show: "unread", upto: "999999" });
  const token = /undo=([A-Za-z0-9_-]+)/.exec(res.headers.get("location") ?? "")?.[1] ?? "";
  const other = await signIn(ctx, app, { role: "editor" });
  const stolen = await other.form("/admin/reader/undo", { token, back: "/admin/reader" });
  assert.match(stolen.headers.get("location") ?? "", /n=0/);
  ctx.setNow(new Date("2026-02-02T12:00:01.000Z"));
  const late = await user.form("/admin/reader/undo", { token, back: "/admin/reader" });
  assert.match(late.headers.get("location") ?? "", /n=0/);
  assert.deepEqual(await unreadIds(ctx), []);
});
