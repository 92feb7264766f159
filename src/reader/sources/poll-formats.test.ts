/**
 * The robust-parsing fixtures (feed/testdata) served by a loopback HTTP server and polled: what
 * the parser reads ends up in the database (Atom 0.3 modes, CDF, double-encoded descriptions,
 * nested xml:base, empty elements, a billion-laughs DTD).
 */
import assert from "node:assert/strict";
import fs from "node:fs";
import { afterEach, beforeEach, test } from "node:test";
import { fileURLToPath } from "node:url";
import { createTestContext, type TestContext } from "../../lib/testing.ts";
import { pollDue } from "./poll.ts";
import { sourceStore } from "./store.ts";
import { type FeedServer, feedServer } from "./testing.ts";

let ctx: TestContext;
let srv: FeedServer;
beforeEach(async () => {
  ctx = await createTestContext();
  ctx.setNow(new Date("2026-03-01T12:00:00Z"));
  srv = await feedServer();
});
afterEach(async () => {
  await srv.close();
  await ctx.cleanup();
});

const fixture = (name: string) => fs.readFileSync(fileURLToPath(new URL(`../feed/testdata/${name}`, import.meta.url)));

/** Serve a fixture, follow it as a due source, poll, and return the source and its stored items. */
async function pollFixture(name: string, type = "application/xml") {
  srv.route(`/${name}`, { headers: { "content-type": type }, body: fixture(name) });
  const now = ctx.now().toISOString();
  const row = await sourceStore(ctx.db).insert({ feed_url: srv.url(`/${name}`), next_fetch_at: now, created_at: now });
  assert.ok(row);
  const summary = await pollDue(ctx);
  assert.equal(summary.errors, 0, `polling ${name} failed`);
  const source = await sourceStore(ctx.db).byId(row.id);
  assert.ok(source);
  assert.equal(source.last_error, null);
  const items = await ctx.db.kysely
    .selectFrom("items")
    .select(["title", "url", "summary_html", "content_html", "published_at"])
    .where("source_id", "=", row.id)
    .orderBy("id")
    .execute();
  return { source, items };
}

test("an Atom 0.3 feed with escaped, base64 and xml content is polled and stored", async () => {
  const { source, items } = await pollFixture("atom03-modes.xml", "application/atom+xml");
  assert.equal(source.format, "atom");
  assert.equal(source.title, "Old Movable Type");
  assert.deepEqual(
    items.map((i) => i.title),
    ["Escaped", "Base64", "Inline XML"],
  );
  // Relative links resolve against the document's URL (the feed has no xml:base).
  assert.ok(items[1].content_html.includes(`Decoded from <a href="${srv.origin}/b64"`), items[1].content_html);
  assert.equal(items[2].published_at, "2004-06-03T08:00:00.000Z");
});

test("a CDF channel is polled and its items stored", async () => {
  const { source, items } = await pollFixture("cdf.cdf");
  assert.equal(source.format, "cdf");
  assert.equal(source.title, "Active Desktop News");
  assert.deepEqual(
    items.map((i) => i.url),
    ["https://cdf.example/news/first.html", "https://cdf.example/sports/match.html", "https://other.example/page.html"],
  );
});

test("double-encoded descriptions, nested xml:base, entities and empty elements survive a poll", async () => {
  const double = await pollFixture("double-encoded.xml");
  assert.ok(double.items[0].summary_html.startsWith(`<p>Hello <a href="${srv.origin}/world"`));
  const nested = await pollFixture("xml-base-nested.xml", "application/atom+xml");
  assert.match(nested.items[0].content_html, /href="https:\/\/nest\.example\/a\/b\/c\/d\/e\.html"/);
  const entities = await pollFixture("html-entities.xml");
  assert.equal(entities.items[0].title, "It’s, it’s, it’s here");
  const empty = await pollFixture("empty-elements.xml");
  assert.deepEqual(
    empty.items.map((i) => [i.title, i.summary_html]),
    [
      ["", ""],
      ["Absent description", ""],
    ],
  );
});

test("a billion-laughs feed is polled quickly and stored small", async () => {
  const started = performance.now();
  const { items } = await pollFixture("billion-laughs.xml");
  assert.ok(performance.now() - started < 2000);
  assert.equal(items.length, 1);
  assert.ok(items[0].title.length < 100);
});
