import assert from "node:assert/strict";
import { afterEach, beforeEach, test } from "node:test";
import { createApp } from "../app.ts";
import { createUser, signIn } from "../auth/testing.ts";
import { publishedPost } from "../content/testing.ts";
import { createTestContext, type TestContext } from "../lib/testing.ts";
import { deliverToSink, type SmtpSink, smtpSink } from "../mail/testing.ts";

let ctx: TestContext;
let sink: SmtpSink;
let app: Awaited<ReturnType<typeof createApp>>;
beforeEach(async () => {
  sink = await smtpSink();
  ctx = await createTestContext();
  ctx.config.mail = { ...ctx.config.mail, smtpUrl: sink.url, from: "Site <site@example.com>" };
  ctx.setNow(new Date("2026-03-01T10:00:00Z"));
  app = await createApp(ctx);
});
afterEach(async () => {
  await ctx.cleanup();
  await sink.close();
});

const later = (ms: number) => ctx.setNow(new Date(ctx.now().getTime() + ms));
const deliver = () => deliverToSink(ctx, sink);
/** The quoted-printable body of a received message as text. */
const decodeQp = (raw: string) =>
  Buffer.from(
    raw
      .replace(/=\r?\n/g, "")
      .replace(/=([0-9A-F]{2})/g, (_m, hex: string) => String.fromCharCode(Number.parseInt(hex, 16))),
    "latin1",
  ).toString("utf8");
const hidden = (page: string, name: string) => new RegExp(`name="${name}" value="([^"]*)"`).exec(page)?.[1];

/** GET the form like a visitor and return its hidden fields. */
async function open(query = "", headers: Record<string, string> = {}) {
  const res = await app.request(`/work-with-me${query}`, { headers });
  assert.equal(res.status, 200);
  const page = await res.text();
  return {
    res,
    page,
    t: hidden(page, "t") ?? "",
    source_page: hidden(page, "source_page") ?? "",
    referrer: hidden(page, "referrer") ?? "",
  };
}
const post = (fields: Record<string, string>, headers: Record<string, string> = {}) =>
  app.request("/work-with-me", {
    method: "POST",
    body: new URLSearchParams(fields),
    headers: { "content-type": "application/x-www-form-urlencoded", ...headers },
  });
const inquiries = () => ctx.db.kysely.selectFrom("inquiries").selectAll().orderBy("id").execute();
const outbox = () => ctx.db.kysely.selectFrom("outbox").selectAll().execute();
const GOOD = { name: "Rea Der", email: "Rea@Example.net", topic: "Speaking", message: "Could you give a talk?" };

test("an inquiry is kept with its page and referrer and emailed to the owner with Reply-To; never to the visitor", async () => {
  await createUser(ctx, { email: "owner@example.com", role: "owner", password: "correct horse battery" });
  await createUser(ctx, { email: "editor@example.com", role: "editor", password: "correct horse battery" });
  const form = await open("?from=/posts/hello", { referer: "https://social.example/@ann/42" });
  assert.equal(form.res.headers.get("cache-control"), "no-store", "the token must be fresh");
  assert.match(form.page, /<h1>Work with me<\/h1>/);
  assert.match(form.page, /Tell me a little about it/, "the default intro");
  assert.deepEqual([form.source_page, form.referrer], ["/posts/hello", "https://social.example/@ann/42"]);

  const fields = {
    ...GOOD,
    message: "Could you give a talk?\n\n<script>alert(1)</script> about {{reply_to}} templates",
    t: form.t,
    source_page: form.source_page,
    referrer: form.referrer,
  };
  const tooFast = await post(fields);
  assert.equal(tooFast.status, 200);
  const again = await tooFast.text();
  assert.match(again, /One more step: press Send/, "sent faster than a person types: shown again, filled in");
  assert.match(again, /value="Rea Der"/);
  assert.equal((await inquiries()).length, 0, "sent faster than a person types: nothing stored yet");
  assert.equal((await outbox()).length, 0, "and nothing sent");

  later(5000);
  const res = await post(fields);
  assert.equal(res.status, 200);
  assert.match(await res.text(), /Thank you, your message is on its way/);
  const [row] = await inquiries();
  assert.deepEqual(
    [row.name, row.email, row.topic, row.source_page, row.referrer, row.status, row.created_at],
    [
      "Rea Der",
      "rea@example.net",
      "Speaking",
      "/posts/hello",
      "https://social.example/@ann/42",
      "new",
      "2026-03-01T10:00:05.000Z",
    ],
  );
  assert.equal(row.message, fields.message);

  await deliver();
  assert.equal(sink.received.length, 1, "one message: to the owner only");
  const mail = sink.received[0];
  assert.deepEqual(mail.to, ["owner@example.com"]);
  assert.equal(mail.headers.get("reply-to"), "rea@example.net");
  assert.equal(mail.headers.get("subject"), "Work with me: Rea Der (Speaking)");
  const body = decodeQp(mail.raw);
  for (const s of [
    "Rea Der",
    "rea@example.net",
    "Speaking",
    "Could you give a talk?",
    `${ctx.config.baseUrl}/posts/hello`,
    "https://social.example/@ann/42",
  ])
    assert.ok(body.includes(s), `the email carries ${s}`);
  assert.ok(body.includes("&lt;script&gt;alert(1)&lt;/script&gt;"), "the visitor's text is escaped in the HTML part");
  assert.ok(
    body.includes("&lt;script&gt;alert(1)&lt;/script&gt; about {{reply_to}} templates"),
    "placeholders in the visitor's text stay inert: sent as typed (HTML part)",
  );
  assert.ok(body.includes("<script>alert(1)</script> about {{reply_to}} templates"), "and in the text part");
  assert.ok(!body.includes("about rea@example.net"), "and are not filled in");
  assert.ok(!sink.received.some((m) => m.to.includes("rea@example.net")), "nothing goes to the typed address");
});

test("the source page comes from a same-site `from` or Referer; anything else is dropped, also when forged", async () => {
  const viaReferer = await open("?from=https://evil.example/x", { referer: "http://127.0.0.1:4321/posts/other?x=1" });
  assert.deepEqual([viaReferer.source_page, viaReferer.referrer], ["/posts/other?x=1", ""]);
  const viaEmail = await open("?from=//evil.example/x&ref=email");
  assert.deepEqual([viaEmail.source_page, viaEmail.referrer], ["/work-with-me", "ref=email"]);
  const absolute = await open("?from=http%3A%2F%2F127.0.0.1%3A4321%2Fposts%2Fa", { referer: "javascript:alert(1)" });
  assert.deepEqual([absolute.source_page, absolute.referrer], ["/posts/a", ""]);
  const quoted = await open(`?from=/posts/a"><script>x</script>`);
  assert.doesNotMatch(quoted.page, /<script>x/, "never echoed as HTML");

  later(5000);
  const res = await post({ ...GOOD, t: viaEmail.t, source_page: "///evil.example/", referrer: "javascript:alert(1)" });
  assert.equal(res.status, 200);
  const [row] = await inquiries();
  assert.deepEqual([row.source_page, row.referrer], ["/work-with-me", ""]);
  assert.equal((await outbox()).length, 0, "no owner account yet: stored, nothing sent");
});

test("bad input is a 400 naming the field with the form kept; honeypot, forged tokens and other sites are refused", async () => {
  const { t } = await open("?from=/posts/hello");
  later(5000);
  const cases: [Record<string, string>, string, RegExp][] = [
    [{ name: " " }, "name", /Please enter your name\./],
    [{ name: "x".repeat(201) }, "name", /Your name is too long/],
    [{ email: "" }, "email", /Please enter your email address\./],
    [{ email: "not an address" }, "email", /&quot;not an address&quot; is not an email address/],
    [{ topic: "y".repeat(201) }, "topic", /The topic is too long/],
    [{ message: "\n  " }, "message", /Please write a message\./],
    [{ message: "z".repeat(10_001) }, "message", /The message is too long/],
  ];
  for (const [change, field, message] of cases) {
    const res = await post({ ...GOOD, ...change, t, source_page: "/posts/hello", referrer: "" });
    assert.equal(res.status, 400, field);
    const page = await res.text();
    assert.match(page, message);
    assert.match(page, new RegExp(`name="${field}"[^>]*aria-invalid="true"`), `${field} is marked`);
    assert.match(page, /name="source_page" value="\/posts\/hello"/, "the attribution is kept");
    if (field !== "name") assert.match(page, /value="Rea Der"/, "the form is kept");
    assert.doesNotMatch(page, /at .*\.ts:\d+/, "no stack trace");
  }
  // A new hour: the rate limit (10 posts an hour, counted for every post) starts again.
  later(3600_000);
  const bot = await post({ ...GOOD, t, website: "http://spam.example" });
  assert.equal(bot.status, 200);
  assert.match(await bot.text(), /Thank you/);
  const forged = await post({ ...GOOD, t: `${t}x` });
  assert.equal(forged.status, 400);
  assert.match(await forged.text(), /The form had expired/);
  const noToken = await post({ ...GOOD });
  assert.equal(noToken.status, 200);
  assert.match(await noToken.text(), /One more step: press Send/);
  const cross = await post({ ...GOOD, t }, { origin: "https://evil.example" });
  assert.equal(cross.status, 403);
  assert.equal((await inquiries()).length, 0, "none of these stored anything");
  assert.equal((await outbox()).length, 0);
  const long = await post({ ...GOOD, t, message: "日本語".repeat(3334) });
  assert.equal(long.status, 400, "10,000 characters of Japanese fit the body limit; the length check answers");
  assert.match(await long.text(), /日本語日本語/, "and what was typed is kept");
  const huge = await post({ ...GOOD, t, message: "z".repeat(300_000) });
  assert.equal(huge.status, 413);
});

test("a flood from one address is refused with 429 after ten posts an hour; what was stored stays", async () => {
  const { t } = await open();
  later(5000);
  const statuses: number[] = [];
  for (let i = 0; i < 11; i++) statuses.push((await post({ ...GOOD, email: `p${i}@example.net`, t })).status);
  assert.deepEqual(statuses, [...Array(10).fill(200), 429]);
  assert.equal((await inquiries()).length, 10);
  later(3600_000 + 1000);
  assert.equal((await post({ ...GOOD, t: (await open()).t })).status, 200, "an hour later the form works again");
});

test("the admin lists inquiries newest first with their page and referrer, marks them answered; others are refused", async () => {
  const owner = await signIn(ctx, app, { email: "owner@example.com" });
  const first = await open("?from=/posts/one", { referer: "https://news.example/item?id=1" });
  later(5000);
  await post({
    ...GOOD,
    name: "First <b>Person</b>",
    t: first.t,
    source_page: first.source_page,
    referrer: first.referrer,
  });
  const second = await open("", { referer: "http://127.0.0.1:4321/posts/two" });
  later(5000);
  await post({
    ...GOOD,
    name: "Second Person",
    t: second.t,
    source_page: second.source_page,
    referrer: second.referrer,
  });

  let page = await (await owner.request("/admin/inquiries")).text();
  assert.match(page, /2 not answered yet/);
  const a = page.indexOf("Second Person");
  const b = page.indexOf("First &lt;b&gt;Person&lt;/b&gt;");
  assert.ok(a > 0 && b > a, "newest first, and escaped");
  assert.match(page, /<a href="\/posts\/one">\/posts\/one<\/a>/);
  assert.match(page, /https:\/\/news\.example\/item\?id=1/);
  assert.match(page, /<a href="\/posts\/two">/);

  const [one] = await inquiries();
  const refused = await owner.form(`/admin/inquiries/${one.id}/status`, { status: "answered" }, { csrf: false });
  assert.equal(refused.status, 403, "no CSRF token, no change");
  const done = await owner.form(`/admin/inquiries/${one.id}/status`, { status: "answered" });
  assert.equal(done.status, 303);
  assert.equal(done.headers.get("location"), "/admin/inquiries?msg=answered");
  assert.equal((await inquiries())[0].status, "answered");
  page = await (await owner.request("/admin/inquiries?msg=answered")).text();
  assert.match(page, /Marked as answered\./);
  assert.match(page, /1 not answered yet/);
  assert.equal((await owner.form(`/admin/inquiries/${one.id}/status`, { status: "spam" })).status, 400);
  assert.equal((await owner.form("/admin/inquiries/99999/status", { status: "answered" })).status, 404);

  const saved = await owner.form("/admin/inquiries/intro", { intro: "Booking talks for autumn.\n\nWrite <soon>." });
  assert.equal(saved.status, 303);
  const pub = await (await app.request("/work-with-me")).text();
  assert.match(pub, /<p class="intro">Booking talks for autumn\.<\/p>\s*<p class="intro">Write &lt;soon&gt;\.<\/p>/);
  assert.equal((await owner.form("/admin/inquiries/intro", { intro: "x".repeat(2001) })).status, 400);

  const editor = await signIn(ctx, app, { role: "editor" });
  assert.equal((await editor.request("/admin/inquiries")).status, 200);
  const author = await signIn(ctx, app, { role: "author" });
  assert.equal((await author.request("/admin/inquiries")).status, 403);
  assert.equal((await author.form(`/admin/inquiries/${one.id}/status`, { status: "new" })).status, 403);
  assert.equal((await inquiries())[0].status, "answered", "the author changed nothing");
  const anonymous = await app.request("/admin/inquiries");
  assert.equal(anonymous.status, 303);
  assert.match(anonymous.headers.get("location") ?? "", /^\/login/);
});

test("the site footer links to the form", async () => {
  const home = await (await app.request("/")).text();
  assert.match(home, /<a href="\/work-with-me">Work with me<\/a>/);
});

test("an inquiry sent after reading a post is an outcome credited to that post (the insights module keeps it)", async () => {
  const hello = await publishedPost(ctx, "hello");
  const form = await open("?from=/posts/hello");
  later(5000);
  const res = await post({ ...GOOD, t: form.t, source_page: form.source_page, referrer: form.referrer });
  assert.match(await res.text(), /Thank you/);
  const outcomes = await ctx.db.kysely.selectFrom("insight_outcomes").select(["kind", "post_id"]).execute();
  assert.deepEqual(outcomes, [{ kind: "inquiry", post_id: hello.id }]);
});
