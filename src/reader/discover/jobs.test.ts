import assert from "node:assert/strict";
import { afterEach, beforeEach, test } from "node:test";
import { serve } from "../../lib/net/test-server.ts";
import { createTestContext, type TestContext } from "../../lib/testing.ts";
import { followSource } from "../sources/service.ts";
import { INDEX_CITATIONS_JOB, registerDiscoverJobs } from "./jobs.ts";
import { indexCitations } from "./service.ts";
import { readCursor } from "./store.ts";
import { addItem, addSource, itemDefaults, linking } from "./testing.ts";

let ctx: TestContext;
beforeEach(async () => {
  ctx = await createTestContext();
  ctx.setNow(new Date("2025-03-01T12:00:00Z"));
});
afterEach(async () => ctx.cleanup());

const citations = () =>
  ctx.db.kysely.selectFrom("citations").selectAll().orderBy("item_id").orderBy("target_url").execute();

/** Citation rows that appear more than once (same item, same URL). */
async function duplicates(): Promise<number> {
  const rows = await citations();
  return rows.length - new Set(rows.map((r) => `${r.item_id} ${r.target_url}`)).size;
}

test("index-citations job: indexes new items once, advances the cursor, dates citations", async () => {
  registerDiscoverJobs(ctx);
  const src = await addSource(ctx, "https://alice.example/");
  const a = await addItem(ctx, src, { ...linking("https://x.net/1", "https://alice.example/self"), publishedAt: null });
  const b = await addItem(ctx, src, {
    ...linking("https://y.net/1", "https://x.net/2"),
    publishedAt: "2025-02-20T08:00:00.000Z",
  });
  await ctx.jobs.enqueue(INDEX_CITATIONS_JOB, {}, { uniqueKey: INDEX_CITATIONS_JOB.name });
  assert.equal(await ctx.runner.drain(), 1);
  const first = await citations();
  assert.deepEqual(
    first.map((c) => [c.item_id, c.target_url, c.target_host, c.kind, c.cited_at]),
    [
      [a, "https://x.net/1", "x.net", "link", "2025-03-01T12:00:00.000Z"],
      [b, "https://x.net/2", "x.net", "link", "2025-02-20T08:00:00.000Z"],
      [b, "https://y.net/1", "y.net", "link", "2025-02-20T08:00:00.000Z"],
    ],
  );
  assert.equal(await readCursor(ctx.db), b);

  // Running again finds nothing new and adds nothing.
  await ctx.jobs.enqueue(INDEX_CITATIONS_JOB, {}, { uniqueKey: INDEX_CITATIONS_JOB.name });
  await ctx.runner.drain();
  assert.deepEqual(await citations(), first);

  // Only the newer item is read next time.
  const c = await addItem(ctx, src, linking("https://z.net/"));
  const r = await indexCitations(ctx);
  assert.deepEqual(r, { items: 1, citations: 1, more: false });
  assert.equal((await citations()).length, 4);
  assert.equal(await readCursor(ctx.db), c);
  const stored = await ctx.db.kysely.selectFrom("reader_state").select(["id", "citations_cursor"]).execute();
  assert.deepEqual(stored, [{ id: 1, citations_cursor: c }]);
});

test("index-citations job: re-enqueues itself in batches until every item is indexed", async () => {
  registerDiscoverJobs(ctx, { batchSize: 2, maxBatches: 1 });
  const src = await addSource(ctx, "https://bob.example/");
  for (let i = 0; i < 7; i++) await addItem(ctx, src, linking(`https://t${i}.net/`));
  await ctx.jobs.enqueue(INDEX_CITATIONS_JOB, {}, { uniqueKey: INDEX_CITATIONS_JOB.name });
  const ran = await ctx.runner.drain();
  assert.equal(ran, 4, "7 items in batches of 2, one batch per run");
  assert.equal((await citations()).length, 7);
  assert.equal(await duplicates(), 0);
  const jobs = await ctx.db.kysely.selectFrom("jobs").select(["status"]).execute();
  assert.ok(jobs.every((j) => j.status === "done"));
});

test("index-citations: two runs in parallel index every item exactly once", async () => {
  const sources = [await addSource(ctx, "https://c1.example/"), await addSource(ctx, "https://c2.example/")];
  for (let i = 0; i < 60; i++) {
    await addItem(ctx, sources[i % 2], linking(`https://p${i % 7}.net/${i}`, `https://q${i % 3}.net/${i}`));
  }
  const [r1, r2, r3] = await Promise.all([
    indexCitations(ctx, { batchSize: 5 }),
    indexCitations(ctx, { batchSize: 5 }),
    indexCitations(ctx, { batchSize: 7 }),
  ]);
  assert.equal(r1.items + r2.items + r3.items, 60);
  assert.equal((await citations()).length, 120);
  assert.equal(await duplicates(), 0);
});

test("index-citations: a reset cursor re-indexes without duplicating", async () => {
  const src = await addSource(ctx, "https://d.example/");
  await addItem(ctx, src, linking("https://x.net/a", "https://y.net/b"));
  await indexCitations(ctx);
  await ctx.db.kysely.updateTable("reader_state").set({ citations_cursor: 0 }).where("id", "=", 1).execute();
  await indexCitations(ctx);
  assert.equal((await citations()).length, 2);
});

test("index-citations (PostgreSQL): an item committed late below the cursor is not skipped", async (t) => {
  if (ctx.db.dialect !== "postgres") return t.skip("only PostgreSQL commits ids out of order");
  const src = await addSource(ctx, "https://e.example/");
  let release!: () => void;
  const held = new Promise<void>((r) => {
    release = r;
  });
  let inserted!: () => void;
  const insertedP = new Promise<void>((r) => {
    inserted = r;
  });
  // A poll's transaction takes an id and commits only later...
  const slow = ctx.db.kysely.transaction().execute(async (trx) => {
    await trx
      .insertInto("items")
      .values({
        ...itemDefaults,
        source_id: src,
        dedupe_key: "slow",
        url: null,
        title: "slow",
        summary_html: "",
        content_html: `<a href="https://slow.net/">s</a>`,
        text: "slow",
        via_url: null,
        published_at: null,
        fetched_at: ctx.now().toISOString(),
      })
      .execute();
    inserted();
    await held;
  });
  await insertedP;
  // ...while a later item (higher id) is already committed.
  await addItem(ctx, src, linking("https://fast.net/"));
  const indexing = indexCitations(ctx);
  setTimeout(release, 150);
  await Promise.all([slow, indexing]);
  await indexCitations(ctx);
  assert.deepEqual((await citations()).map((c) => c.target_host).sort(), ["fast.net", "slow.net"]);
});

test("index-citations: items stored by following a real feed are indexed by the job that following enqueues", async () => {
  let origin = "";
  const server = await serve((_req, res) => {
    res.setHeader("content-type", "application/rss+xml");
    res.end(`<?xml version="1.0"?><rss version="2.0"><channel><title>Linker</title><link>${origin}/</link>
      <item><title>Links</title><link>${origin}/links</link><guid>${origin}/links</guid>
      <description>&lt;p&gt;See &lt;a href="https://cited.example/x?utm_source=rss"&gt;this&lt;/a&gt;,
      h/t &lt;a href="https://friend.example/"&gt;Friend&lt;/a&gt;, and &lt;a href="/about"&gt;me&lt;/a&gt;.&lt;/p&gt;</description>
      </item></channel></rss>`);
  }, "127.0.0.2");
  origin = server.origin;
  try {
    registerDiscoverJobs(ctx);
    await followSource(ctx, `${origin}/feed.xml`);
    await ctx.runner.drain();
    assert.deepEqual(
      (await citations()).map((c) => [c.target_url, c.kind]),
      [
        ["https://cited.example/x", "link"],
        ["https://friend.example/", "via"],
      ],
    );
  } finally {
    await server.close();
  }
});
