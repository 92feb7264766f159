import assert from "node:assert/strict";
import { afterEach, beforeEach, test } from "node:test";
import { createApp } from "../app.ts";
import { createList } from "../audience/testing.ts";
import { addCoverRow, savePost, systemActor } from "../content/testing.ts";
import { createTestContext, type TestContext } from "../lib/testing.ts";
import { type Seeded, seedSite } from "./test-fixtures.ts";

let ctx: TestContext;
let s: Seeded;
beforeEach(async () => {
  ctx = await createTestContext();
  s = await seedSite(ctx);
});
afterEach(async () => ctx.cleanup());

const get = async (path: string, init?: RequestInit) => {
  const res = await (await createApp(ctx)).request(path, init);
  return { res, body: await res.text() };
};

/** The JSON-LD blocks of a page, parsed. */
function jsonLd(body: string): Record<string, unknown>[] {
  return [...body.matchAll(/<script type="application\/ld\+json">([\s\S]*?)<\/script>/g)].map((m) => JSON.parse(m[1]));
}

test("home lists published posts in an h-feed, not drafts or pages", async () => {
  const { res, body } = await get("/");
  assert.equal(res.status, 200);
  assert.match(res.headers.get("content-type") ?? "", /text\/html/);
  assert.match(body, /<html lang="en">/);
  assert.match(body, /class="h-feed/);
  assert.match(body, /Liner notes matter/);
  assert.match(body, /Federation in ten slides/);
  assert.doesNotMatch(body, /Secret draft/);
  assert.doesNotMatch(body, /href="\/about">About<\/a><\/h2>/);
  assert.match(body, /<title>Ada&#39;s Notes<\/title>/);
  // The newest post comes first.
  assert.ok(body.indexOf("Federation in ten slides") < body.indexOf("Liner notes matter"));
  // Autodiscovery of all three feeds, and the author's h-card in the footer.
  assert.match(body, /<link rel="alternate" type="application\/atom\+xml"[^>]*href="\/feed.atom">/);
  assert.match(body, /<link rel="alternate" type="application\/rss\+xml"[^>]*href="\/feed.rss">/);
  assert.match(body, /<link rel="alternate" type="application\/feed\+json"[^>]*href="\/feed.json">/);
  assert.match(body, /class="h-card site-author"[\s\S]*class="p-name u-url u-uid"[^>]*>Ada Lovelace/);
  // No inline styles anywhere (the CSP forbids them).
  assert.doesNotMatch(body, /style=|<style/);
});

test("home paginates and 404s past the last page", async () => {
  for (let i = 0; i < 11; i++) {
    await savePost(ctx, systemActor, { title: `Filler ${i}`, status: "published", themeIds: [s.web.id] });
  }
  const first = await get("/");
  assert.match(first.body, /rel="next" href="\/\?page=2"/);
  const second = await get("/?page=2");
  assert.equal(second.res.status, 200);
  assert.match(second.body, /rel="prev" href="\/"/);
  assert.match(second.body, /Liner notes matter/);
  assert.equal((await get("/?page=9")).res.status, 404);
});

test("post page: h-entry, OpenGraph, canonical and JSON-LD Article with a Person author", async () => {
  const { res, body } = await get("/posts/liner-notes-matter");
  assert.equal(res.status, 200);
  assert.match(body, /<article class="h-entry/);
  assert.match(body, /<h1 class="p-name">Liner notes matter<\/h1>/);
  assert.match(body, /class="e-content[^"]*">[\s\S]*session musicians/);
  assert.match(body, /<time class="dt-published" datetime="2025-06-01T10:00:00.000Z">/);
  assert.match(body, /class="p-author h-card"[^>]*>Ada Lovelace</);
  assert.match(body, /class="p-category" href="\/themes\/social-web">Social web</);
  assert.match(body, /class="p-category" href="\/themes\/music">Music</);
  assert.match(body, /<link rel="canonical" href="http:\/\/127.0.0.1:4321\/posts\/liner-notes-matter">/);
  assert.match(body, /<meta property="og:title" content="Liner notes matter">/);
  assert.match(body, /<meta property="og:type" content="article">/);
  assert.match(body, /<meta property="og:url" content="http:\/\/127.0.0.1:4321\/posts\/liner-notes-matter">/);
  assert.match(body, /<meta property="og:description" content="Why credits count">/);
  const [article] = jsonLd(body);
  assert.equal(article["@type"], "Article");
  assert.equal(article.headline, "Liner notes matter");
  assert.equal(article.datePublished, "2025-06-01T10:00:00.000Z");
  assert.deepEqual((article.author as Record<string, unknown>)["@type"], "Person");
  assert.equal((article.author as Record<string, unknown>).name, "Ada Lovelace");
  // Related posts: the deck shares a theme.
  assert.match(body, /<aside class="related[\s\S]*Federation in ten slides/);
});

test("JSON-LD cannot be broken out of by a title", async () => {
  await savePost(ctx, systemActor, {
    title: "</script><script>alert(1)</script>",
    slug: "evil",
    status: "published",
    themeIds: [s.web.id],
  });
  const { body } = await get("/posts/evil");
  assert.doesNotMatch(body, /<script>alert/);
  assert.equal(jsonLd(body)[0].headline, "</script><script>alert(1)</script>");
});

test("drafts, scheduled and future-dated posts are 404 for everyone", async () => {
  assert.equal((await get("/posts/secret-draft")).res.status, 404);
  await savePost(ctx, systemActor, {
    title: "Tomorrow",
    status: "scheduled",
    publishedAt: "2026-03-02T10:00:00Z",
    themeIds: [s.web.id],
  });
  assert.equal((await get("/posts/tomorrow")).res.status, 404);
  const home = await get("/");
  assert.doesNotMatch(home.body, /Tomorrow/);
  ctx.setNow(new Date("2026-03-02T10:00:01Z"));
  // Still scheduled until the job runs: still hidden.
  assert.equal((await get("/posts/tomorrow")).res.status, 404);
});

test("unknown paths get a 404 page with a search box; no stack traces", async () => {
  for (const path of ["/no-such-page", "/posts/missing", "/themes/nope", "/a/b/c", "/archive/1999"]) {
    const { res, body } = await get(path);
    assert.equal(res.status, 404, path);
    assert.match(body, /<form[^>]*role="search"[^>]*action="\/search"/);
    assert.match(body, /<label for="notfound-q">/);
    assert.match(body, /<input id="notfound-q" type="search" name="q"/);
    assert.match(body, /Page not found/);
    assert.doesNotMatch(body, /at .*\.ts:\d+/);
  }
});

test("a changed slug answers 301 from the old URL", async () => {
  await savePost(
    ctx,
    systemActor,
    { title: "Liner notes matter", slug: "credits-matter", status: "published", themeIds: [s.web.id] },
    s.article.id,
  );
  const { res } = await get("/posts/liner-notes-matter");
  assert.equal(res.status, 301);
  assert.equal(res.headers.get("location"), "/posts/credits-matter");
  assert.equal((await get("/posts/credits-matter")).res.status, 200);
});

test("about page shows the author's h-card with rel=me links and JSON-LD Person", async () => {
  const { res, body } = await get("/about");
  assert.equal(res.status, 200);
  assert.match(body, /<section class="h-card about-card"/);
  assert.match(body, /class="p-name u-url u-uid"[^>]*>Ada Lovelace</);
  assert.match(body, /<img class="u-photo" src="https:\/\/example.org\/ada.jpg" alt="Photo of Ada Lovelace"/);
  assert.match(body, /class="p-locality p-location">London</);
  assert.match(body, /class="p-note">Writes about engines.</);
  assert.match(body, /<a class="u-url" rel="me" href="https:\/\/social.example\/@ada">Mastodon<\/a>/);
  const [person] = jsonLd(body);
  assert.equal(person["@type"], "Person");
  assert.equal(person.name, "Ada Lovelace");
  assert.deepEqual(person.sameAs, ["https://social.example/@ada"]);
  // A page is not served under /posts/, and an article not at the root.
  assert.equal((await get("/posts/about")).res.headers.get("location"), "/about");
  assert.equal((await get("/liner-notes-matter")).res.headers.get("location"), "/posts/liner-notes-matter");
});

test("themes index and a theme page list their posts with the description and feeds", async () => {
  const index = await get("/themes");
  assert.match(index.body, /href="\/themes\/social-web">Social web</);
  assert.match(index.body, /Federation, feeds and friends./);
  assert.match(index.body, /2 posts/);
  const { res, body } = await get("/themes/music");
  assert.equal(res.status, 200);
  assert.match(body, /<h1 class="p-name">Music<\/h1>/);
  assert.match(body, /Records and the people on them./);
  assert.match(body, /Liner notes matter/);
  assert.doesNotMatch(body, /Federation in ten slides/);
  assert.match(body, /<link rel="alternate" type="application\/atom\+xml"[^>]*href="\/themes\/music\/feed.atom">/);
});

test("archive lists years and a year lists its posts by month", async () => {
  const { body } = await get("/archive");
  assert.match(body, /href="\/archive\/2026">2026</);
  assert.match(body, /href="\/archive\/2025">2025</);
  const y = await get("/archive/2025");
  assert.equal(y.res.status, 200);
  assert.match(y.body, /June/);
  assert.match(y.body, /Liner notes matter/);
  assert.doesNotMatch(y.body, /Federation in ten slides/);
});

test("sitemap lists public URLs and robots.txt points at it", async () => {
  const { res, body } = await get("/sitemap.xml");
  assert.match(res.headers.get("content-type") ?? "", /application\/xml/);
  assert.match(body, /<urlset xmlns="http:\/\/www.sitemaps.org\/schemas\/sitemap\/0.9">/);
  for (const p of ["/", "/posts/liner-notes-matter", "/about", "/themes/music", "/archive/2025", "/themes"]) {
    assert.match(body, new RegExp(`<loc>http://127.0.0.1:4321${p.replace(/\//g, "\\/")}</loc>`), p);
  }
  assert.doesNotMatch(body, /secret-draft/);
  const robots = await get("/robots.txt");
  assert.match(robots.res.headers.get("content-type") ?? "", /text\/plain/);
  assert.match(robots.body, /^Disallow: \/admin$/m);
  assert.match(robots.body, /^Sitemap: http:\/\/127.0.0.1:4321\/sitemap.xml$/m);
});

test("static assets are versioned and cached for a year", async () => {
  const { body } = await get("/");
  const href = /<link rel="stylesheet" href="(\/assets\/site\.[0-9a-f]{10}\.css)">/.exec(body)?.[1];
  assert.ok(href);
  const css = await get(href);
  assert.equal(css.res.status, 200);
  assert.match(css.res.headers.get("content-type") ?? "", /text\/css/);
  assert.match(css.res.headers.get("cache-control") ?? "", /max-age=31536000, immutable/);
  assert.match(css.body, /prefers-color-scheme: dark/);
  assert.equal((await get("/assets/site.0000000000.css")).res.status, 404);
});

test("home: a call to subscribe, and a small sized lazy thumbnail of each post's cover; footer links email and events", async () => {
  await createList(ctx, { name: "New posts" });
  const media = { id: await addCoverRow(ctx, "cov1", [320, 640]) };
  await savePost(
    ctx,
    systemActor,
    {
      title: s.article.title,
      body: s.article.body_md,
      status: "published",
      themeIds: [s.web.id],
      coverMediaId: media.id,
    },
    s.article.id,
  );
  const { body } = await get("/");
  assert.match(body, /<aside class="subscribe-cta"[^>]*>\s*<h2 id="cta-h">Get new posts by email<\/h2>/);
  assert.match(body, /<a class="button" href="\/subscribe">Subscribe<\/a>/);
  const card = /<li class="h-entry card has-thumb">([\s\S]*?)<\/li>/.exec(body)?.[1] ?? "";
  assert.match(card, /Liner notes matter/);
  assert.match(
    card,
    /<img class="card-thumb u-photo" src="\/media\/cov1-320\.webp" width="320" height="180" loading="lazy" decoding="async" alt="Liner notes matter">/,
  );
  assert.equal((body.match(/class="card-thumb/g) ?? []).length, 1, "posts without a cover get no thumbnail");
  assert.match(body, /<a href="\/subscribe">By email<\/a>/);
  assert.match(body, /<a href="\/events">Events<\/a>/);
  const page2 = await get("/archive/2025");
  assert.doesNotMatch(page2.body, /card-thumb|subscribe-cta/, "only the home page");
});
