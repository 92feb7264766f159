import assert from "node:assert/strict";
import { afterEach, beforeEach, test } from "node:test";
import { createApp } from "../app.ts";
import { createTestContext, type TestContext } from "../lib/testing.ts";
import { createSend, fixedMail } from "../mail/testing.ts";
import { addSubscriber, createList, listRecipients } from "./service.ts";

let ctx: TestContext;
let app: Awaited<ReturnType<typeof createApp>>;
beforeEach(async () => {
  ctx = await createTestContext();
  app = await createApp(ctx);
});
afterEach(() => ctx.cleanup());

const form = (path: string, fields: [string, string][]) =>
  app.request(path, {
    method: "POST",
    body: new URLSearchParams(fields),
    headers: { "content-type": "application/x-www-form-urlencoded" },
  });

test("preferences: every list in one form; unticking withdraws queued mail, ticking a public list subscribes with consent kept", async () => {
  const articles = await createList(ctx, { slug: "articles", name: "New articles", promise: "Twice a month." });
  const team = await createList(ctx, { slug: "team", name: "Team", isPublic: false });
  await createList(ctx, { slug: "seminars", name: "Seminars", promise: "Dates of seminars." });
  await createList(ctx, { slug: "board", name: "Board", isPublic: false });
  const { subscriberId } = await addSubscriber(ctx, {
    email: "p@example.org",
    list: "articles",
    confirmed: true,
    source: "t",
  });
  await addSubscriber(ctx, { email: "p@example.org", list: "team", confirmed: true, source: "t" });
  // A send to the team list is queued, not yet delivered.
  const recipients = await listRecipients(ctx, [team.id]);
  await createSend(ctx, { kind: "post", ...fixedMail("S", "<p>x</p>", "x"), listIds: [team.id] }, recipients);
  const link = recipients[0].vars.preferences_url;
  assert.ok(link?.startsWith(`${ctx.config.baseUrl}/preferences/`));
  const path = new URL(link ?? "").pathname;

  const page = await (await app.request(path)).text();
  assert.match(page, /p@example\.org/);
  assert.match(page, /value="articles" checked>/);
  assert.match(page, /value="team" checked>/);
  assert.match(page, /value="seminars">/);
  assert.doesNotMatch(page, /Board/, "private lists the person is not on are not shown");

  const saved = await form(path, [
    ["lists", "articles"],
    ["lists", "seminars"],
    ["lists", "board"],
  ]);
  assert.match(await saved.text(), /Saved\. Changes apply at once\./);
  const subs = await ctx.db.kysely
    .selectFrom("subscriptions")
    .selectAll()
    .where("subscriber_id", "=", subscriberId)
    .orderBy("list_id")
    .execute();
  const byList = new Map(subs.map((s) => [s.list_id, s]));
  assert.equal(byList.get(articles.id)?.status, "confirmed");
  assert.equal(byList.get(team.id)?.status, "unsubscribed");
  const seminar = subs.find((s) => s.list_id !== articles.id && s.list_id !== team.id);
  assert.equal(seminar?.status, "confirmed");
  assert.equal(seminar?.source, "preferences page");
  assert.equal(seminar?.promise_shown, "Dates of seminars.");
  assert.equal(subs.length, 3, "a private list cannot be joined from the preferences page");
  const queued = await ctx.db.kysely
    .selectFrom("outbox")
    .select("status")
    .where("to_email", "=", "p@example.org")
    .execute();
  assert.deepEqual(
    queued.map((r) => r.status),
    ["suppressed"],
    "the queued team email was withdrawn",
  );

  await form(path, [
    ["none", "1"],
    ["lists", "articles"],
  ]);
  const after = await ctx.db.kysely
    .selectFrom("subscriptions")
    .select("status")
    .where("subscriber_id", "=", subscriberId)
    .execute();
  assert.ok(
    after.every((s) => s.status === "unsubscribed"),
    "unsubscribe from all",
  );

  assert.equal((await app.request("/preferences/forged.0.token")).status, 404);
  assert.equal((await form("/preferences/forged.0.token", [["lists", "articles"]])).status, 404);
});
