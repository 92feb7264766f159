import assert from "node:assert/strict";
import { afterEach, beforeEach, test } from "node:test";
import { createTestContext, type TestContext } from "../../lib/testing.ts";
import { discoverSites, indexCitations } from "./service.ts";
import { addItem, addSource, linking } from "./testing.ts";
import { siteUrlOfKey } from "./urls.ts";

let ctx: TestContext;
const NOW = new Date("2025-06-01T00:00:00Z");
const daysAgo = (n: number) => new Date(NOW.getTime() - n * 86_400_000).toISOString();
beforeEach(async () => {
  ctx = await createTestContext();
  ctx.setNow(NOW);
});
afterEach(async () => ctx.cleanup());

test("discover: breadth beats volume — 3 distinct sources outrank 10 citations by one", async () => {
  const [a, b, c] = [
    await addSource(ctx, "https://a.example/", "Ann"),
    await addSource(ctx, "https://b.example/", "Ben"),
    await addSource(ctx, "https://c.example/", "Cat"),
  ];
  for (let i = 0; i < 10; i++) await addItem(ctx, a, { ...linking(`https://loud.net/${i}`), publishedAt: daysAgo(i) });
  await addItem(ctx, a, { title: "Ann on quiet", ...linking("https://quiet.org/x"), publishedAt: daysAgo(3) });
  await addItem(ctx, b, { title: "Ben on quiet", ...linking("https://www.quiet.org/y"), publishedAt: daysAgo(2) });
  await addItem(ctx, c, {
    title: "Cat credits quiet",
    contentHtml: `<p>Found via <a href="https://quiet.org/z">Q</a></p>`,
    publishedAt: daysAgo(1),
  });
  await indexCitations(ctx);

  const { sites } = await discoverSites(ctx);
  assert.deepEqual(
    sites.map((s) => [s.host, s.sources, s.citations]),
    [
      ["quiet.org", 3, 3],
      ["loud.net", 1, 10],
    ],
  );
  const quiet = sites[0];
  assert.equal(quiet.siteUrl, "https://quiet.org/");
  assert.deepEqual(
    quiet.items.map((i) => [i.title, i.sourceTitle, i.via]),
    [
      ["Cat credits quiet", "Cat", true],
      ["Ben on quiet", "Ben", false],
      ["Ann on quiet", "Ann", false],
    ],
  );
  assert.equal(quiet.lastCitedAt, daysAgo(1));
});

test("discover: followed hosts and our own site are left out", async () => {
  const a = await addSource(ctx, "https://a.example/");
  await addSource(ctx, "https://www.followed.net/");
  await addItem(ctx, a, linking("https://followed.net/post", "https://new.net/", `${ctx.config.baseUrl}/posts/mine`));
  await indexCitations(ctx);
  assert.deepEqual(
    (await discoverSites(ctx)).sites.map((s) => s.host),
    ["new.net"],
  );
});

test("discover: only the last 90 days count", async () => {
  const a = await addSource(ctx, "https://a.example/");
  await addItem(ctx, a, { ...linking("https://old.net/"), publishedAt: daysAgo(91) });
  await addItem(ctx, a, { ...linking("https://recent.net/"), publishedAt: daysAgo(80) });
  // No published date: the fetch time counts.
  await addItem(ctx, a, { ...linking("https://fetched.net/"), publishedAt: null, fetchedAt: daysAgo(5) });
  await indexCitations(ctx);
  assert.deepEqual((await discoverSites(ctx)).sites.map((s) => s.host).sort(), ["fetched.net", "recent.net"]);
  // Twelve days later the 80-day-old citation has aged out too.
  ctx.setNow(new Date(NOW.getTime() + 12 * 86_400_000));
  assert.deepEqual(
    (await discoverSites(ctx)).sites.map((s) => s.host),
    ["fetched.net"],
  );
});

test("discover: at most `limit` sites and `perHost` items each", async () => {
  const a = await addSource(ctx, "https://a.example/");
  for (let i = 0; i < 6; i++) await addItem(ctx, a, linking(`https://h${i}.net/`, "https://many.net/"));
  await indexCitations(ctx);
  const { sites } = await discoverSites(ctx, { limit: 3, perHost: 2 });
  assert.equal(sites.length, 3);
  assert.equal(sites[0].host, "many.net");
  assert.equal(sites[0].items.length, 2);
});

test("discover: people on a shared host are ranked apart, and following one hides only them", async () => {
  const a = await addSource(ctx, "https://a.example/", "Ann");
  const b = await addSource(ctx, "https://b.example/", "Ben");
  for (const src of [a, b]) {
    await addItem(ctx, src, linking("https://mastodon.social/@alice/1", "https://twitter.com/Bob/status/2"));
  }
  await addItem(ctx, a, linking("https://mastodon.social/@carol/3", "https://mastodon.social/tags/rust"));
  await indexCitations(ctx);
  const ranked = async () => (await discoverSites(ctx)).sites.map((s) => [s.host, s.sources, s.siteUrl]);
  assert.deepEqual(await ranked(), [
    ["mastodon.social/@alice", 2, "https://mastodon.social/@alice"],
    ["twitter.com/bob", 2, "https://twitter.com/bob"],
    ["mastodon.social", 1, "https://mastodon.social/"],
    ["mastodon.social/@carol", 1, "https://mastodon.social/@carol"],
  ]);
  // Following Alice (her profile is the feed's site) leaves Carol and the others in place.
  const alice = await addSource(ctx, "https://mastodon.social/@alice", "Alice");
  assert.deepEqual(
    (await ranked()).map((r) => r[0]),
    ["twitter.com/bob", "mastodon.social", "mastodon.social/@carol"],
  );
  // Alice's own posts link to her other posts and to her instance's hashtags: not citations.
  await addItem(ctx, alice, linking("https://mastodon.social/@alice/9", "https://mastodon.social/tags/x"));
  await indexCitations(ctx);
  assert.equal((await discoverSites(ctx)).sites.find((s) => s.host === "mastodon.social")?.sources, 1);
});

test("siteUrlOfKey keeps the scheme and port, and a profile's path", () => {
  assert.equal(siteUrlOfKey("127.0.0.1", "http://127.0.0.1:8080/a/b?c"), "http://127.0.0.1:8080/");
  assert.equal(
    siteUrlOfKey("bsky.app/profile/x.bsky.social", "https://bsky.app/profile/X.bsky.social/post/1"),
    "https://bsky.app/profile/x.bsky.social",
  );
});
