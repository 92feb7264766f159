import assert from "node:assert/strict";
import fs from "node:fs";
import { afterEach, beforeEach, test } from "node:test";
import { createApp } from "../app.ts";
import { signIn } from "../auth/testing.ts";
import { savePost, systemActor } from "../content/testing.ts";
import { createTestContext, type TestContext } from "../lib/testing.ts";
import { createSend, deliverToSink, fixedMail, type SmtpSink, smtpSink } from "../mail/testing.ts";
import { addSubscriber, createList } from "./service.ts";

let ctx: TestContext;
let sink: SmtpSink;
let app: Awaited<ReturnType<typeof createApp>>;
beforeEach(async () => {
  sink = await smtpSink();
  ctx = await createTestContext();
  ctx.config.mail = { ...ctx.config.mail, smtpUrl: sink.url, from: "Ann <ann@example.com>" };
  ctx.setNow(new Date("2026-03-01T10:00:00Z"));
  app = await createApp(ctx);
  await createList(ctx, { slug: "articles", name: "New articles", promise: "Twice a month." });
  await createList(ctx, { slug: "team", name: "Team", isPublic: false });
});
afterEach(async () => {
  await ctx.cleanup();
  await sink.close();
});

const deliver = () => deliverToSink(ctx, sink);
const add = (email: string, list = "articles", confirmed = true) =>
  addSubscriber(ctx, { email, list, confirmed, source: "form" });
const fixture = (name: string) => fs.readFileSync(new URL(`./testdata/${name}`, import.meta.url), "utf8");
const count = async (table: "subscribers" | "subscriptions" | "outbox") =>
  (await ctx.db.kysely.selectFrom(table).select("id").execute()).length;
/** The counts row of a list on the page: confirmed, pending, unsubscribed, erased. */
const countsOf = (page: string, name: string) => {
  const m = new RegExp(`<th scope="row">${name}</th><td>(\\d+)</td><td>(\\d+)</td><td>(\\d+)</td><td>(\\d+)</td>`).exec(
    page,
  );
  assert.ok(m, `a counts row for ${name}`);
  return m.slice(1).map(Number);
};

test("search, filters, pagination and counts per list", async () => {
  for (let i = 1; i <= 55; i++) await add(`reader${String(i).padStart(2, "0")}@example.com`);
  await add("zed_x@example.org", "team");
  await add("pending@example.org", "articles", false);
  const editor = await signIn(ctx, app, { role: "editor" });
  let page = await (await editor.request("/admin/subscribers")).text();
  assert.deepEqual(countsOf(page, "New articles"), [55, 1, 0, 0]);
  assert.deepEqual(countsOf(page, "Team"), [1, 0, 0, 0]);
  assert.match(page, /57 subscribers\./);
  assert.equal(page.match(/<tr>\s*<td><a href="\/admin\/subscribers\/\d+">/g)?.length, 50, "50 per page");
  assert.match(page, /Page 1 of 2/);
  page = await (await editor.request("/admin/subscribers?page=2")).text();
  assert.equal(page.match(/<tr>\s*<td><a href="\/admin\/subscribers\/\d+">/g)?.length, 7);

  page = await (await editor.request("/admin/subscribers?q=READER0")).text();
  assert.match(page, /9 subscribers\./, "case-insensitive substring");
  page = await (await editor.request("/admin/subscribers?q=_")).text();
  assert.match(page, /1 subscriber\./, "_ is a character, not a wildcard");
  assert.match(page, /zed_x@example\.org/);
  page = await (await editor.request("/admin/subscribers?list=team")).text();
  assert.match(page, /1 subscriber\./);
  page = await (await editor.request("/admin/subscribers?list=articles&status=pending")).text();
  assert.match(page, /1 subscriber\./);
  assert.match(page, /pending@example\.org/);
  const bad = await editor.request("/admin/subscribers?status=nope");
  assert.equal(bad.status, 400);
  assert.match(await bad.text(), /Status must be one of confirmed, pending, unsubscribed, erased/);
});

test("add by hand: confirmed with the admin's name as source, or pending with a confirmation; bad input is a 4xx", async () => {
  const editor = await signIn(ctx, app, { role: "editor", name: "Eddie Editor" });
  let res = await editor.form("/admin/subscribers/add", {
    email: "Hand@Example.com",
    list: "articles",
    confirmed: "1",
  });
  assert.equal(res.status, 303);
  assert.equal(res.headers.get("location"), "/admin/subscribers?msg=added");
  res = await editor.form("/admin/subscribers/add", { email: "ask@example.com", list: "articles" });
  assert.equal(res.headers.get("location"), "/admin/subscribers?msg=pending");
  const rows = await ctx.db.kysely
    .selectFrom("subscriptions as s")
    .innerJoin("subscribers as p", "p.id", "s.subscriber_id")
    .select(["p.email", "s.status", "s.source"])
    .orderBy("p.email")
    .execute();
  assert.deepEqual(rows, [
    { email: "ask@example.com", status: "pending", source: "added by Eddie Editor" },
    { email: "hand@example.com", status: "confirmed", source: "added by Eddie Editor" },
  ]);
  await deliver();
  assert.deepEqual(
    sink.received.map((m) => m.to[0]),
    ["ask@example.com"],
    "only the pending address gets mail: its confirmation",
  );
  res = await editor.form("/admin/subscribers/add", { email: "nope", list: "articles" });
  assert.equal(res.status, 400);
  assert.match(await res.text(), /&quot;nope&quot; is not an email address/);
  await ctx.db.kysely.updateTable("subscriptions").set({ status: "unsubscribed" }).execute();
  res = await editor.form("/admin/subscribers/add", { email: "hand@example.com", list: "articles", confirmed: "1" });
  assert.equal(res.status, 409);
  assert.match(await res.text(), /unsubscribed from New articles, so it is not added again/);
});

test("history shows consents and received email; erase removes the address everywhere but keeps the counts", async () => {
  const { subscriberId } = await add("ada@example.com");
  await add("bob@example.com");
  await createSend(ctx, { kind: "post", ...fixedMail("Why liner notes", "<p>hi</p>", "hi") }, [
    { email: "ada@example.com", subscriberId, listId: 1, vars: { name: "Ada" } },
    { email: "bob@example.com", vars: {} },
  ]);
  await deliver();
  assert.ok(
    sink.received.some((m) => m.to[0] === "ada@example.com"),
    "delivered to the sink",
  );
  // A second send still waiting when she is erased, and a complaint suppression of her address.
  await createSend(ctx, { kind: "post", ...fixedMail("Second post", "<p>2</p>", "2") }, [
    { email: "ada@example.com", subscriberId, listId: 1, vars: { name: "Ada" } },
  ]);
  await ctx.db.kysely
    .insertInto("suppressions")
    .values({ email: "ada@example.com", reason: "complaint", detail: "", created_at: ctx.now().toISOString() })
    .execute();

  // Her inquiry and an event registration hold the address too.
  const at = ctx.now().toISOString();
  await ctx.db.kysely
    .insertInto("inquiries")
    .values({
      name: "Ada",
      email: "ada@example.com",
      topic: "",
      message: "Consulting?",
      source_page: "/about",
      referrer: "",
      status: "new",
      created_at: at,
    })
    .execute();
  const event = await savePost(ctx, systemActor, { kind: "event", title: "Seminar", body: "x" });
  await ctx.db.kysely
    .insertInto("events")
    .values({
      post_id: event.id,
      starts_at: at,
      ends_at: at,
      time_zone: "UTC",
      venue: "",
      online_url: "",
      capacity: null,
      question: "",
    })
    .execute();
  await ctx.db.kysely
    .insertInto("registrations")
    .values({
      event_id: event.id,
      email: "ada@example.com",
      name: "Ada",
      answer: "",
      status: "registered",
      source_page: "",
      created_at: at,
      promoted_at: null,
      cancelled_at: null,
      reminded_at: null,
    })
    .execute();

  const editor = await signIn(ctx, app, { role: "editor" });
  let page = await (await editor.request(`/admin/subscribers/${subscriberId}`)).text();
  assert.match(page, /<h1>ada@example\.com<\/h1>/);
  assert.match(page, /<td>New articles<\/td><td>confirmed<\/td><td>Twice a month\.<\/td><td>form<\/td>/);
  assert.match(page, /<tr><td>Why liner notes<\/td>.*?<td>sent<\/td>/s);
  assert.match(page, /<tr><td>Second post<\/td>.*?<td>queued<\/td>/s);

  const confirmStep = await editor.request(`/admin/subscribers/${subscriberId}/erase`);
  assert.match(await confirmStep.text(), /It cannot be undone/);
  let res = await editor.form(`/admin/subscribers/${subscriberId}/erase`, {});
  assert.equal(res.status, 400, "the box must be ticked");
  assert.equal(await count("subscribers"), 2);
  assert.ok(
    await ctx.db.kysely
      .selectFrom("subscribers")
      .select("id")
      .where("email", "=", "ada@example.com")
      .executeTakeFirst(),
  );
  res = await editor.form(`/admin/subscribers/${subscriberId}/erase`, { confirm: "yes" }, { csrf: false });
  assert.equal(res.status, 403, "CSRF token required");
  res = await editor.form(`/admin/subscribers/${subscriberId}/erase`, { confirm: "yes" });
  assert.equal(res.status, 303);

  const me = await ctx.db.kysely
    .selectFrom("subscribers")
    .selectAll()
    .where("id", "=", subscriberId)
    .executeTakeFirst();
  assert.equal(me?.email, null);
  assert.equal(me?.name, "");
  assert.equal(me?.erased_at, "2026-03-01T10:00:00.000Z");
  const outbox = await ctx.db.kysely.selectFrom("outbox").selectAll().orderBy("id").execute();
  assert.equal(outbox.length, 3, "rows kept");
  assert.ok(!JSON.stringify(outbox).includes("ada@example.com"), "no copy of the address in the outbox");
  assert.deepEqual(
    outbox.filter((o) => o.subscriber_id === subscriberId).map((o) => [o.to_email, o.status]),
    [
      ["erased", "sent"],
      ["erased", "suppressed"],
    ],
  );
  assert.equal((await ctx.db.kysely.selectFrom("suppressions").selectAll().execute()).length, 0);
  const inquiries = await ctx.db.kysely.selectFrom("inquiries").selectAll().execute();
  const registrations = await ctx.db.kysely.selectFrom("registrations").selectAll().execute();
  assert.equal(inquiries.length + registrations.length, 2, "the rows stay for counts");
  assert.ok(
    !JSON.stringify([inquiries, registrations]).includes("ada@example.com"),
    "no copy in inquiries or registrations",
  );
  assert.equal(inquiries[0].source_page, "/about", "the page it came from stays for outcomes");
  const before = sink.received.length;
  await deliver();
  assert.equal(sink.received.length, before, "nothing more is sent");

  page = await (await editor.request("/admin/subscribers")).text();
  assert.deepEqual(countsOf(page, "New articles"), [1, 0, 0, 1], "bob confirmed, ada erased");
  assert.match(page, /<td><em>erased<\/em><\/td>/);
  page = await (await editor.request("/admin/subscribers?status=erased")).text();
  assert.match(page, /1 subscriber\./);
  page = await (await editor.request(`/admin/subscribers/${subscriberId}`)).text();
  assert.match(page, /Erased subscriber #\d+/);
  assert.doesNotMatch(page, /ada@example\.com/);
  const csv = await (await editor.request("/admin/subscribers/export.csv?list=articles")).text();
  assert.doesNotMatch(csv, /ada@example\.com|erased/);
  assert.match(csv, /bob@example\.com/);
});

test("import by upload: dry run first, then Import now re-posts the same file; bad rows refused unless skipped", async () => {
  const editor = await signIn(ctx, app, { role: "editor" });
  const upload = (name: string, extra: Record<string, string> = {}) =>
    editor.form("/admin/subscribers/import", {
      file: new File([fixture(name)], name, { type: "text/csv" }),
      list: "articles",
      ...extra,
    });
  let res = await upload("ghost-members.csv", { dry_run: "1" });
  assert.equal(res.status, 200);
  let page = await res.text();
  assert.match(page, /Dry run: nothing was changed/);
  assert.match(page, /read as a Ghost members export/);
  assert.match(page, /<li>2 would be added<\/li>/);
  assert.match(page, /Line 4: walter@example\.com: not subscribed to emails in Ghost/);
  assert.equal(await count("subscriptions"), 0);
  const csv = /name="csv" value="([^"]*)"/s.exec(page)?.[1];
  assert.ok(csv, "the Import now form carries the file");
  const unescapeHtml = (s: string) =>
    s
      .replace(/&quot;/g, '"')
      .replace(/&#39;/g, "'")
      .replace(/&lt;/g, "<")
      .replace(/&gt;/g, ">")
      .replace(/&amp;/g, "&");
  res = await editor.form("/admin/subscribers/import", {
    csv: unescapeHtml(csv),
    filename: "ghost-members.csv",
    list: "articles",
    dry_run: "0",
  });
  page = await res.text();
  assert.equal(res.status, 200);
  assert.match(page, /Imported 2 subscriptions into New articles/);
  const sources = await ctx.db.kysely.selectFrom("subscriptions").select("source").execute();
  assert.deepEqual(
    sources.map((s) => s.source),
    ["imported from ghost-members.csv on 2026-03-01", "imported from ghost-members.csv on 2026-03-01"],
  );

  res = await upload("bad-rows.csv", { dry_run: "0" });
  assert.equal(res.status, 422);
  page = await res.text();
  assert.match(page, /Line 3: &quot;not-an-address&quot; is not an email address/);
  assert.match(page, /Skip the 2 bad rows and import the rest/);
  assert.equal(await count("subscriptions"), 2, "nothing imported");
  res = await upload("bad-rows.csv", { dry_run: "0", skip_bad: "1" });
  assert.equal(res.status, 200);
  assert.equal(await count("subscriptions"), 4);

  const noCsrf = await editor.form(
    "/admin/subscribers/import",
    { file: new File([fixture("bad-rows.csv")], "x.csv"), list: "articles" },
    { csrf: false },
  );
  assert.equal(noCsrf.status, 403);
  res = await editor.form("/admin/subscribers/import", {
    file: new File(["first,last\nA,B\n"], "x.csv"),
    list: "articles",
  });
  assert.equal(res.status, 400);
  assert.match(await res.text(), /no email column/);
  ctx.config.maxUploadBytes = 100;
  res = await upload("mailchimp-subscribed.csv", { dry_run: "1" });
  assert.equal(res.status, 413);
  assert.match(await res.text(), /File too large.*The file is 570 bytes, over the 100 bytes limit/s);
  assert.equal(await count("subscriptions"), 4);
});

test("export.csv; an author is refused everywhere; CSRF on adding", async () => {
  await add("ann@example.com");
  await ctx.db.kysely.updateTable("subscribers").set({ name: "=HYPERLINK(1)" }).execute();
  const editor = await signIn(ctx, app, { role: "editor" });
  const res = await editor.request("/admin/subscribers/export.csv?list=articles");
  assert.equal(res.status, 200);
  assert.match(res.headers.get("content-type") ?? "", /^text\/csv/);
  assert.match(
    res.headers.get("content-disposition") ?? "",
    /attachment; filename="subscribers-articles-2026-03-01\.csv"/,
  );
  assert.equal(
    await res.text(),
    "email,name,status,source,requested_at,confirmed_at\r\nann@example.com,'=HYPERLINK(1),confirmed,form,2026-03-01T10:00:00.000Z,2026-03-01T10:00:00.000Z\r\n",
  );
  assert.equal((await editor.request("/admin/subscribers/export.csv")).status, 400);
  const noCsrf = await editor.form(
    "/admin/subscribers/add",
    { email: "x@example.com", list: "articles" },
    { csrf: false },
  );
  assert.equal(noCsrf.status, 403);
  assert.equal(await count("subscribers"), 1);

  const author = await signIn(ctx, app, { role: "author" });
  for (const path of ["/admin/subscribers", "/admin/subscribers/1", "/admin/subscribers/export.csv?list=articles"]) {
    assert.equal((await author.request(path)).status, 403, path);
  }
  const r = await author.form("/admin/subscribers/add", { email: "x@example.com", list: "articles", confirmed: "1" });
  assert.equal(r.status, 403);
  assert.equal(await count("subscribers"), 1);
});
