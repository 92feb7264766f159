import assert from "node:assert/strict";
import { afterEach, beforeEach, test } from "node:test";
import { createApp } from "../app.ts";
import { createTestContext, type TestContext } from "../lib/testing.ts";
import { createSend, deliverToSink, fixedMail, type SmtpSink, smtpSink } from "../mail/testing.ts";
import { addSubscriber, createList, listRecipients } from "./service.ts";

let ctx: TestContext;
let sink: SmtpSink;
let app: Awaited<ReturnType<typeof createApp>>;
beforeEach(async () => {
  sink = await smtpSink();
  ctx = await createTestContext();
  ctx.config.mail = { ...ctx.config.mail, smtpUrl: sink.url, from: "Ann <ann@example.com>" };
  ctx.setNow(new Date("2026-03-01T10:00:00Z"));
  app = await createApp(ctx);
});
afterEach(async () => {
  await ctx.cleanup();
  await sink.close();
});

const PROMISE = "New articles, about twice a month. Nothing else. Unsubscribe in one click.";
const later = (ms: number) => ctx.setNow(new Date(ctx.now().getTime() + ms));
const deliver = () => deliverToSink(ctx, sink);
async function formToken(): Promise<string> {
  const page = await (await app.request("/subscribe")).text();
  const m = /name="t" value="([^"]+)"/.exec(page);
  assert.ok(m, "the form has a token");
  return m[1];
}
const post = (fields: Record<string, string | string[]>, headers: Record<string, string> = {}) => {
  const body = new URLSearchParams();
  for (const [k, v] of Object.entries(fields)) for (const x of [v].flat()) body.append(k, x);
  return app.request("/subscribe", {
    method: "POST",
    body,
    headers: { "content-type": "application/x-www-form-urlencoded", referer: "http://x/posts/hello", ...headers },
  });
};
const subscriptions = () => ctx.db.kysely.selectFrom("subscriptions").selectAll().orderBy("id").execute();
const outboxCount = async () => (await ctx.db.kysely.selectFrom("outbox").select("id").execute()).length;

test("double opt-in: confirmation email, consent record, confirm link, then one-click unsubscribe mid-list", async () => {
  await createList(ctx, { slug: "articles", name: "New articles", promise: PROMISE });
  await createList(ctx, { slug: "team", name: "Team", isPublic: false });
  const form = await (await app.request("/subscribe")).text();
  assert.match(form, /New articles/);
  assert.match(form, new RegExp(PROMISE.replace(/\./g, "\\.")));
  assert.doesNotMatch(form, /Team/, "private lists are not offered");
  assert.doesNotMatch(form, /<legend>Lists<\/legend>/, "one list: no 'Lists' heading and nothing to tick");
  assert.match(form, /<input type="hidden" name="lists" value="articles">/);

  const t = await formToken();
  const tooFast = await post({ t, email: "reader@example.net", lists: "articles" });
  assert.equal(tooFast.status, 200);
  const answer = await tooFast.text();
  assert.match(answer, /One more step: press Subscribe/, "faster than a person: the form comes back filled in");
  assert.match(answer, /value="reader@example.net"/);
  assert.match(answer, /name="source" value="http:\/\/x\/posts\/hello"/, "the page it was sent from is kept");
  assert.equal((await subscriptions()).length, 0, "filled faster than a person: nothing recorded yet");

  later(5000);
  const res = await post({ t, email: "Reader@Example.net", name: "Rea Der", lists: ["articles", "team"] });
  assert.equal(res.status, 200);
  assert.match(await res.text(), /Check your inbox/);
  const [sub] = await subscriptions();
  assert.deepEqual(
    [sub.status, sub.promise_shown, sub.source, sub.source_page, sub.requested_at, sub.confirmed_at],
    ["pending", PROMISE, "form", "http://x/posts/hello", "2026-03-01T10:00:05.000Z", null],
  );
  assert.equal((await subscriptions()).length, 1, "the private list was not subscribed through the form");

  await deliver();
  assert.equal(sink.received.length, 1);
  const mail = sink.received[0];
  assert.deepEqual(mail.to, ["reader@example.net"]);
  assert.equal(mail.headers.get("subject"), "Confirm your subscription to New articles from Liner Notes");
  const link = /(http:\/\/\S+\/subscribe\/confirm\/[A-Za-z0-9_.-]+)/.exec(mail.raw.replace(/=\r?\n/g, ""))?.[1];
  assert.ok(link, "the email carries the confirmation link");
  // Nothing but the confirmation goes out before confirming.
  const articles = (
    await ctx.db.kysely.selectFrom("lists").select("id").where("slug", "=", "articles").executeTakeFirstOrThrow()
  ).id;
  assert.equal((await listRecipients(ctx, [articles])).length, 0);

  later(60_000);
  const button = await app.request(new URL(link).pathname);
  assert.match(await button.text(), /<h1>Confirm your subscription to New articles from Liner Notes<\/h1>/);
  assert.equal((await subscriptions())[0].status, "pending", "opening the link (a mail scanner) confirms nothing");
  const confirmed = await app.request(new URL(link).pathname, { method: "POST" });
  assert.equal(confirmed.status, 200);
  assert.match(await confirmed.text(), /You are subscribed to New articles/);
  const [after] = await subscriptions();
  assert.equal(after.status, "confirmed");
  assert.equal(after.confirmed_at, "2026-03-01T10:01:05.000Z");

  // Asking again answers the same and sends nothing (no enumeration).
  const t1 = await formToken();
  later(5000);
  const again = await post({ t: t1, email: "reader@example.net", lists: "articles" });
  const t2 = await formToken();
  later(5000);
  const again2 = await post({ t: t2, email: "reader@example.net", lists: "articles" });
  assert.equal(again.status, 200);
  const againText = await again.text();
  assert.match(againText, /Check your inbox/);
  assert.equal(await again2.text(), againText);
  const before = await outboxCount();

  // A new-post email to the list carries one-click unsubscribe; a POST to it unsubscribes at once.
  await createSend(
    ctx,
    { kind: "post", ...fixedMail("Hello", "<p>Hi</p>", "Hi") },
    await listRecipients(ctx, [articles]),
  );
  assert.equal(await outboxCount(), before + 1);
  await deliver();
  const news = sink.received.at(-1);
  const unsub = /^<(.+)>$/.exec(news?.headers.get("list-unsubscribe") ?? "")?.[1];
  assert.ok(unsub?.startsWith(`${ctx.config.baseUrl}/unsubscribe/`));
  assert.equal(news?.headers.get("list-unsubscribe-post"), "List-Unsubscribe=One-Click");
  const path = new URL(unsub ?? "").pathname;
  const show = await app.request(path);
  assert.match(await show.text(), /Stop sending <strong>New articles<\/strong> to reader@example\.net\?/);
  assert.equal((await subscriptions())[0].status, "confirmed", "GET does not unsubscribe (link scanners)");
  const one = await app.request(path, {
    method: "POST",
    body: "List-Unsubscribe=One-Click",
    headers: { "content-type": "application/x-www-form-urlencoded" },
  });
  assert.equal(one.status, 200);
  assert.equal((await subscriptions())[0].status, "unsubscribed");
  assert.equal((await listRecipients(ctx, [articles])).length, 0);
});

test("one-click unsubscribe (List-Unsubscribe-Post) while a send is queued: that mail never reaches the address", async () => {
  const articles = await createList(ctx, { slug: "articles", name: "New articles", promise: PROMISE });
  const team = await createList(ctx, { slug: "team", name: "Team", isPublic: false });
  for (const email of ["leaver@example.net", "stayer@example.net"])
    await addSubscriber(ctx, { email, list: "articles", confirmed: true, source: "test" });
  await addSubscriber(ctx, { email: "leaver@example.net", list: "team", confirmed: true, source: "test" });
  const recipients = await listRecipients(ctx, [articles.id]);
  const mail = (subject: string) => ({ kind: "post", ...fixedMail(subject, "<p>Hi</p>", "Hi") });
  await createSend(ctx, { ...mail("Articles"), listIds: [articles.id] }, recipients);
  await createSend(ctx, { ...mail("Team"), listIds: [team.id] }, await listRecipients(ctx, [team.id]));

  // The mail client's one-click POST to the List-Unsubscribe URL, before delivery runs.
  const leaver = recipients.find((r) => r.email === "leaver@example.net");
  const res = await app.request(new URL(leaver?.vars.unsubscribe_url ?? "").pathname, {
    method: "POST",
    body: "List-Unsubscribe=One-Click",
    headers: { "content-type": "application/x-www-form-urlencoded" },
  });
  assert.equal(res.status, 200);
  await deliver();
  assert.deepEqual(
    sink.received.map((m) => `${m.to[0]} ${m.headers.get("subject")}`).sort(),
    ["leaver@example.net Team", "stayer@example.net Articles"],
    "the queued articles email to the leaver was withdrawn; other lists' mail and other readers' still go",
  );
});

test("bad input is a 400 naming the problem with the form kept; honeypot, forged tokens and floods are refused", async () => {
  await createList(ctx, { slug: "articles", name: "New articles", promise: PROMISE });
  const t = await formToken();
  later(5000);
  const bad = await post({ t, email: "not an address", lists: "articles", name: "Kept Name" });
  assert.equal(bad.status, 400);
  const page = await bad.text();
  assert.match(page, /&quot;not an address&quot; is not an email address/);
  assert.match(page, /value="Kept Name"/);
  const none = await post({ t, email: "a@example.net" });
  assert.equal(none.status, 400);
  assert.match(await none.text(), /Choose at least one list/);
  const bot = await post({ t, email: "bot@example.net", lists: "articles", website: "http://spam" });
  assert.equal(bot.status, 200);
  assert.equal((await subscriptions()).length, 0);
  const forged = await post({ t: `${t}x`, email: "a@example.net", lists: "articles" });
  assert.equal(forged.status, 400);
  assert.match(await forged.text(), /The form had expired/);
  const cross = await post({ t, email: "a@example.net", lists: "articles" }, { origin: "https://evil.example" });
  assert.equal(cross.status, 403);
  const badLink = await app.request("/subscribe/confirm/nope.0.abc");
  assert.equal(badLink.status, 404);
  assert.match(await badLink.text(), /This confirmation link is not valid or has expired/);
  assert.equal((await app.request("/subscribe/confirm/nope.0.abc", { method: "POST" })).status, 404);
  assert.equal((await app.request("/unsubscribe/nope.0.abc", { method: "POST" })).status, 404);
  const statuses: number[] = [];
  for (let i = 0; i < 6; i++) statuses.push((await post({ t, email: `p${i}@example.net`, lists: "articles" })).status);
  assert.deepEqual(statuses, [200, 200, 200, 200, 200, 429]);
  assert.equal(statuses.at(-1), 429, "the 11th request within the hour is refused");
  assert.equal((await subscriptions()).length, 5, "stored requests are kept");
});

test("several public lists: a 'Lists' fieldset to tick them, none ticked at first", async () => {
  await createList(ctx, { slug: "articles", name: "New articles" });
  await createList(ctx, { slug: "notes", name: "Notes" });
  const form = await (await app.request("/subscribe")).text();
  assert.match(form, /<fieldset><legend>Lists<\/legend>/);
  assert.match(form, /<input type="checkbox" name="lists" value="articles">/);
  assert.match(form, /<input type="checkbox" name="lists" value="notes">/);
});
