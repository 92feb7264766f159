import assert from "node:assert/strict";
import fs from "node:fs";
import { afterEach, beforeEach, test } from "node:test";
import { createTestContext, type TestContext } from "../lib/testing.ts";
import { addSubscriber, createList } from "./service.ts";
import { importSubscribers } from "./subscribers-import.ts";

let ctx: TestContext;
beforeEach(async () => {
  ctx = await createTestContext();
  ctx.setNow(new Date("2026-03-01T10:00:00Z"));
  await createList(ctx, { slug: "articles", name: "New articles", promise: "Twice a month." });
});
afterEach(() => ctx.cleanup());

const fixture = (name: string) => fs.readFileSync(new URL(`./testdata/${name}`, import.meta.url), "utf8");
const counts = async () => ({
  subscribers: (await ctx.db.kysely.selectFrom("subscribers").select("id").execute()).length,
  subscriptions: (await ctx.db.kysely.selectFrom("subscriptions").select("id").execute()).length,
});
const consents = () =>
  ctx.db.kysely
    .selectFrom("subscriptions as s")
    .innerJoin("subscribers as p", "p.id", "s.subscriber_id")
    .select(["p.email", "p.name", "s.status", "s.source", "s.promise_shown", "s.confirmed_at"])
    .orderBy("p.email")
    .execute();
const run = (file: string, opts: { dryRun?: boolean; skipBad?: boolean; csv?: string } = {}) =>
  importSubscribers(ctx, {
    csv: opts.csv ?? fixture(file),
    fileName: file,
    list: "articles",
    dryRun: opts.dryRun ?? false,
    skipBad: opts.skipBad ?? false,
  });

test("each export format imports as confirmed consents with the source (no promise they never saw) and the file's time", async () => {
  for (const file of ["substack-emails.csv", "mailchimp-subscribed.csv", "ghost-members.csv"]) {
    const r = await run(file);
    assert.equal(r.imported, true, file);
    assert.equal(r.refused, false);
  }
  const rows = await consents();
  assert.equal(rows.length, 3 + 3 + 2, "three from Substack (one disabled), three from Mailchimp, two from Ghost");
  for (const r of rows) {
    assert.equal(r.status, "confirmed");
    assert.equal(r.promise_shown, "", "they never saw this site's promise: the source says where consent came from");
    assert.match(r.source, /^imported from (substack-emails|mailchimp-subscribed|ghost-members)\.csv on 2026-03-01$/);
  }
  const ada = rows.find((r) => r.email === "ada@example.com");
  assert.equal(ada?.name, "Ada Lovelace");
  assert.equal(ada?.confirmed_at, "2023-04-21T11:17:30.000Z");
  assert.equal(rows.find((r) => r.email === "fox@example.com")?.name, "Mulder, Fox");
  assert.ok(!rows.some((r) => r.email === "muted@example.net" || r.email === "walter@example.com"));
});

test("a dry run reports and changes nothing", async () => {
  await addSubscriber(ctx, { email: "ada@example.com", list: "articles", confirmed: true, source: "form" });
  const before = await counts();
  const r = await run("mailchimp-subscribed.csv", { dryRun: true });
  assert.equal(r.imported, false);
  assert.equal(r.add, 2);
  assert.equal(r.already, 1);
  assert.deepEqual(await counts(), before);
});

test("bad rows: the import is refused and nothing is half-imported; --skip-bad imports only the good rows", async () => {
  const before = await counts();
  const refused = await run("bad-rows.csv");
  assert.equal(refused.refused, true);
  assert.equal(refused.imported, false);
  assert.deepEqual(
    refused.bad.map((b) => b.line),
    [3, 4],
  );
  assert.equal(refused.duplicates[0].line, 6);
  assert.deepEqual(await counts(), before, "nothing written");

  const skipped = await run("bad-rows.csv", { skipBad: true });
  assert.equal(skipped.imported, true);
  assert.equal(skipped.add, 2);
  assert.deepEqual(
    (await consents()).map((r) => [r.email, r.name]),
    [
      ["good.one@example.com", "Good One"],
      ["good.two@example.com", "Good Two"],
    ],
  );
});

test("confirmed stay as they are, pending are confirmed, unsubscribed are not subscribed again", async () => {
  await addSubscriber(ctx, { email: "ada@example.com", list: "articles", confirmed: true, source: "form" });
  await addSubscriber(ctx, { email: "grace@example.org", list: "articles", confirmed: false, source: "form" });
  await addSubscriber(ctx, { email: "linus@example.net", list: "articles", confirmed: true, source: "form" });
  await ctx.db.kysely
    .updateTable("subscriptions")
    .set({ status: "unsubscribed", unsubscribed_at: "2026-02-01T00:00:00.000Z" })
    .where("subscriber_id", "=", (eb) =>
      eb.selectFrom("subscribers").select("id").where("email", "=", "linus@example.net"),
    )
    .execute();
  const r = await run("mailchimp-subscribed.csv");
  assert.deepEqual([r.add, r.confirm, r.already], [0, 1, 1]);
  assert.deepEqual(r.unsubscribed, [
    { line: 4, email: "linus@example.net", reason: "unsubscribed here on 2026-02-01" },
  ]);
  const rows = await consents();
  assert.deepEqual(
    rows.map((x) => [x.email, x.status, x.source]),
    [
      ["ada@example.com", "confirmed", "form"],
      ["grace@example.org", "confirmed", "imported from mailchimp-subscribed.csv on 2026-03-01"],
      ["linus@example.net", "unsubscribed", "form"],
    ],
  );
});

test("an unknown list or an unreadable file changes nothing and says why", async () => {
  await assert.rejects(
    importSubscribers(ctx, {
      csv: "email\na@example.com\n",
      fileName: "x.csv",
      list: "nope",
      dryRun: false,
      skipBad: false,
    }),
    /There is no list “nope”/,
  );
  await assert.rejects(run("x.csv", { csv: "name\nAnn\n" }), /no email column/);
  assert.deepEqual(await counts(), { subscribers: 0, subscriptions: 0 });
});
