/**
 * Discover polish (issue 12, item 9), through HTTP and the database: names and link text rather
 * than bare hosts, a feed preview (from a loopback site), and a dismiss that is remembered.
 */
import assert from "node:assert/strict";
import { afterEach, beforeEach, test } from "node:test";
import type { Hono } from "hono";
import { createApp } from "../../app.ts";
import { type Browser, signIn } from "../../auth/testing.ts";
import type { AppEnv } from "../../lib/http/env.ts";
import { serve, type TestServer } from "../../lib/net/test-server.ts";
import { createTestContext, type TestContext } from "../../lib/testing.ts";
import { indexCitations } from "./service.ts";
import { addItem, addSource } from "./testing.ts";

let ctx: TestContext;
let app: Hono<AppEnv>;
let owner: Browser;
let server: TestServer | undefined;
beforeEach(async () => {
  ctx = await createTestContext();
  app = await createApp(ctx);
  owner = await signIn(ctx, app, { role: "owner" });
});
afterEach(async () => {
  await server?.close();
  server = undefined;
  await ctx.cleanup();
});

test("a site shows the name its citers credit, with its host beside it, and each item's link text", async () => {
  const ann = await addSource(ctx, "https://ann.example/");
  const ben = await addSource(ctx, "https://ben.example/");
  await addItem(ctx, ann, {
    title: "Ann's pick",
    contentHtml: `<p>Listen to <a href="https://carol.example/ep/1">Episode 1: tapes</a> (via <a href="https://carol.example/">Carol’s Podcast</a>)</p>`,
  });
  await addItem(ctx, ben, {
    title: "Ben's pick",
    contentHtml: `<p><a href="https://carol.example/ep/2">Episode 2</a></p>`,
  });
  await addItem(ctx, ben, {
    title: "Plain",
    contentHtml: `<p><a href="https://plain.example/x">https://plain.example/x</a></p>`,
  });
  await indexCitations(ctx);

  const page = await (await owner.request("/admin/discover")).text();
  assert.match(
    page,
    /<h2 id="site-carol\.example"><a href="https:\/\/carol\.example\/" rel="noopener noreferrer">Carol’s Podcast<\/a> <span class="hint">carol\.example<\/span><\/h2>/,
  );
  assert.match(page, /cites <a href="https:\/\/carol\.example\/ep\/2" rel="noopener noreferrer">“Episode 2”<\/a>/);
  // The citing item's line is one sentence: title, "cites", target, then (source, date).
  assert.match(
    page,
    />Ben&#39;s pick<\/a>\s*cites <a href="https:\/\/carol\.example\/ep\/2" rel="noopener noreferrer">“Episode 2”<\/a>\s*<span class="hint">\(ben\.example, /,
  );
  assert.doesNotMatch(page, /credited via|— cites/);
  // Without a name, the host stands; without link text, "a page on this site".
  assert.match(
    page,
    /<h2 id="site-plain\.example"><a href="https:\/\/plain\.example\/" rel="noopener noreferrer">plain\.example<\/a><\/h2>/,
  );
  assert.match(page, /cites <a href="https:\/\/plain\.example\/x" rel="noopener noreferrer">a page on this site<\/a>/);
  assert.match(page, /href="\/admin\/discover\/preview\?url=https%3A%2F%2Fcarol\.example%2F&amp;host=carol\.example"/);
});

test("the feed preview shows the site's feed title, description and latest items, with Follow and Dismiss", async () => {
  let origin = "";
  server = await serve((req, res) => {
    if (req.url === "/") {
      res.setHeader("content-type", "text/html; charset=utf-8");
      res.end(
        `<!doctype html><title>Quiet</title><link rel="alternate" type="application/atom+xml" href="/atom.xml"><p>Hi</p>`,
      );
    } else if (req.url === "/atom.xml") {
      res.setHeader("content-type", "application/atom+xml");
      res.end(`<?xml version="1.0"?><feed xmlns="http://www.w3.org/2005/Atom"><title>Quiet Notes</title>
        <subtitle>Small posts &amp; links</subtitle><id>urn:x</id><updated>2025-03-03T10:00:00Z</updated>
        <link href="${origin}/"/>
        <entry><title>Newest &lt;post&gt;</title><id>urn:1</id><link href="${origin}/1"/><updated>2025-03-03T10:00:00Z</updated>
        <summary>A summary</summary></entry></feed>`);
    } else {
      res.statusCode = 404;
      res.end("no");
    }
  }, "127.0.0.4");
  origin = server.origin;
  const url = `/admin/discover/preview?url=${encodeURIComponent(`${origin}/`)}&host=127.0.0.4`;
  const res = await owner.request(url);
  assert.equal(res.status, 200);
  const page = await res.text();
  assert.match(page, /<h1>Quiet Notes<\/h1>/);
  assert.match(page, /<p>Small posts &amp; links<\/p>/);
  assert.match(page, new RegExp(`<a href="${origin}/1" rel="noopener noreferrer">Newest &lt;post&gt;</a>`));
  assert.match(page, new RegExp(`feed: <a href="${origin}/atom.xml"`));
  assert.match(page, /action="\/admin\/discover\/follow"/);
  assert.match(page, /<input type="hidden" name="host" value="127\.0\.0\.4">/);

  server.close();
  server = await serve((_req, res) => res.end("<!doctype html><p>No feed here</p>"), "127.0.0.5");
  const none = await owner.request(`/admin/discover/preview?url=${encodeURIComponent(`${server.origin}/`)}`);
  assert.equal(none.status, 502);
  assert.match(await none.text(), /role="alert">No feed found at/);
  assert.equal((await owner.request("/admin/discover/preview?url=javascript:alert(1)")).status, 400);
});

test("an unreachable site's preview and follow say why once, not 'could not fetch' twice", async () => {
  const url = "https://no-such-host.invalid/";
  const preview = await owner.request(`/admin/discover/preview?url=${encodeURIComponent(url)}`);
  assert.equal(preview.status, 502);
  const said = await preview.text();
  assert.match(said, /role="alert">Could not fetch https:\/\/no-such-host\.invalid\/: host not found</);
  assert.doesNotMatch(said, /could not fetch https:\/\/no-such-host\.invalid\/: could not/i);
  const follow = await owner.form("/admin/discover/follow", { url });
  assert.match(await follow.text(), /role="alert">Could not fetch https:\/\/no-such-host\.invalid\/: host not found</);
});

test("Dismiss removes a site from the ranking for good (stored), and Suggest again brings it back", async () => {
  const ann = await addSource(ctx, "https://ann.example/");
  await addItem(ctx, ann, {
    contentHtml: `<p><a href="https://gone.example/a">Gone</a> <a href="https://kept.example/b">Kept</a></p>`,
  });
  await indexCitations(ctx);
  const forged = await owner.form("/admin/discover/dismiss", { host: "gone.example" }, { csrf: false });
  assert.equal(forged.status, 403);

  const res = await owner.form("/admin/discover/dismiss", { host: "gone.example" });
  assert.equal(res.status, 303);
  const after = await (await owner.request(res.headers.get("location") ?? "")).text();
  assert.match(after, /Dismissed: that site won&#39;t be suggested again/);
  assert.doesNotMatch(after, /id="site-gone\.example"/);
  assert.match(after, /id="site-kept\.example"/);
  assert.match(after, /<summary>Dismissed sites \(1\)<\/summary>/);
  const rows = await ctx.db.kysely.selectFrom("discover_dismissed").select("host").execute();
  assert.deepEqual(rows, [{ host: "gone.example" }]);

  // New citations of a dismissed site do not bring it back.
  await addItem(ctx, ann, { contentHtml: `<p><a href="https://gone.example/c">Gone again</a></p>` });
  await indexCitations(ctx);
  assert.doesNotMatch(await (await owner.request("/admin/discover")).text(), /id="site-gone\.example"/);

  const restore = await owner.form("/admin/discover/restore", { host: "gone.example" });
  assert.equal(restore.status, 303);
  assert.match(await (await owner.request("/admin/discover")).text(), /id="site-gone\.example"/);

  const bad = await owner.form("/admin/discover/dismiss", { host: "<script>" });
  assert.equal(bad.status, 400);
  assert.match(await bad.text(), /is not a site&#39;s host name/);
});
