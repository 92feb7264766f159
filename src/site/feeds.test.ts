import assert from "node:assert/strict";
import { afterEach, beforeEach, describe, test } from "node:test";
import { createApp } from "../app.ts";
import { contentChanged, savePost, systemActor } from "../content/index.ts";
import { createTestContext, type TestContext } from "../lib/testing.ts";
import { absolutizeUrls, atomFeed, cdata, deckToHtml, type FeedData, jsonFeed, rssFeed, xmlEscape } from "./feeds.ts";
import { seedSite } from "./test-fixtures.ts";
import { childrenNamed, parseXml, textOf } from "./test-xml.ts";

const data: FeedData = {
  title: "Tom & Jerry's <notes>",
  description: 'A "quoted" feed',
  language: "en",
  homeUrl: "https://x.example/",
  feedBase: "https://x.example/feed",
  author: { name: "Tom", url: "https://x.example/" },
  items: [
    {
      url: "https://x.example/posts/a",
      title: "A <b>bold</b> title & more",
      summary: "sum",
      html: '<p>See <a href="/about">about</a>, <img src="pic.webp" srcset="/m/a-400.webp 400w, /m/a-800.webp 800w"> and <a href="https://other.example/x">x</a> ]]> end\u0001</p>',
      published: "2026-01-01T00:00:00.000Z",
      updated: "2026-01-02T00:00:00.000Z",
      categories: ["Web & Co"],
    },
  ],
};

describe("feed builders", () => {
  test("absolutizeUrls resolves relative src, href and srcset against the post URL", () => {
    const out = absolutizeUrls(data.items[0].html, "https://x.example/posts/a");
    assert.match(out, /href="https:\/\/x.example\/about"/);
    assert.match(out, /src="https:\/\/x.example\/posts\/pic.webp"/);
    assert.match(out, /srcset="https:\/\/x.example\/m\/a-400.webp 400w, https:\/\/x.example\/m\/a-800.webp 800w"/);
    assert.match(out, /href="https:\/\/other.example\/x"/);
    assert.equal(absolutizeUrls('<a href="mailto:a@b.c">m</a>', "https://x.example/"), '<a href="mailto:a@b.c">m</a>');
  });

  test("xmlEscape and cdata keep XML well-formed", () => {
    assert.equal(xmlEscape(`<a href="x">'&'</a>`), "&lt;a href=&quot;x&quot;&gt;&apos;&amp;&apos;&lt;/a&gt;");
    assert.equal(xmlEscape("a\u0000b\u0007c"), "abc");
    assert.equal(cdata("x]]>y"), "<![CDATA[x]]]]><![CDATA[>y]]>");
  });

  test("Atom parses, escapes titles and carries full content with absolute URLs", () => {
    const feed = parseXml(atomFeed(data));
    assert.equal(feed.name, "feed");
    assert.equal(feed.attrs.xmlns, "http://www.w3.org/2005/Atom");
    assert.equal(textOf(childrenNamed(feed, "title")[0]), "Tom & Jerry's <notes>");
    const [entry] = childrenNamed(feed, "entry");
    assert.equal(textOf(childrenNamed(entry, "title")[0]), "A <b>bold</b> title & more");
    assert.equal(textOf(childrenNamed(entry, "id")[0]), "https://x.example/posts/a");
    const content = textOf(childrenNamed(entry, "content")[0]);
    assert.match(content, /<a href="https:\/\/x.example\/about">about<\/a>/);
    assert.match(content, /\]\]> end/);
    assert.equal(childrenNamed(entry, "category")[0].attrs.term, "Web & Co");
  });

  test("RSS parses, with content:encoded in CDATA", () => {
    const rss = parseXml(rssFeed(data));
    assert.equal(rss.attrs.version, "2.0");
    const [channel] = childrenNamed(rss, "channel");
    const [item] = childrenNamed(channel, "item");
    assert.equal(textOf(childrenNamed(item, "guid")[0]), "https://x.example/posts/a");
    assert.equal(textOf(childrenNamed(item, "pubDate")[0]), "Thu, 01 Jan 2026 00:00:00 GMT");
    const content = textOf(childrenNamed(item, "content:encoded")[0]);
    assert.match(content, /<img src="https:\/\/x.example\/posts\/pic.webp"/);
    assert.match(content, /\]\]> end/);
  });

  test("JSON Feed 1.1 is valid JSON with the required fields", () => {
    const feed = JSON.parse(jsonFeed(data));
    assert.equal(feed.version, "https://jsonfeed.org/version/1.1");
    assert.equal(feed.feed_url, "https://x.example/feed.json");
    assert.equal(feed.items[0].id, "https://x.example/posts/a");
    assert.match(feed.items[0].content_html, /href="https:\/\/x.example\/about"/);
    assert.deepEqual(feed.items[0].tags, ["Web & Co"]);
    assert.equal(feed.authors[0].name, "Tom");
  });

  test("a Marp deck becomes plain sections for feed readers", () => {
    const out = deckToHtml(
      '<div class="marpit"><svg data-marpit-svg viewBox="0 0 1280 720"><foreignObject width="1280" height="720"><section id="1"><h1>A</h1></section></foreignObject></svg><svg data-marpit-svg viewBox="0 0 1280 720"><foreignObject width="1280" height="720"><section id="2"><p>B</p></section></foreignObject></svg></div>',
    );
    assert.equal(out, '<section id="1"><h1>A</h1></section>\n<hr>\n<section id="2"><p>B</p></section>');
  });
});

describe("feed routes", () => {
  let ctx: TestContext;
  beforeEach(async () => {
    ctx = await createTestContext();
    await seedSite(ctx);
  });
  afterEach(async () => ctx.cleanup());
  const get = async (path: string) => (await createApp(ctx)).request(path);

  test("site feeds in three formats with full content and absolute URLs, no drafts", async () => {
    const atom = await get("/feed.atom");
    assert.equal(atom.headers.get("content-type"), "application/atom+xml; charset=utf-8");
    const feed = parseXml(await atom.text());
    const entries = childrenNamed(feed, "entry");
    assert.deepEqual(
      entries.map((e) => textOf(childrenNamed(e, "title")[0])),
      ["Federation in ten slides", "Liner notes matter"],
    );
    const content = textOf(childrenNamed(entries[1], "content")[0]);
    assert.match(content, /Album liner notes credited the session musicians/);
    assert.match(content, /href="http:\/\/127.0.0.1:4321\/about"/);
    assert.match(content, /src="http:\/\/127.0.0.1:4321\/media\/pic-800.webp"/);

    const rss = await get("/feed.rss");
    assert.equal(rss.headers.get("content-type"), "application/rss+xml; charset=utf-8");
    const channel = childrenNamed(parseXml(await rss.text()), "channel")[0];
    assert.equal(childrenNamed(channel, "item").length, 2);

    const json = await get("/feed.json");
    assert.equal(json.headers.get("content-type"), "application/feed+json; charset=utf-8");
    const jf = JSON.parse(await json.text());
    assert.equal(jf.version, "https://jsonfeed.org/version/1.1");
    assert.equal(jf.title, "Ada's Notes");
    assert.equal(jf.items.length, 2);
    assert.equal(jf.items[1].url, "http://127.0.0.1:4321/posts/liner-notes-matter");
    assert.match(jf.items[0].content_html, /<section id="1">[\s\S]*servers talk/);
    assert.doesNotMatch(JSON.stringify(jf), /Secret draft/);
  });

  test("theme feeds only carry the theme's posts; unknown themes 404", async () => {
    const atom = parseXml(await (await get("/themes/music/feed.atom")).text());
    assert.equal(textOf(childrenNamed(atom, "title")[0]), "Ada's Notes: Music");
    assert.deepEqual(
      childrenNamed(atom, "entry").map((e) => textOf(childrenNamed(e, "title")[0])),
      ["Liner notes matter"],
    );
    const rss = parseXml(await (await get("/themes/music/feed.rss")).text());
    assert.equal(childrenNamed(childrenNamed(rss, "channel")[0], "item").length, 1);
    const json = JSON.parse(await (await get("/themes/social-web/feed.json")).text());
    assert.equal(json.feed_url, "http://127.0.0.1:4321/themes/social-web/feed.json");
    assert.equal(json.items.length, 2);
    assert.equal((await get("/themes/nope/feed.atom")).status, 404);
  });
});

describe("feed ids", () => {
  let ctx: TestContext;
  afterEach(async () => ctx.cleanup());

  const idsOf = async () => {
    const app = await createApp(ctx);
    const atom = parseXml(await (await app.request("/feed.atom")).text());
    const rss = parseXml(await (await app.request("/feed.rss")).text());
    const json = JSON.parse(await (await app.request("/feed.json")).text());
    return {
      atom: childrenNamed(atom, "entry").map((e) => textOf(childrenNamed(e, "id")[0])),
      rss: childrenNamed(childrenNamed(rss, "channel")[0], "item").map((i) => textOf(childrenNamed(i, "guid")[0])),
      json: (json.items as { id: string }[]).map((i) => i.id),
      links: childrenNamed(atom, "entry").map((e) => childrenNamed(e, "link")[0].attrs.href),
    };
  };

  test("renaming a slug keeps the Atom id, RSS guid and JSON Feed id; the link follows the slug", async () => {
    ctx = await createTestContext();
    const { article, web, music } = await seedSite(ctx);
    const before = await idsOf();
    const id = `tag:127.0.0.1,2025-06-01:post-${article.id}`;
    assert.equal(before.atom[1], id);
    assert.equal(before.rss[1], id);
    assert.equal(before.json[1], id);
    await savePost(
      ctx,
      systemActor,
      {
        title: article.title,
        slug: "credits-count",
        summary: article.summary,
        body: article.body_md,
        status: "published",
        themeIds: [web.id, music.id],
      },
      article.id,
    );
    const after = await idsOf();
    assert.deepEqual([after.atom, after.rss, after.json], [before.atom, before.rss, before.json]);
    assert.equal(after.links[1], "http://127.0.0.1:4321/posts/credits-count");
    // The id was stored with the post: another host later does not change it either.
    ctx.config.baseUrl = "https://ada.example";
    await contentChanged(ctx);
    const moved = await idsOf();
    assert.equal(moved.links[1], "https://ada.example/posts/credits-count");
    assert.equal(moved.atom[1], id);
  });
});

test("a post published before ids were stored keeps its old URL as its id after a rename", async (t) => {
  const ctx = await createTestContext();
  t.after(() => ctx.cleanup());
  const { article, web } = await seedSite(ctx);
  // What migration 013 stores for such a post: the path its URL had.
  await ctx.db.kysely
    .updateTable("posts")
    .set({ feed_id: "/posts/liner-notes-matter" })
    .where("id", "=", article.id)
    .execute();
  await savePost(
    ctx,
    systemActor,
    {
      title: article.title,
      slug: "renamed",
      summary: "",
      body: article.body_md,
      status: "published",
      themeIds: [web.id],
    },
    article.id,
  );
  const rss = parseXml(await (await (await createApp(ctx)).request("/feed.rss")).text());
  const item = childrenNamed(childrenNamed(rss, "channel")[0], "item")[1];
  const guid = childrenNamed(item, "guid")[0];
  assert.equal(textOf(guid), "http://127.0.0.1:4321/posts/liner-notes-matter");
  assert.equal(guid.attrs.isPermaLink, "false");
  assert.equal(textOf(childrenNamed(item, "link")[0]), "http://127.0.0.1:4321/posts/renamed");
});

test("the id is fixed when a post first goes out, under the host it is published on", async (t) => {
  const ctx = await createTestContext();
  t.after(() => ctx.cleanup());
  const { draft, web } = await seedSite(ctx);
  assert.equal(draft.feed_id, null, "a draft has published nothing yet");
  ctx.config.baseUrl = "https://ada.example";
  const published = await savePost(
    ctx,
    systemActor,
    { title: draft.title, summary: "", body: draft.body_md, status: "published", themeIds: [web.id] },
    draft.id,
  );
  assert.equal(published.feed_id, `tag:ada.example,${draft.created_at.slice(0, 10)}:post-${draft.id}`);
});
