import assert from "node:assert/strict";
import { afterEach, beforeEach, test } from "node:test";
import { sql } from "kysely";
import { type AppContext, closeContext, createContext } from "../../lib/context.ts";
import { createTestContext, type TestContext } from "../../lib/testing.ts";
import { registerPollJobs } from "./jobs.ts";
import { pollDue, pollNow } from "./poll.ts";
import { sourceStore } from "./store.ts";
import { type FeedServer, feedServer, rss, type TestItem } from "./testing.ts";

let ctx: TestContext;
let srv: FeedServer;
const t0 = new Date("2026-03-01T12:00:00Z");
beforeEach(async () => {
  ctx = await createTestContext();
  ctx.setNow(t0);
  srv = await feedServer();
});
afterEach(async () => {
  await srv.close();
  await ctx.cleanup();
});

const items = (...ids: string[]): TestItem[] =>
  ids.map((id, i) => ({ id, date: new Date(t0.getTime() - (i + 1) * 3_600_000).toISOString() }));

async function addSource(path: string, c: AppContext = ctx): Promise<number> {
  const now = c.now().toISOString();
  const row = await sourceStore(c.db).insert({ feed_url: srv.url(path), next_fetch_at: now, created_at: now });
  assert.ok(row);
  return row.id;
}

const source = async (id: number) => {
  const s = await sourceStore(ctx.db).byId(id);
  assert.ok(s);
  return s;
};
const itemKeys = async (id: number) =>
  (
    await ctx.db.kysely
      .selectFrom("items")
      .select("dedupe_key")
      .where("source_id", "=", id)
      .orderBy("dedupe_key")
      .execute()
  ).map((r) => r.dedupe_key);
/** Move the clock to when the source is due. */
const advanceTo = async (id: number) => ctx.setNow(new Date((await source(id)).next_fetch_at));

test("200 with an ETag stores items, then a conditional GET gets a 304", async () => {
  srv.route("/feed.xml", {
    etag: '"v1"',
    body: rss({ title: "Alice's notes", link: "https://alice.example/", items: items("a", "b", "c") }),
  });
  const id = await addSource("/feed.xml");
  const first = await pollDue(ctx);
  assert.deepEqual([first.fetched, first.newItems, first.errors], [1, 3, 0]);
  const s = await source(id);
  assert.equal(s.title, "Alice's notes");
  assert.equal(s.site_url, "https://alice.example/");
  assert.equal(s.site_host, "alice.example");
  assert.equal(s.format, "rss");
  assert.equal(s.etag, '"v1"');
  assert.equal(s.lease_until, null);
  assert.ok(s.next_fetch_at > t0.toISOString());
  const stored = await ctx.db.kysely
    .selectFrom("items")
    .selectAll()
    .where("source_id", "=", id)
    .orderBy("published_at", "desc")
    .execute();
  assert.equal(stored.length, 3);
  assert.equal(stored[0].dedupe_key, "a");
  assert.match(stored[0].text, /Item a/);
  assert.match(stored[0].text, /About a/);
  assert.equal(stored[0].published_at, new Date(t0.getTime() - 3_600_000).toISOString());

  // Not due yet: nothing is fetched.
  assert.equal((await pollDue(ctx)).polled, 0);
  await advanceTo(id);
  const second = await pollDue(ctx);
  assert.deepEqual([second.fetched, second.notModified, second.newItems], [0, 1, 0]);
  assert.equal(srv.hits("/feed.xml")[1].headers["if-none-match"], '"v1"');
  assert.ok((await source(id)).next_fetch_at > ctx.now().toISOString(), "a 304 reschedules");
  assert.equal((await itemKeys(id)).length, 3);
});

test("Last-Modified is sent back as If-Modified-Since", async () => {
  const lm = "Sat, 28 Feb 2026 10:00:00 GMT";
  srv.route("/lm.xml", { lastModified: lm, body: rss({ items: items("x") }) });
  const id = await addSource("/lm.xml");
  await pollDue(ctx);
  assert.equal((await source(id)).last_modified, lm);
  await advanceTo(id);
  assert.equal((await pollDue(ctx)).notModified, 1);
  assert.equal(srv.hits("/lm.xml")[1].headers["if-modified-since"], lm);
});

test("items already stored are not inserted again, whatever the feed repeats", async () => {
  srv.route("/dup.xml", { body: rss({ items: [...items("a", "b"), { id: "a", title: "Same GUID twice" }] }) });
  const id = await addSource("/dup.xml");
  assert.equal((await pollDue(ctx)).newItems, 2);
  srv.route("/dup.xml", { body: rss({ items: items("c", "a", "b") }) });
  await advanceTo(id);
  const again = await pollDue(ctx);
  assert.deepEqual([again.fetched, again.newItems], [1, 1]);
  assert.deepEqual(await itemKeys(id), ["a", "b", "c"]);
});

test("429 with Retry-After: the next poll waits as long as the server asks", async () => {
  srv.route("/busy.xml", { status: 429, headers: { "retry-after": String(2 * 86_400) }, body: "slow down" });
  const id = await addSource("/busy.xml");
  const r = await pollDue(ctx);
  assert.equal(r.errors, 1);
  const s = await source(id);
  assert.equal(s.error_count, 1);
  assert.match(s.last_error ?? "", /429/);
  assert.equal(s.next_fetch_at, new Date(t0.getTime() + 2 * 86_400_000).toISOString());
});

test("500s back off more each time, polling never stops, and a success clears the error", async () => {
  srv.route("/broken.xml", { status: 500, body: "oops" });
  const id = await addSource("/broken.xml");
  const delays: number[] = [];
  for (let i = 0; i < 12; i++) {
    const before = ctx.now().getTime();
    assert.equal((await pollDue(ctx)).errors, 1, `poll ${i + 1} happened`);
    const s = await source(id);
    assert.equal(s.error_count, i + 1);
    assert.equal(s.last_error, "The server answered HTTP 500 Internal Server Error");
    delays.push(Date.parse(s.next_fetch_at) - before);
    await advanceTo(id);
  }
  for (let i = 1; i < 5; i++) assert.ok(delays[i] > delays[i - 1], `backoff grows: ${delays.join(", ")}`);
  assert.ok(Math.max(...delays) <= 86_400_000, "capped at a day");
  assert.equal(srv.hits("/broken.xml").length, 12);

  srv.route("/broken.xml", { body: rss({ items: items("ok") }) });
  assert.equal((await pollDue(ctx)).fetched, 1);
  const s = await source(id);
  assert.deepEqual([s.error_count, s.last_error, s.last_error_at], [0, null, null]);
});

test("slow, oversize, invalid and missing feeds fail on their own; the good one is stored", async () => {
  srv.route("/slow.xml", (_req, res) => {
    res.writeHead(200, { "content-type": "application/rss+xml" });
    res.write("<?xml version='1.0'?><rss><channel>");
    // Never finishes within the timeout.
    const t = setInterval(() => res.write(" "), 50);
    res.on("close", () => clearInterval(t));
  });
  srv.route("/huge.xml", { body: Buffer.alloc(200_000, "x") });
  srv.route("/invalid.xml", { body: "<rss><channel><title>Oops</title><item><title>unclosed</channel>" });
  srv.route("/page.html", {
    headers: { "content-type": "text/html" },
    body: "<!doctype html><title>Hi</title><p>Not a feed",
  });
  srv.route("/good.xml", { body: rss({ items: items("g1", "g2") }) });
  const ids = {
    slow: await addSource("/slow.xml"),
    huge: await addSource("/huge.xml"),
    invalid: await addSource("/invalid.xml"),
    page: await addSource("/page.html"),
    gone: await addSource("/gone.xml"),
    good: await addSource("/good.xml"),
  };
  const started = performance.now();
  const r = await pollDue(ctx, { timeoutMs: 500, maxBytes: 100_000 });
  assert.ok(performance.now() - started < 5000, "the slow feed did not hold the pass up");
  assert.deepEqual([r.polled, r.fetched, r.errors, r.newItems], [6, 1, 5, 2]);
  assert.match((await source(ids.slow)).last_error ?? "", /Timed out after/);
  assert.match((await source(ids.huge)).last_error ?? "", /larger than/);
  assert.ok((await source(ids.invalid)).last_error);
  assert.ok((await source(ids.page)).last_error);
  assert.match((await source(ids.gone)).last_error ?? "", /404/);
  assert.equal((await source(ids.good)).error_count, 0);
  assert.deepEqual(await itemKeys(ids.good), ["g1", "g2"]);
  for (const id of Object.values(ids)) assert.equal((await source(id)).lease_until, null);
});

test("two pollers on one database never fetch the same source twice in a pass", async () => {
  let inFlight = 0;
  for (let i = 0; i < 40; i++) {
    srv.route(`/f${i}.xml`, (_req, res) => {
      inFlight++;
      setTimeout(() => {
        inFlight--;
        res.writeHead(200, { "content-type": "application/rss+xml" }).end(rss({ items: items(`i${i}`) }));
      }, 20);
    });
    await addSource(`/f${i}.xml`);
  }
  const other = await secondContext(ctx);
  try {
    const [a, b] = await Promise.all([pollDue(ctx, { concurrency: 4 }), pollDue(other, { concurrency: 4 })]);
    assert.equal(a.polled + b.polled, 40);
    assert.ok(a.polled > 0 && b.polled > 0, `both took part (${a.polled} + ${b.polled})`);
    for (let i = 0; i < 40; i++) assert.equal(srv.hits(`/f${i}.xml`).length, 1, `/f${i}.xml fetched once`);
    const n = await ctx.db.kysely
      .selectFrom("items")
      .select((e) => e.fn.countAll<number>().as("n"))
      .executeTakeFirstOrThrow();
    assert.equal(Number(n.n), 40);
    assert.equal(inFlight, 0);
  } finally {
    await closeContext(other);
  }
});

/** Another context (another "process") on the same database as `c`. */
async function secondContext(c: TestContext): Promise<AppContext> {
  if (c.db.dialect === "postgres") {
    const r = await sql<{ s: string }>`select current_schema() as s`.execute(c.db.kysely);
    return createContext(c.config, { now: c.now, pgSchema: r.rows[0].s });
  }
  const r = await sql<{ file: string }>`select file from pragma_database_list where name = 'main'`.execute(c.db.kysely);
  return createContext(c.config, { now: c.now, sqlitePath: r.rows[0].file });
}

test("the reader.poll job polls due sources and keeps one successor queued", async () => {
  srv.route("/j.xml", { body: rss({ items: items("j1") }) });
  const id = await addSource("/j.xml");
  await registerPollJobs(ctx);
  await ctx.runner.drain();
  assert.deepEqual(await itemKeys(id), ["j1"]);
  const pending = () =>
    ctx.db.kysely
      .selectFrom("jobs")
      .selectAll()
      .where("kind", "=", "reader.poll")
      .where("status", "=", "queued")
      .execute();
  let queued = await pending();
  assert.equal(queued.length, 1);
  assert.equal(queued[0].unique_key, "reader.poll");
  assert.equal(queued[0].run_at, new Date(t0.getTime() + 60_000).toISOString());

  // A minute later the successor runs (nothing is due, so nothing is fetched) and queues the next.
  ctx.setNow(new Date(t0.getTime() + 61_000));
  assert.ok((await ctx.runner.drain()) >= 1);
  assert.equal(srv.hits("/j.xml").length, 1);
  queued = await pending();
  assert.equal(queued.length, 1);
  assert.equal(queued[0].run_at, new Date(t0.getTime() + 121_000).toISOString());

  // New items enqueue the citation indexer (whose handler lives elsewhere; here it just waits).
  const citations = await ctx.db.kysely
    .selectFrom("jobs")
    .select("status")
    .where("kind", "=", "reader.index-citations")
    .execute();
  assert.deepEqual(citations, [{ status: "queued" }]);
});

test("retry now polls a failing source at once, whatever its schedule", async () => {
  srv.route("/r.xml", { status: 503, body: "down" });
  const id = await addSource("/r.xml");
  await pollDue(ctx);
  assert.equal((await source(id)).error_count, 1);
  srv.route("/r.xml", { body: rss({ items: items("r1") }) });
  const outcome = await pollNow(ctx, id);
  assert.deepEqual(outcome, { kind: "fetched", newItems: 1 });
  assert.equal((await source(id)).error_count, 0);
});

test("a pass stopped early hands back the sources it claimed but did not poll", async () => {
  for (let i = 0; i < 10; i++) {
    srv.route(`/s${i}.xml`, { body: rss({ items: items(`s${i}`) }) });
    await addSource(`/s${i}.xml`);
  }
  const stop = new AbortController();
  const r = await pollDue(ctx, {
    concurrency: 1,
    signal: stop.signal,
    onProgress: (n) => {
      if (n === 3) stop.abort();
    },
  });
  assert.equal(r.polled, 3);
  assert.equal(r.more, true);
  const leased = await ctx.db.kysely.selectFrom("sources").select("id").where("lease_until", "is not", null).execute();
  assert.deepEqual(leased, []);
  assert.equal((await pollDue(ctx)).polled, 7);
});
