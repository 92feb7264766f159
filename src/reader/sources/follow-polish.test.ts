/**
 * Following polish (issue 12, item 9): the Sources field takes a bare host, a new source is
 * polled again soon (and the poll job is woken at once), and "Poll now" counts new items.
 */
import assert from "node:assert/strict";
import { afterEach, beforeEach, test } from "node:test";
import type { Hono } from "hono";
import { createApp } from "../../app.ts";
import { type Browser, signIn } from "../../auth/testing.ts";
import type { AppEnv } from "../../lib/http/env.ts";
import { FetchError } from "../../lib/net/types.ts";
import { createTestContext, type TestContext } from "../../lib/testing.ts";
import { fetchReason } from "./follow.ts";
import { FIRST_INTERVAL_MINUTES } from "./service.ts";
import { sourceStore } from "./store.ts";
import { type FeedServer, feedServer, rss } from "./testing.ts";

let ctx: TestContext;
let app: Hono<AppEnv>;
let user: Browser;
let srv: FeedServer;
const t0 = new Date("2026-03-01T12:00:00Z");
beforeEach(async () => {
  ctx = await createTestContext();
  ctx.setNow(t0);
  app = await createApp(ctx);
  user = await signIn(ctx, app, { role: "author" });
  srv = await feedServer();
});
afterEach(async () => {
  await srv.close();
  await ctx.cleanup();
});

// A quiet feed: two items a month apart, last one long ago, so its adaptive interval is 24 h.
const quiet = (ids: string[]) =>
  rss({
    title: "Quiet",
    link: "https://quiet.example/",
    items: ids.map((id, i) => ({ id, date: new Date(Date.UTC(2025, 0, 1 + 30 * i)).toISOString() })),
  });

test("the Sources field is a text field (not type=url), so a bare host can be typed", async () => {
  const page = await (await user.request("/admin/sources")).text();
  const field = /<input id="f-url"[^>]*>/.exec(page)?.[0] ?? "";
  assert.match(field, /type="text"/);
  assert.match(field, /inputmode="url"/);
});

test("a bare host with a port is followed: https is tried first, then http", async () => {
  srv.route("/", { headers: { "content-type": "application/rss+xml" }, body: quiet(["a", "b"]) });
  const host = srv.origin.replace(/^http:\/\//, "");
  const res = await user.form("/admin/sources", { url: host, folder: "", title: "" });
  assert.equal(res.status, 303, await res.clone().text());
  const [source] = await sourceStore(ctx.db).list();
  assert.equal(source.feed_url, `${srv.origin}/`);
  const bad = await user.form("/admin/sources", { url: "no-such-host.invalid", folder: "", title: "" });
  assert.equal(bad.status, 422);
  // The reason is said once, not "Could not fetch X: could not fetch X: host not found".
  assert.match(await bad.text(), /id="f-url-error">Could not fetch https:\/\/no-such-host\.invalid\/: host not found</);
});

test("a newly followed source is polled again after a short first interval, and the poll job is queued now", async () => {
  srv.route("/feed.xml", { body: quiet(["a", "b"]) });
  const res = await user.form("/admin/sources", { url: srv.url("/feed.xml"), folder: "", title: "" });
  assert.equal(res.status, 303);
  const [source] = await sourceStore(ctx.db).list();
  assert.equal(source.interval_minutes, 24 * 60, "the feed's own rhythm is kept for later polls");
  assert.equal(source.next_fetch_at, new Date(t0.getTime() + FIRST_INTERVAL_MINUTES * 60_000).toISOString());
  const jobs = await ctx.db.kysely
    .selectFrom("jobs")
    .select(["kind", "run_at"])
    .where("kind", "=", "reader.poll")
    .execute();
  assert.deepEqual(jobs, [{ kind: "reader.poll", run_at: t0.toISOString() }]);
});

test("Poll now says how many new items it found", async () => {
  srv.route("/feed.xml", { body: quiet(["a"]) });
  await user.form("/admin/sources", { url: srv.url("/feed.xml"), folder: "", title: "" });
  const [source] = await sourceStore(ctx.db).list();
  srv.route("/feed.xml", { body: quiet(["a", "b", "c"]) });
  const poll = await user.form(`/admin/sources/${source.id}/retry`, {});
  assert.equal(poll.status, 303);
  assert.match(await (await user.request(poll.headers.get("location") ?? "")).text(), /: 2 new items found\./);
  const again = await user.form(`/admin/sources/${source.id}/retry`, {});
  assert.match(await (await user.request(again.headers.get("location") ?? "")).text(), /: no new items\./);
});

test("Poll now keeps a new source's next poll short in its first day, then the feed's own interval", async () => {
  srv.route("/feed.xml", { body: quiet(["a", "b"]) });
  await user.form("/admin/sources", { url: srv.url("/feed.xml"), folder: "", title: "" });
  const [source] = await sourceStore(ctx.db).list();
  const pollAt = async (minutes: number) => {
    const at = new Date(t0.getTime() + minutes * 60_000);
    ctx.setNow(at);
    assert.equal((await user.form(`/admin/sources/${source.id}/retry`, {})).status, 303);
    const row = await sourceStore(ctx.db).byId(source.id);
    return (Date.parse(row?.next_fetch_at ?? "") - at.getTime()) / 60_000;
  };
  // Five minutes in: 15 minutes again (±5% jitter), not the quiet feed's day.
  const first = await pollAt(5);
  assert.ok(first >= 14 && first <= 16, `next poll ${first} min away`);
  // Four hours in: an hour at most.
  const later = await pollAt(4 * 60);
  assert.ok(later >= 55 && later <= 63, `next poll ${later} min away`);
  // After its first day, the feed's own rhythm (a day) applies.
  const grown = await pollAt(25 * 60);
  assert.ok(grown >= 22 * 60, `next poll ${grown} min away`);
});

test("a CDF channel can be followed, and its source page names the format", async () => {
  const cdf = await import("node:fs").then((fs) =>
    fs.readFileSync(new URL("../feed/testdata/cdf.cdf", import.meta.url)),
  );
  srv.route("/channel.cdf", { headers: { "content-type": "application/x-cdf" }, body: cdf });
  const res = await user.form("/admin/sources", { url: srv.url("/channel.cdf"), folder: "", title: "" });
  assert.equal(res.status, 303);
  assert.match(res.headers.get("location") ?? "", /msg=followed&id=\d+&n=3$/);
  const [source] = await sourceStore(ctx.db).list();
  const page = await (await user.request(`/admin/sources/${source.id}`)).text();
  assert.match(page, /\(Channel Definition Format \(CDF\)\)/);
});

test("a refused address is named once: 'Could not fetch X: refused, …'", () => {
  const url = "http://127.0.0.1:9/feed.xml";
  const err = new FetchError("blocked", url, `refused to fetch ${url}: 127.0.0.1 is a loopback address`);
  assert.equal(fetchReason(err, url), "refused, 127.0.0.1 is a loopback address");
  // A redirect's target keeps its own address.
  const target = "http://10.0.0.1/";
  const moved = new FetchError("blocked", target, `refused to fetch ${target}: 10.0.0.1 is a private address`);
  assert.equal(fetchReason(moved, url), `refused to fetch ${target}: 10.0.0.1 is a private address`);
});
