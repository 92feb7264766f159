import assert from "node:assert/strict";
import { after, before, beforeEach, test } from "node:test";
import type { Hono } from "hono";
import { createApp } from "../app.ts";
import { signIn } from "../auth/testing.ts";
import { publishedPost } from "../content/testing.ts";
import type { AppEnv } from "../lib/http/env.ts";
import { createTestContext, type TestContext } from "../lib/testing.ts";
import { VIEWS_PER_VISITOR_DAY } from "./counter.ts";
import { counterOf } from "./sink.ts";
import { insightStore } from "./store.ts";

// Views counted as the site serves its pages (the router's way and the cached fast path), through
// `app.request()`: what is counted, what is kept, and what never is.
let ctx: TestContext;
let app: Hono<AppEnv>;
const FIREFOX = "Mozilla/5.0 (X11; Linux x86_64; rv:133.0) Gecko/20100101 Firefox/133.0";
const IPHONE =
  "Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.0 Mobile/15E148 Safari/604.1";

before(async () => {
  ctx = await createTestContext({ trustProxy: { hops: 1 } });
  ctx.setNow(new Date());
  app = await createApp(ctx);
  await publishedPost(ctx, "pricing", "Pricing");
});
after(() => ctx?.cleanup());
beforeEach(async () => {
  await counterOf(ctx).flush();
  await ctx.db.kysely.deleteFrom("insight_views").execute();
});

const visit = (path: string, headers: Record<string, string> = {}, ip = "203.0.113.7") =>
  app.request(path, { headers: { "user-agent": FIREFOX, "x-forwarded-for": ip, ...headers } });
const views = async () => {
  await counterOf(ctx).flush();
  return ctx.db.kysely.selectFrom("insight_views").selectAll().orderBy("id").execute();
};

test("a reader's pages are counted (first render and cached), with source, markers and device; no address or User-Agent kept", async () => {
  assert.equal((await visit("/posts/pricing", { referer: "https://mastodon.social/@bob/1" })).status, 200);
  assert.equal((await visit("/posts/pricing?ref=email&utm_campaign=Dec")).status, 200, "cached now");
  assert.equal(
    (await visit("/", { "user-agent": IPHONE, referer: "https://www.google.com/" }, "198.51.100.9")).status,
    200,
  );
  const rows = await views();
  assert.deepEqual(
    rows.map((r) => [r.path, r.source, r.referrer_host, r.ref, r.utm_campaign, r.device]),
    [
      ["/posts/pricing", "mastodon", "mastodon.social", null, "", "desktop"],
      ["/posts/pricing", "newsletter", "", "email", "dec", "desktop"],
      ["/", "search", "google.com", null, "", "mobile"],
    ],
  );
  assert.equal(rows[0].visitor, rows[1].visitor, "one visitor: same address and browser, same day");
  assert.notEqual(rows[0].visitor, rows[2].visitor);
  const stored = JSON.stringify(rows);
  for (const secret of ["203.0.113.7", "198.51.100.9", "Firefox", "iPhone"])
    assert.ok(!stored.includes(secret), secret);
});

test("pages outside the page cache count too (the events page); the site's own links are no referral", async () => {
  assert.equal((await visit("/events", { referer: "http://127.0.0.1:4321/posts/pricing" })).status, 200);
  assert.equal(
    (await visit("/posts/pricing", { referer: "https://mastodon.social/@x/1" }, "198.51.100.3")).status,
    200,
  );
  assert.equal(
    (await app.request("/posts/pricing", { method: "HEAD", headers: { "user-agent": FIREFOX } })).status,
    200,
  );
  const rows = await views();
  assert.deepEqual(
    rows.map((r) => [r.path, r.source, r.referrer_host]),
    [
      ["/events", "internal", ""],
      ["/posts/pricing", "mastodon", "mastodon.social"],
    ],
    "HEAD is not a view",
  );
});

test("not counted: bots, headless browsers, prefetches, DNT and GPC, signed-in people, feeds, missing pages", async () => {
  await visit("/posts/pricing", {
    "user-agent": "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)",
  });
  await visit("/posts/pricing", {
    "user-agent":
      "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) HeadlessChrome/131.0.0.0 Safari/537.36",
  });
  await visit("/posts/pricing", { "sec-purpose": "prefetch" });
  await visit("/posts/pricing", { dnt: "1" });
  await visit("/posts/pricing", { "sec-gpc": "1" });
  await visit("/posts/pricing", { "user-agent": "" });
  await visit("/feed.xml");
  assert.equal((await visit("/posts/no-such-post")).status, 404);
  const owner = await signIn(ctx, app);
  assert.equal((await owner.request("/posts/pricing", { headers: { "user-agent": FIREFOX } })).status, 200);
  assert.deepEqual(await views(), []);
});

test("one visitor adds at most the daily limit; a new day has a new salt and yesterday's is deleted", async () => {
  for (let i = 0; i < VIEWS_PER_VISITOR_DAY + 5; i++) await visit("/posts/pricing", {}, "192.0.2.1");
  assert.equal((await views()).length, VIEWS_PER_VISITOR_DAY);
  const day = new Date().toISOString().slice(0, 10);
  const salts = await ctx.db.kysely.selectFrom("insight_salts").select("day").execute();
  assert.deepEqual(salts, [{ day }]);
  // Tomorrow (the counter's clock is the request's): the same reader is someone new.
  const counter = counterOf(ctx);
  const tomorrow = Date.now() + 24 * 3600_000;
  counter.note({ path: "/", search: "", peer: "192.0.2.1", ua: FIREFOX, at: tomorrow });
  const rows = await views();
  assert.notEqual(rows.at(-1)?.visitor, rows[0].visitor);
  const left = await ctx.db.kysely.selectFrom("insight_salts").select("day").execute();
  assert.deepEqual(left, [{ day: new Date(tomorrow).toISOString().slice(0, 10) }], "yesterday's salt is gone");
});

test("turned off, nothing is noted at all", async () => {
  await insightStore(ctx.db).setSetting("counting", "0");
  const { pageViewSink } = await import("./sink.ts");
  const sink = await pageViewSink(ctx);
  sink({ path: "/", search: "", peer: "192.0.2.9", ua: FIREFOX, at: Date.now() });
  assert.deepEqual(await views(), []);
  await insightStore(ctx.db).setSetting("counting", "1");
});
