import assert from "node:assert/strict";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterEach, beforeEach, test } from "node:test";
import type { Hono } from "hono";
import { createApp } from "../../app.ts";
import { type Browser, signIn } from "../../auth/testing.ts";
import type { AppEnv } from "../../lib/http/env.ts";
import { createTestContext, type TestContext } from "../../lib/testing.ts";
import { searchItems } from "../search/store.ts";
import { addItem, addSource } from "./testing.ts";

const paragraph = (n: number) =>
  `<p>Paragraph ${n} of the long article about liner notes, with enough words, commas, and sentences to count as real prose for the extractor.</p>`;
const ARTICLE = `<!doctype html><html><head><meta charset="windows-1252"><title>Liner notes</title></head><body>
<nav><a href="/">Home</a> <a href="/about">About</a></nav>
<article><h1>Liner notes</h1>${[1, 2, 3, 4, 5, 6].map(paragraph).join("")}
<p>Caf\xe9 au lait, na\xefve r\xe9sum\xe9.</p>
<p><img src="pics/cover.jpg" alt="Cover"> <a href="more.html" onclick="alert(1)">More</a></p>
<script>window.__xss = 1</script></article>
<footer>Footer links</footer></body></html>`;

let ctx: TestContext;
let app: Hono<AppEnv>;
let user: Browser;
let server: http.Server;
let base: string;
let hits: Record<string, number>;

beforeEach(async () => {
  hits = {};
  server = http.createServer((req, res) => {
    const path = req.url ?? "/";
    hits[path] = (hits[path] ?? 0) + 1;
    if (path === "/article") {
      // Latin-1 bytes, charset only in the HTTP header.
      res.writeHead(200, { "content-type": "text/html; charset=windows-1252" });
      res.end(Buffer.from(ARTICLE, "latin1"));
    } else if (path === "/empty") {
      res.writeHead(200, { "content-type": "text/html" });
      res.end("<html><body><nav>Only navigation</nav></body></html>");
    } else if (path === "/podcast.mp3") {
      res.writeHead(200, { "content-type": "audio/mpeg" });
      res.end(Buffer.alloc(100));
    } else {
      res.writeHead(404, { "content-type": "text/html" });
      res.end("<h1>Not found</h1>");
    }
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  ctx = await createTestContext();
  app = await createApp(ctx);
  user = await signIn(ctx, app);
});
afterEach(async () => {
  await ctx.cleanup();
  await new Promise<void>((r) => server.close(() => r()));
});

const fullHtml = async (id: number) =>
  (await ctx.db.kysely.selectFrom("items").select("full_html").where("id", "=", id).executeTakeFirstOrThrow())
    .full_html;

test("fetch full text: extracted, decoded, sanitized, cached (the second request does not fetch)", async () => {
  const s = await addSource(ctx);
  const id = await addItem(ctx, s, { url: `${base}/article`, content: "", summary: "<p>Just a teaser.</p>" });
  const before = await (await user.request(`/admin/reader/items/${id}`)).text();
  assert.match(before, /Just a teaser\./);
  assert.match(before, /data-action="fulltext">Fetch full text/);

  const res = await user.form(`/admin/reader/items/${id}/fulltext`, {});
  assert.equal(res.status, 303);
  assert.equal(res.headers.get("location"), `/admin/reader/items/${id}?msg=fulltext`);
  assert.equal(hits["/article"], 1);
  const stored = (await fullHtml(id)) ?? "";
  assert.match(stored, /Paragraph 6 of the long article/);
  assert.match(stored, /Café au lait, naïve résumé\./, "windows-1252 decoded from the HTTP charset");
  assert.match(stored, new RegExp(`src="${base}/pics/cover.jpg"`), "relative URLs resolved against the page");
  assert.doesNotMatch(stored, /<script|onclick|__xss|Footer links|About<\/a>/);

  const page = await (await user.request(`/admin/reader/items/${id}?msg=fulltext`)).text();
  assert.match(page, /Full text fetched from the original page\./);
  assert.match(page, /Paragraph 3 of the long article/);
  assert.doesNotMatch(page, /Just a teaser/);
  assert.doesNotMatch(page, /data-action="fulltext"/, "no fetch button once the text is cached");
  assert.match(await (await user.request(`/admin/reader/items/${id}?content=feed`)).text(), /Just a teaser\./);

  const again = await user.form(`/admin/reader/items/${id}/fulltext`, {});
  assert.equal(again.status, 303);
  assert.equal(hits["/article"], 1, "cached: no second fetch");

  // The full text is searchable: "sentences" is only in the article, not in the teaser.
  const found = await searchItems(ctx.db, { q: "sentences prose" });
  assert.deepEqual(
    found.hits.map((h) => h.item.id),
    [id],
  );
  assert.match((await searchItems(ctx.db, { q: "teaser" })).hits.map((h) => h.item.id).join(), new RegExp(`^${id}$`));
});

test("full text failures are shown on the item page, nothing is cached, nothing crashes", async () => {
  const s = await addSource(ctx);
  const cases: [string, RegExp][] = [
    [`${base}/missing`, /answered with HTTP 404/],
    [`${base}/empty`, /No article text was found/],
    [`${base}/podcast.mp3`, /is not a web page \(it is audio\/mpeg\)/],
  ];
  for (const [url, message] of cases) {
    const id = await addItem(ctx, s, { url, title: `Failing ${url}` });
    const res = await user.form(`/admin/reader/items/${id}/fulltext`, {});
    assert.equal(res.status, 502, url);
    const text = await res.text();
    assert.match(text, /class="error-summary" role="alert">/);
    assert.match(text, message);
    assert.match(text, new RegExp(`<h1>Failing ${url.replaceAll(".", "\\.")}</h1>`), "the item page itself is shown");
    assert.equal(await fullHtml(id), null);
  }
  const noLink = await addItem(ctx, s, { url: null });
  const res = await user.form(`/admin/reader/items/${noLink}/fulltext`, {});
  assert.equal(res.status, 502);
  assert.match(await res.text(), /no web address to fetch/);
  assert.equal((await user.form(`/admin/reader/items/${noLink}/fulltext`, {}, { csrf: false })).status, 403);
});

test("the SSRF guard applies to full text: a loopback link is refused when private fetches are off", async () => {
  const guarded = await createTestContext({ allowPrivateFetch: false });
  try {
    const gApp = await createApp(guarded);
    const gUser = await signIn(guarded, gApp);
    const s = await addSource(guarded);
    const id = await addItem(guarded, s, { url: `${base}/article` });
    const res = await gUser.form(`/admin/reader/items/${id}/fulltext`, {});
    assert.equal(res.status, 502);
    assert.match(await res.text(), /class="error-summary" role="alert">[^<]*(private|loopback|local|blocked|refus)/i);
    assert.equal(hits["/article"], undefined, "never fetched");
  } finally {
    await guarded.cleanup();
  }
});
