import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import type { Hono } from "hono";
import { createApp } from "../app.ts";
import { type Browser, signIn } from "../auth/testing.ts";
import { publishedPost, savePost, systemActor } from "../content/testing.ts";
import type { AppEnv } from "../lib/http/env.ts";
import { createTestContext, type TestContext } from "../lib/testing.ts";
import { rollToday } from "./rollup.ts";
import { countingOn } from "./sink.ts";
import { insightStore } from "./store.ts";
import { viewRow } from "./testing.ts";

// The admin home's panel and /admin/insights through the admin's HTTP forms.
let ctx: TestContext;
let app: Hono<AppEnv>;
let owner: Browser;

before(async () => {
  ctx = await createTestContext();
  app = await createApp(ctx);
  owner = await signIn(ctx, app);
  await publishedPost(ctx, "pricing", "Pricing");
});
after(() => ctx?.cleanup());

const at = () => ctx.now().toISOString();

test("the admin home says what the writing led to, outcomes first, against the week before", async () => {
  const empty = await (await owner.request("/admin")).text();
  assert.match(empty, /What the writing led to/);
  assert.match(empty, /No outcomes in the last 30 days yet/);
  const store = insightStore(ctx.db);
  for (const [kind, who, source] of [
    ["subscription", "subscriber:1", "mastodon"],
    ["inquiry", "inquiry:1", "mastodon"],
    ["comment", "person:a", "search"],
  ])
    await store.addOutcome({
      kind,
      at: at(),
      post_id: null,
      who,
      entry_path: "/",
      source,
      pages: JSON.stringify(["/", "/posts/pricing"]),
      visitor: null,
      attributed_at: at(),
      note: "",
      created_at: at(),
    });
  const home = await (await owner.request("/admin")).text();
  assert.match(home, /This week: <strong>3 outcomes<\/strong> <span class="hint">\(0 the week before\)<\/span>/);
  assert.match(
    home,
    /<a href="\/posts\/pricing">Pricing<\/a> <span class="hint">3<\/span>/,
    "the post read last, by its title",
  );
  assert.match(home, /<li>mastodon <span class="hint">2<\/span><\/li>/);
  assert.match(home, /New people: <strong>3<\/strong>/);
  const editor = await signIn(ctx, app, { role: "editor", email: "ed@example.com" });
  assert.doesNotMatch(await (await editor.request("/admin")).text(), /What the writing led to/, "owners only");
  assert.equal((await editor.request("/admin/insights")).status, 403);
});

test("Record an outcome by hand: checked at its fields, kept as typed when refused; then listed with its worth", async () => {
  const bad = await owner.form("/admin/insights/outcomes", {
    note: "Client engagement",
    date: "next week",
    post: "no-such-post",
    value: "lots",
    currency: "EUR",
  });
  assert.equal(bad.status, 400);
  const page = await bad.text();
  assert.match(page, /“next week” is not a date/);
  assert.match(page, /There is no post “no-such-post”\./);
  assert.match(page, /“lots” is not an amount:/);
  assert.match(page, /name="note" type="text" value="Client engagement"/, "kept as typed");
  // Each error at its field, and the field marked as such for screen readers.
  assert.match(
    page,
    /<input id="date" name="date" type="date" value="next week" required aria-invalid="true" aria-describedby="date-error">/,
  );
  assert.match(page, /<input id="value"[^>]* aria-invalid="true" aria-describedby="value-error"/);
  assert.doesNotMatch(page, /<input id="note"[^>]*aria-invalid/);
  for (const [date, value, message] of [
    ["2026-02-30", "", /“2026-02-30” is not a date/],
    ["2099-01-01", "", /That is still to come/],
    ["2026-11-01", "1e30", /“1e30” is not an amount/],
    ["2026-11-01", "1,5", /“1,5” is not an amount: write it like 12000, 12,000 or 12,000\.50\./],
    ["2026-11-01", "0.001", /“0\.001” is not an amount/],
    ["1900-01-01", "", /That is before 1990-01-01: is the year right\?/],
    ["2026-11-01", "$12,000", /“\$12,000” is in USD, but the currency says EUR\./],
  ] as const) {
    const r = await owner.form("/admin/insights/outcomes", { note: "x", date, value, currency: "EUR" });
    assert.equal(r.status, 400, date);
    assert.match(await r.text(), message);
  }
  const elsewhere = await owner.form("/admin/insights/outcomes", {
    note: "x",
    date: "2026-11-01",
    post: "https://example.com/posts/pricing",
  });
  assert.equal(elsewhere.status, 400);
  assert.match(await elsewhere.text(), /“https:\/\/example\.com\/posts\/pricing” is not an address on this site/);
  const ok = await owner.form("/admin/insights/outcomes", {
    note: "Client engagement from the seminar",
    date: "2026-11-20",
    post: "http://127.0.0.1:4321/posts/pricing?utm_source=x#c", // its address as copied
    value: "12,000",
    currency: "eur",
  });
  assert.equal(ok.headers.get("location"), "/admin/insights?msg=saved");
  const row = await ctx.db.kysely
    .selectFrom("insight_outcomes")
    .selectAll()
    .where("kind", "=", "manual")
    .executeTakeFirstOrThrow();
  assert.deepEqual([row.value_cents, row.currency, row.at], [1_200_000, "EUR", "2026-11-20T12:00:00.000Z"]);
  assert.ok(row.post_id);
});

test("counting off and the retention; a bad retention is refused; the export is CSV without addresses", async () => {
  const bad = await owner.form("/admin/insights/settings", { counting: "1", retention: "0" });
  assert.equal(bad.status, 400);
  assert.match(await bad.text(), /Keep the pages for 1 to 3,650 days \(got “0”\)\./);
  assert.equal((await owner.form("/admin/insights/settings", { retention: "30" })).status, 303);
  assert.equal(await countingOn(ctx), false);
  assert.match(await (await owner.request("/admin")).text(), /<strong>Counting visits is off<\/strong>/);
  assert.equal(await insightStore(ctx.db).setting("retention_days"), "30");
  await insightStore(ctx.db).addViews([
    {
      day: "2026-12-01",
      at: "2026-12-01T08:00:00.000Z",
      visitor: "hashhashhashhashhashha",
      path: "/posts/pricing",
      source: "bluesky",
      referrer_host: "bsky.app",
      utm_source: "",
      utm_medium: "",
      utm_campaign: "",
      ref: null,
      device: "mobile",
    },
  ]);
  const csv = await owner.request("/admin/insights/views.csv");
  assert.equal(csv.headers.get("content-type"), "text/csv; charset=utf-8");
  assert.equal(
    await csv.text(),
    "day,at,visitor,path,source,referrer_host,utm_source,utm_medium,utm_campaign,ref,device\n2026-12-01,2026-12-01T08:00:00.000Z,hashhashhashhashhashha,/posts/pricing,bluesky,bsky.app,,,,,mobile\n",
  );
  // The outcomes too, with what led to them and the worth recorded by hand.
  const outcomes = await (await owner.request("/admin/insights/outcomes.csv")).text();
  const [head, ...lines] = outcomes.trim().split("\n");
  assert.equal(head, "kind,at,post,entry_path,source,pages,note,value,currency");
  assert.ok(
    lines.includes(
      "manual,2026-11-20T12:00:00.000Z,pricing,,elsewhere,,Client engagement from the seminar,12000.00,EUR",
    ),
    outcomes,
  );
  assert.ok(
    lines.some((l) => l.startsWith("inquiry,") && l.includes(",mastodon,")),
    outcomes,
  );
  // The last 30 days' visits on the page, for context.
  await rollToday(ctx);
  const page = await (await owner.request("/admin/insights")).text();
  assert.match(page, /<h2>Visits, last 30 days<\/h2>/);
});

test("a published post's editor says what it led to: outcomes, deep visits, forwards, its readers' sources", async () => {
  const post = await ctx.db.kysely
    .selectFrom("posts")
    .select("id")
    .where("slug", "=", "pricing")
    .executeTakeFirstOrThrow();
  const day = new Date(ctx.now().getTime() - 86_400_000).toISOString().slice(0, 10);
  const v = (visitor: string, path: string, source: string, s: number) => viewRow(day, visitor, path, source, s);

  // Ann enters on the post from Mastodon and reads three more pages; Bo reads it from search and leaves.
  await insightStore(ctx.db).addViews([
    v("ann", "/posts/pricing", "mastodon", 1),
    v("ann", "/about", "mastodon", 2),
    v("ann", "/themes", "mastodon", 3),
    v("ann", "/archive", "mastodon", 4),
    v("bo", "/", "search", 5),
    v("bo", "/posts/pricing", "search", 6),
  ]);
  const { rollUp } = await import("./rollup.ts");
  await rollUp(ctx);
  await insightStore(ctx.db).addOutcome({
    kind: "forward",
    at: `${day}T10:00:00.000Z`,
    post_id: null,
    who: "visitor:x",
    entry_path: "/posts/pricing",
    source: "newsletter",
    pages: JSON.stringify(["/posts/pricing"]),
    visitor: "x",
    attributed_at: `${day}T10:00:00.000Z`,
    note: "",
    created_at: `${day}T10:00:00.000Z`,
  });
  const page = await (await owner.request(`/admin/posts/${post.id}`)).text();
  const part = /<fieldset class="insights-post">[\s\S]*?<\/fieldset>/.exec(page)?.[0] ?? "";
  // In words, with the worth recorded by hand (the earlier test's 12,000 EUR from this post).
  assert.match(part, /<strong>[1-9]\d* outcomes?<\/strong>: .*1 recorded by hand.*1 forward, worth 12,000 EUR\./);
  assert.match(part, /1 visit read 3 or more pages after it; forwarded 1 time\./);
  // With the export test's view (from Bluesky, a day of its own): three readers, two came in here.
  assert.match(part, /3 visitors \(2 came in here\), from /);
  for (const source of ["mastodon 1", "search 1", "bluesky 1"]) assert.ok(part.includes(source), source);

  // The post list says the same in its "Led to" column, to owners; a draft's cell is empty.
  const draft = await savePost(ctx, systemActor, { kind: "article", title: "Draft", slug: "draft", body: "x" });
  const list = await (await owner.request("/admin/posts")).text();
  assert.match(list, /<th scope="col">Led to<\/th>/);
  const row = (id: number) =>
    new RegExp(`<tr>\\s*<td><a href="/admin/posts/${id}">[\\s\\S]*?</tr>`).exec(list)?.[0] ?? "";
  const cell = /<td>(?:(?!<td>)[\s\S])*<\/td>\s*<\/tr>$/.exec(row(post.id))?.[0] ?? "";
  assert.match(cell, /<strong>[1-9]\d* outcomes?<\/strong>/);
  assert.match(cell, /1 forward/);
  assert.match(cell, /worth 12,000 EUR/);
  assert.match(cell, /1 read on · 3 visitors, from bluesky, mastodon and others/, 'one each: no "mostly"');
  assert.match(row(draft.id), /<td><\/td>\s*<\/tr>$/);
  const author = await signIn(ctx, app, { role: "author" });
  assert.doesNotMatch(await (await author.request("/admin/posts")).text(), /Led to/);
});

test("experiments on the insights page: refused with the reason at its field, started, listed, stopped", async () => {
  const bad = await owner.form("/admin/insights/experiments", {
    hypothesis: "Talks bring registrations",
    channel: "A talk a month",
    start: "2026-12-10",
    end: "2026-12-01",
  });
  assert.equal(bad.status, 400);
  assert.match(await bad.text(), /<p class="field-error" id="end-error">The end comes before the start\.<\/p>/);
  const empty = await (
    await owner.form("/admin/insights/experiments", { hypothesis: "", channel: "", start: "", end: "" })
  ).text();
  for (const id of ["hypothesis-error", "channel-error", "end-error"]) assert.ok(empty.includes(`id="${id}"`), id);
  const impossible = await (
    await owner.form("/admin/insights/experiments", { hypothesis: "H", channel: "C", start: "2026-02-30", end: "" })
  ).text();
  assert.match(impossible, /id="start-error">“2026-02-30” is not a date \(YYYY-MM-DD\)\./);
  assert.match(impossible, /id="end-error">Say when it ends\./);
  assert.equal((await owner.form("/admin/insights/experiments/999/stop", {})).status, 404);
  const ok = await owner.form("/admin/insights/experiments", {
    hypothesis: "Talks bring registrations",
    channel: "A talk a month",
    start: "",
    end: new Date(ctx.now().getTime() + 20 * 86_400_000).toISOString().slice(0, 10),
  });
  assert.equal(ok.headers.get("location"), "/admin/insights?msg=created");
  const page = await (await owner.request("/admin/insights")).text();
  assert.match(page, /<strong>A talk a month<\/strong>: Talks bring registrations/);
  assert.match(page, /Outcomes: \d+ against \d+ before: /);
  const id = /experiments\/(\d+)\/stop/.exec(page)?.[1];
  assert.ok(id);
  assert.equal((await owner.form(`/admin/insights/experiments/${id}/stop`, {})).status, 303);
  assert.doesNotMatch(await (await owner.request("/admin/insights")).text(), /Stop it today/);
});
