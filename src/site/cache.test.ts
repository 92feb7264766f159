import assert from "node:assert/strict";
import { afterEach, beforeEach, describe, test } from "node:test";
import { brotliDecompressSync, gunzipSync } from "node:zlib";
import { Hono } from "hono";
import { createApp } from "../app.ts";
import { savePost, systemActor } from "../content/testing.ts";
import type { AppContext } from "../lib/context.ts";
import { PageCache } from "../lib/http/cache.ts";
import type { AppEnv } from "../lib/http/env.ts";
import { createTestContext, type TestContext } from "../lib/testing.ts";
import { cacheKey, pickEncoding } from "./cache.ts";
import { siteRoutes } from "./routes.ts";
import { type Seeded, seedSite } from "./test-fixtures.ts";

describe("helpers", () => {
  test("pickEncoding prefers br, then gzip, and honours q=0", () => {
    assert.equal(pickEncoding("gzip, deflate, br"), "br");
    assert.equal(pickEncoding("gzip"), "gzip");
    assert.equal(pickEncoding("br;q=0, gzip;q=0.8"), "gzip");
    assert.equal(pickEncoding("br;q=0"), undefined);
    assert.equal(pickEncoding("identity"), undefined);
    assert.equal(pickEncoding(undefined), undefined);
  });
  test("cacheKey keeps the path and known parameters in a fixed order", () => {
    assert.equal(cacheKey("http://h/posts/a"), "/posts/a");
    assert.equal(cacheKey("http://h/posts/a?utm_source=x"), "/posts/a");
    assert.equal(cacheKey("http://h/search?kind=note&q=a%20b&x=1"), "/search?q=a%20b&kind=note");
  });
  test("the page cache drops the least recently used page, counting reads and stores", () => {
    const cache = new PageCache(2);
    const page = (body: string) => ({ body, contentType: "text/plain", etag: '"e"', lastModified: "", status: 200 });
    cache.set("/a", page("a"));
    cache.set("/b", page("b"));
    assert.equal(cache.get("/a")?.body, "a");
    assert.equal(cache.get("/a")?.body, "a", "a second read of the newest page");
    cache.set("/c", page("c"));
    assert.deepEqual([cache.get("/b"), cache.get("/a")?.body, cache.get("/c")?.body], [undefined, "a", "c"]);
    // Storing a page again (two renders of one page) makes it the newest too.
    cache.set("/a", page("a2"));
    cache.set("/d", page("d"));
    assert.deepEqual([cache.get("/c"), cache.get("/a")?.body, cache.get("/d")?.body], [undefined, "a2", "d"]);
  });
});

describe("HTTP caching", () => {
  let ctx: TestContext;
  let s: Seeded;
  beforeEach(async () => {
    ctx = await createTestContext();
    s = await seedSite(ctx);
  });
  afterEach(async () => ctx.cleanup());

  test("ETag and Last-Modified revalidate with 304", async () => {
    const app = await createApp(ctx);
    const first = await app.request("/posts/liner-notes-matter");
    const etag = first.headers.get("etag");
    const lastModified = first.headers.get("last-modified");
    assert.ok(etag && lastModified);
    assert.equal(first.headers.get("cache-control"), "public, max-age=0, must-revalidate");
    assert.equal(first.headers.get("vary"), "Accept, Accept-Encoding");
    const again = await app.request("/posts/liner-notes-matter", { headers: { "If-None-Match": etag } });
    assert.equal(again.status, 304);
    assert.equal(await again.text(), "");
    assert.equal(again.headers.get("etag"), etag);
    const weak = await app.request("/posts/liner-notes-matter", { headers: { "If-None-Match": `"x", W/${etag}` } });
    assert.equal(weak.status, 304);
    const other = await app.request("/posts/liner-notes-matter", { headers: { "If-None-Match": '"nope"' } });
    assert.equal(other.status, 200);
    const since = await app.request("/posts/liner-notes-matter", { headers: { "If-Modified-Since": lastModified } });
    assert.equal(since.status, 304);
    const before = await app.request("/posts/liner-notes-matter", {
      headers: { "If-Modified-Since": "Mon, 01 Jan 2001 00:00:00 GMT" },
    });
    assert.equal(before.status, 200);
  });

  test("gzip and brotli bodies round-trip; HEAD has headers and no body", async () => {
    const app = await createApp(ctx);
    const plain = await (await app.request("/posts/liner-notes-matter")).text();
    const br = await app.request("/posts/liner-notes-matter", { headers: { "Accept-Encoding": "gzip, br" } });
    assert.equal(br.headers.get("content-encoding"), "br");
    assert.equal(brotliDecompressSync(Buffer.from(await br.arrayBuffer())).toString(), plain);
    const gz = await app.request("/posts/liner-notes-matter", { headers: { "Accept-Encoding": "gzip, br;q=0" } });
    assert.equal(gz.headers.get("content-encoding"), "gzip");
    assert.equal(gunzipSync(Buffer.from(await gz.arrayBuffer())).toString(), plain);
    // Each encoding has its own ETag, and each revalidates.
    assert.notEqual(br.headers.get("etag"), gz.headers.get("etag"));
    const revalidated = await app.request("/posts/liner-notes-matter", {
      headers: { "Accept-Encoding": "gzip", "If-None-Match": gz.headers.get("etag") ?? "" },
    });
    assert.equal(revalidated.status, 304);
    const head = await app.request("/posts/liner-notes-matter", { method: "HEAD" });
    assert.equal(head.status, 200);
    assert.ok(head.headers.get("etag"));
    assert.equal(await head.text(), "");
  });

  test("pages are cached and a save clears the cache", async () => {
    const app = await createApp(ctx);
    assert.equal(ctx.cache.size, 0);
    await app.request("/");
    assert.equal(ctx.cache.size, 1);
    // Served from the cache: a change made behind the app's back is not seen...
    await ctx.db.kysely.updateTable("posts").set({ title: "Sneaky" }).where("id", "=", s.article.id).execute();
    assert.doesNotMatch(await (await app.request("/")).text(), /Sneaky/);
    // ...but a save through the content service is.
    await savePost(ctx, systemActor, { title: "Brand new", status: "published", themeIds: [s.web.id] });
    const body = await (await app.request("/")).text();
    assert.match(body, /Brand new/);
    assert.match(body, /Sneaky/);
  });

  test("another process's change clears this process's cache within a second", async () => {
    const app = await createApp(ctx);
    await app.request("/");
    const other: AppContext = { ...ctx, cache: new PageCache() };
    await savePost(other, systemActor, { title: "From elsewhere", status: "published", themeIds: [s.web.id] });
    assert.doesNotMatch(await (await app.request("/")).text(), /From elsewhere/);
    const t0 = ctx.now().getTime();
    ctx.setNow(new Date(t0 + 500));
    assert.doesNotMatch(
      await (await app.request("/")).text(),
      /From elsewhere/,
      "not checked again within the interval",
    );
    ctx.setNow(new Date(t0 + 1100));
    assert.match(await (await app.request("/")).text(), /From elsewhere/);
  });

  test("another process's changes are noticed even when they happen at the same instant", async () => {
    const app = await createApp(ctx);
    await app.request("/");
    // The other process's clock stands still: its changes must still move the content version.
    const t0 = ctx.now().getTime();
    const other: AppContext = { ...ctx, cache: new PageCache(), now: () => new Date(t0) };
    await savePost(other, systemActor, { title: "First from elsewhere", status: "published", themeIds: [s.web.id] });
    ctx.setNow(new Date(t0 + 1100));
    assert.match(await (await app.request("/")).text(), /First from elsewhere/);
    await savePost(other, systemActor, { title: "Second from elsewhere", status: "published", themeIds: [s.web.id] });
    ctx.setNow(new Date(t0 + 2200));
    assert.match(await (await app.request("/")).text(), /Second from elsewhere/);
  });

  test("a post published with a future date appears when its time comes, cache or not", async () => {
    const app = await createApp(ctx);
    await savePost(ctx, systemActor, {
      title: "Future post",
      status: "published",
      publishedAt: "2026-03-01T12:00:00Z",
      themeIds: [s.web.id],
    });
    assert.doesNotMatch(await (await app.request("/")).text(), /Future post/);
    assert.equal((await app.request("/posts/future-post")).status, 404);
    ctx.setNow(new Date("2026-03-01T12:00:01Z"));
    assert.match(await (await app.request("/")).text(), /Future post/);
    assert.equal((await app.request("/posts/future-post")).status, 200);
  });

  test("with the page cache off, every request renders from the database", async () => {
    ctx.config.pageCache = false;
    const app = await createApp(ctx);
    await app.request("/");
    assert.equal(ctx.cache.size, 0);
    await ctx.db.kysely.updateTable("posts").set({ title: "Sneaky" }).where("id", "=", s.article.id).execute();
    const res = await app.request("/");
    assert.match(await res.text(), /Sneaky/);
    assert.ok(res.headers.get("etag"));
  });

  test("signed-in staff get fresh private pages that are not stored", async () => {
    const app = new Hono<AppEnv>();
    app.use(async (c, next) => {
      c.set("user", { id: 1, email: "a@b.c", name: "A", role: "owner" });
      await next();
    });
    app.route("/", siteRoutes(ctx, ctx.host));
    const res = await app.request("/posts/liner-notes-matter");
    assert.equal(res.status, 200);
    assert.equal(res.headers.get("cache-control"), "private, no-cache");
    assert.equal(ctx.cache.size, 0);
  });
});
