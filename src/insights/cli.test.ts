import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { type CliEnv, cliEnv, runCli } from "../cli/testing.ts";
import { publishedPost } from "../content/testing.ts";
import { closeContext } from "../lib/context.ts";
import { DEFAULT_RETENTION_DAYS, rollUp } from "./rollup.ts";
import { insightStore } from "./store.ts";
import { viewRow } from "./testing.ts";

// `liner stats` and `liner outcomes` on a site with views over several days (rolled up by the
// daily job, today's on the fly) and outcomes; the retention; bad input.
let e: CliEnv;
const today = new Date().toISOString().slice(0, 10);
const daysAgo = (n: number) => new Date(Date.now() - n * 86_400_000).toISOString().slice(0, 10);

const view = viewRow;

before(async () => {
  e = await cliEnv();
  const ctx = await e.open();
  try {
    const post = await publishedPost(ctx, "pricing", "Pricing");
    const store = insightStore(ctx.db);
    await store.addViews([
      view(daysAgo(2), "v1", "/", "mastodon", 1),
      view(daysAgo(2), "v1", "/posts/pricing", "internal", 2), // a click from the home page
      view(daysAgo(2), "v2", "/posts/pricing", "search", 3),
      view(daysAgo(1), "v3", "/posts/pricing", "linkedin", 1),
      view(today, "v4", "/about", "direct", 1),
      view(daysAgo(DEFAULT_RETENTION_DAYS + 5), "v9", "/old", "direct", 1),
    ]);
    await store.addOutcome({
      kind: "inquiry",
      at: `${daysAgo(2)}T10:05:00.000Z`,
      post_id: post.id,
      who: "inquiry:1",
      entry_path: "/",
      source: "mastodon",
      pages: JSON.stringify(["/", "/posts/pricing"]),
      visitor: "v1",
      attributed_at: `${daysAgo(2)}T10:05:05.000Z`,
      note: "Workshop",
      created_at: `${daysAgo(2)}T10:05:00.000Z`,
    });
    const done = await rollUp(ctx);
    assert.ok(done.days.includes(daysAgo(2)) && done.days.includes(daysAgo(1)), done.days.join(","));
    assert.equal(done.deleted, 1, "raw views past the retention deleted");
    const old = await ctx.db.kysely.selectFrom("insight_daily").select("day").where("day", "=", daysAgo(95)).execute();
    assert.equal(old.length > 0, true, "their rollup stays");
  } finally {
    await closeContext(ctx);
  }
});
after(() => e?.cleanup());

test("liner stats --json: outcomes, then visits by day, sources, entry pages; today's views counted too", async () => {
  const r = await runCli(["stats", "--since", daysAgo(3), "--json"], { env: e.env });
  assert.equal(r.code, 0, r.stderr);
  const s = JSON.parse(r.stdout);
  assert.deepEqual(s.outcomes, { inquiry: 1 });
  assert.deepEqual([s.from, s.to], [daysAgo(3), daysAgo(0)], "the first and the last day counted");
  assert.equal(s.views, 5);
  assert.equal(s.visitors, 4, "v1, v2 on one day, v3 the next, v4 today");
  assert.deepEqual(s.entries.map((x: { key: string; views: number }) => [x.key, x.views]).sort(), [
    ["/", 1],
    ["/about", 1],
    ["/posts/pricing", 2],
  ]);
  // Sources by visit: v1's click within the site is part of its visit from Mastodon, not a source.
  assert.deepEqual(
    s.sources.map((x: { key: string; visitors: number; views: number }) => [x.key, x.visitors, x.views]),
    [
      ["mastodon", 1, 2],
      ["direct", 1, 1],
      ["linkedin", 1, 1],
      ["search", 1, 1],
    ],
  );
  assert.equal(
    s.sources.reduce((n: number, x: { visitors: number }) => n + x.visitors, 0),
    s.visitors,
    "each visitor of a day has one source",
  );
  const text = await runCli(["stats", "--since", daysAgo(3)], { env: e.env });
  assert.match(text.stdout, /^From \d{4}-\d\d-\d\d to today: 1 outcome\n {7}1 {2}inquiry\nVisits: 4 visitors/);
});

test("liner outcomes --json: one object a line with the fields scripts read", async () => {
  const r = await runCli(["outcomes", "--since", daysAgo(7), "--json"], { env: e.env });
  assert.equal(r.code, 0, r.stderr);
  const [o, ...rest] = r.stdout
    .trim()
    .split("\n")
    .map((l) => JSON.parse(l));
  assert.equal(rest.length, 0);
  assert.deepEqual(
    { kind: o.kind, post: o.post, entry_path: o.entry_path, source: o.source, pages: o.pages, note: o.note },
    {
      kind: "inquiry",
      post: "pricing",
      entry_path: "/",
      source: "mastodon",
      pages: ["/", "/posts/pricing"],
      note: "Workshop",
    },
  );
  assert.match(o.at, /^\d{4}-\d\d-\d\dT/);
  const text = await runCli(["outcomes", "--since", daysAgo(7)], { env: e.env });
  assert.match(text.stdout, /inquiry {6}pricing {2}from mastodon via \/ \(2 pages\) {2}Workshop/);
  const none = await runCli(["outcomes", "--since", today], { env: e.env });
  assert.equal(none.stdout, `No outcomes since ${today}.\n`);
});

test("bad input: a --since that is not a date is refused with exit 2, naming it", async () => {
  for (const cmd of ["stats", "outcomes"]) {
    const r = await runCli([cmd, "--since", "last week"], { env: e.env });
    assert.equal(r.code, 2);
    assert.match(r.stderr, /--since takes a date such as 2026-11-01 \(got “last week”\)/);
  }
});
