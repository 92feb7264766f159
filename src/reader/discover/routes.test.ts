import assert from "node:assert/strict";
import { afterEach, beforeEach, test } from "node:test";
import type { Hono } from "hono";
import { createApp } from "../../app.ts";
import { type Browser, signIn } from "../../auth/testing.ts";
import type { AppEnv } from "../../lib/http/env.ts";
import { serve, type TestServer } from "../../lib/net/test-server.ts";
import { createTestContext, type TestContext } from "../../lib/testing.ts";
import { followUrl } from "./routes.ts";
import { indexCitations } from "./service.ts";
import { addItem, addSource, linking } from "./testing.ts";

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

test("GET /admin/discover: ranked sites, 'cited by N of the people you follow', citing items", async () => {
  const ann = await addSource(ctx, "https://ann.example/", "Ann's links");
  const ben = await addSource(ctx, "https://ben.example/", "Ben <b>bold</b>");
  const cat = await addSource(ctx, "https://cat.example/", "Cat");
  await addItem(ctx, ann, { title: "Ann reads <script>x()</script>", ...linking("https://quiet.org/a") });
  await addItem(ctx, ben, { title: "Ben reads", ...linking("https://quiet.org/b", "https://loud.net/1") });
  await addItem(ctx, cat, { title: "Cat credits", contentHtml: `<p>via <a href="https://quiet.org/c">Q</a></p>` });
  await indexCitations(ctx);

  const res = await owner.request("/admin/discover");
  assert.equal(res.status, 200);
  const page = await res.text();
  assert.match(page, /aria-current="page">Discover</);
  assert.match(page, /cited by 3 of the people you follow/i);
  assert.match(page, /cited by 1 of the people you follow/i);
  assert.ok(page.indexOf("quiet.org") < page.indexOf("loud.net"), "the site cited by more sources comes first");
  // The citing items, in a <details> that works without JavaScript, linking to the reader.
  assert.match(page, /<details>\s*<summary>The 3 latest citing items/);
  assert.match(page, /href="\/admin\/reader\/items\/\d+">Ann reads &lt;script&gt;x\(\)&lt;\/script&gt;<\/a>/);
  assert.match(page, /Ben &lt;b&gt;bold&lt;\/b&gt;/);
  assert.match(
    page,
    />Cat credits<\/a>\s*credits <a href="https:\/\/quiet\.org\/c" rel="noopener noreferrer">“Q”<\/a> as its source \(“via”\)/,
  );
  assert.doesNotMatch(page, /<script>x\(\)/);
  // A Follow button per site, a CSRF-protected POST carrying the site's address.
  assert.match(
    page,
    /<form method="post" action="\/admin\/discover\/follow" class="inline">\s*<input type="hidden" name="_csrf" value="[^"]+">\s*<input type="hidden" name="url" value="https:\/\/quiet.org\/">/,
  );
});

test("GET /admin/discover: an empty state without citations", async () => {
  const page = await (await owner.request("/admin/discover")).text();
  assert.match(page, /Nothing to discover yet/);
});

test("POST /admin/discover/follow: follows the site through autodiscovery; it leaves the ranking", async () => {
  // A site on another loopback address (our own site is 127.0.0.1, which discover leaves out).
  let origin = "";
  server = await serve((req, res) => {
    if (req.url === "/") {
      res.setHeader("content-type", "text/html; charset=utf-8");
      res.end(`<!doctype html><html><head><title>Quiet</title>
        <link rel="alternate" type="application/rss+xml" title="Quiet" href="/feed.xml"></head><body>Hi</body></html>`);
    } else if (req.url === "/feed.xml") {
      res.setHeader("content-type", "application/rss+xml");
      res.end(`<?xml version="1.0"?><rss version="2.0"><channel><title>Quiet Site</title><link>${origin}/</link>
        <item><title>First</title><link>${origin}/first</link><guid>${origin}/first</guid>
        <pubDate>Mon, 03 Mar 2025 10:00:00 GMT</pubDate></item></channel></rss>`);
    } else {
      res.statusCode = 404;
      res.end("no");
    }
  }, "127.0.0.2");
  origin = server.origin;
  const ann = await addSource(ctx, "https://ann.example/");
  await addItem(ctx, ann, linking(`${origin}/some/post`, "https://other.net/"));
  await indexCitations(ctx);
  const before = await (await owner.request("/admin/discover")).text();
  assert.match(before, /id="site-127\.0\.0\.2"/);
  assert.match(before, new RegExp(`name="url" value="${origin}/"`));

  // Without the CSRF token nothing happens.
  const forged = await owner.form("/admin/discover/follow", { url: `${origin}/` }, { csrf: false });
  assert.equal(forged.status, 403);
  assert.equal((await ctx.db.kysely.selectFrom("sources").select("id").execute()).length, 1);

  const res = await owner.form("/admin/discover/follow", { url: `${origin}/` });
  assert.equal(res.status, 303);
  const location = res.headers.get("location") ?? "";
  assert.match(location, /^\/admin\/discover\?followed=\d+$/);
  const followed = await ctx.db.kysely
    .selectFrom("sources")
    .select(["feed_url", "site_host"])
    .where("feed_url", "=", `${origin}/feed.xml`)
    .executeTakeFirst();
  assert.deepEqual(followed, { feed_url: `${origin}/feed.xml`, site_host: "127.0.0.2" });

  const after = await (await owner.request(location)).text();
  assert.match(after, /Now following Quiet Site\. Its items will appear in the reader, and 127\.0\.0\.2 no longer/);
  assert.doesNotMatch(after, /id="site-127\.0\.0\.2"/);
  assert.doesNotMatch(after, new RegExp(`name="url" value="${origin}/"`));
  assert.match(after, /other\.net/);
});

test("POST /admin/discover/follow: a site without a feed stays on the page with its link", async () => {
  server = await serve((_req, res) => {
    res.setHeader("content-type", "text/html");
    res.end("<!doctype html><title>No feed</title><p>Nothing to follow here.</p>");
  }, "127.0.0.3");
  const res = await owner.form("/admin/discover/follow", { url: `${server.origin}/` });
  assert.ok(res.status >= 400 && res.status < 500, `status ${res.status}`);
  const page = await res.text();
  assert.match(page, new RegExp(`role="alert">Could not follow ${server.origin}/: `));
  assert.match(page, new RegExp(`<a href="${server.origin}/" rel="noopener noreferrer">visit the site</a>`));
  assert.equal((await ctx.db.kysely.selectFrom("sources").select("id").execute()).length, 0);
});

test("POST /admin/discover/follow: bad addresses are refused with a message naming the problem", async () => {
  for (const [url, message] of [
    ["", /field “url” is empty/],
    ["not a url", /is not a web address/],
    ["ftp://files.example/", /Only http and https sites can be followed/],
    [`https://x.example/${"a".repeat(2100)}`, /too long/],
  ] as const) {
    const res = await owner.form("/admin/discover/follow", { url });
    assert.equal(res.status, 400, url);
    assert.match(await res.text(), message);
  }
  assert.throws(() => followUrl("javascript:alert(1)"), /Only http and https/);
});
