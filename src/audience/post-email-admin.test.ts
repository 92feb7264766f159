import assert from "node:assert/strict";
import { afterEach, beforeEach, test } from "node:test";
import { createApp } from "../app.ts";
import { signIn } from "../auth/testing.ts";
import { saveTheme } from "../content/testing.ts";
import { createTestContext, type TestContext } from "../lib/testing.ts";
import { deliverToSink, type SmtpSink, smtpSink } from "../mail/testing.ts";
import { addSubscriber, createList } from "./service.ts";

let ctx: TestContext;
let sink: SmtpSink;
let app: Awaited<ReturnType<typeof createApp>>;
beforeEach(async () => {
  sink = await smtpSink();
  ctx = await createTestContext();
  ctx.config.mail = { ...ctx.config.mail, smtpUrl: sink.url, from: "Ann <ann@example.com>" };
  app = await createApp(ctx);
});
afterEach(async () => {
  await ctx.cleanup();
  await sink.close();
});

const deliver = () => deliverToSink(ctx, sink);
const decoded = (raw: string) => raw.replace(/=\r?\n/g, "").replace(/=3D/g, "=");

test("publish leads to picking lists; a test goes to me only; the send goes to the ticked list and is marked sent", async () => {
  const themeId = (await saveTheme(ctx, { name: "Work" })).id;
  await createList(ctx, { slug: "articles", name: "New articles" });
  await createList(ctx, { slug: "team", name: "Team", isPublic: false });
  for (const email of ["a@example.org", "b@example.org"])
    await addSubscriber(ctx, { email, list: "articles", confirmed: true, source: "test" });
  await addSubscriber(ctx, { email: "t@example.org", list: "team", confirmed: true, source: "test" });
  const editor = await signIn(ctx, app, { role: "editor", email: "ed@example.com" });
  const res = await editor.form("/admin/posts/new", {
    title: "Forwarded to the right director",
    kind: "article",
    slug: "",
    summary: "How a post travels",
    body: "A post that **travels**.",
    themeIds: [String(themeId)],
    action: "publish",
  });
  assert.equal(res.status, 303);
  const location = res.headers.get("location") ?? "";
  const id = Number(/\/admin\/posts\/(\d+)\/email\?msg=published$/.exec(location)?.[1]);
  assert.ok(id, `publishing leads to the email page, got ${location}`);
  const pick = await (await editor.request(location)).text();
  assert.match(pick, /Published\. Email it to your lists\?/);
  assert.match(pick, /New articles<\/strong> \(2 confirmed\)/);
  assert.match(pick, /Team<\/strong> \(1 confirmed, private\)/);

  // The test goes to the signed-in editor only, with [Test] in the subject.
  const test = await editor.form(`/admin/posts/${id}/email/test`, { lists: ["articles"] });
  assert.equal(test.status, 303, "redirected, so a reload sends nothing more");
  const after = await (await editor.request(test.headers.get("location") ?? "")).text();
  assert.match(after, /A test is on its way to ed@example.com\.</, "SMTP is set: nothing more to say");
  // Without SMTP_URL the notice says the message waits in the outbox.
  const smtpUrl = ctx.config.mail.smtpUrl;
  ctx.config.mail.smtpUrl = undefined;
  const waiting = await (await editor.request(test.headers.get("location") ?? "")).text();
  assert.match(
    waiting,
    /A test is on its way to ed@example.com\. Email is not set up yet \(SMTP_URL\), so it waits in the outbox/,
  );
  ctx.config.mail.smtpUrl = smtpUrl;
  assert.match(after, /<h1>Email “Forwarded to the right director”<\/h1>/);
  await deliver();
  assert.deepEqual(
    sink.received.map((m) => m.to),
    [["ed@example.com"]],
  );
  assert.match(sink.received[0].headers.get("subject") ?? "", /^\[Test\] Forwarded to the right director$/);
  const testUnsub = /^<(.+)>$/.exec(sink.received[0].headers.get("list-unsubscribe") ?? "")?.[1] ?? "";
  assert.equal(testUnsub, `${ctx.config.baseUrl}/unsubscribe/test-message`);
  const oneClick = await app.request(new URL(testUnsub).pathname, { method: "POST" });
  assert.match(await oneClick.text(), /This was a test message/);

  // Without the CSRF token nothing is sent.
  const forged = await editor.form(`/admin/posts/${id}/email`, { lists: ["articles"], confirm: "1" }, { csrf: false });
  assert.equal(forged.status, 403);
  // "Send now" asks once, with the number of recipients; the page's Send button sends.
  const ask = await editor.form(`/admin/posts/${id}/email`, { lists: ["articles"] });
  assert.equal(ask.status, 200);
  const askPage = await ask.text();
  assert.match(askPage, /Send to 2 subscribers of New articles\?/);
  assert.match(
    askPage,
    /<input type="hidden" name="lists" value="articles">\s*<input type="hidden" name="confirm" value="1">/,
  );
  assert.match(askPage, new RegExp(`<a class="button" href="/admin/posts/${id}/email\\?lists=articles">Back</a>`));
  await deliver();
  assert.equal(sink.received.length, 1, "asking sends nothing");
  const sent = await editor.form(`/admin/posts/${id}/email`, { lists: ["articles"], confirm: "1" });
  assert.equal(sent.status, 303);
  assert.match(sent.headers.get("location") ?? "", /^\/admin\/mail\?msg=sent&send=\d+&n=2$/);
  await deliver();
  const got = sink.received.slice(1);
  assert.deepEqual(got.map((m) => m.to[0]).sort(), ["a@example.org", "b@example.org"]);
  const body = decoded(got[0].raw);
  assert.match(body, /\/preferences\/[A-Za-z0-9_-]+\.0\.[A-Za-z0-9_-]+/, "every email carries a preferences link");
  assert.match(body, /href="http:\/\/127\.0\.0\.1:4321\/e\/[\w.-]+"/, "links are counted (post-clicks.test.ts)");
  assert.match(decoded(sink.received[0].raw), /ref=email/, "a test's links are not counted");

  // Back on the page, the list that got it is marked and not ticked again.
  const again = await (await editor.request(`/admin/posts/${id}/email`)).text();
  assert.match(
    again,
    /value="articles"> <strong>New articles<\/strong> \(2 confirmed\)<\/label> <em>already sent this post<\/em>/,
  );
  assert.match(again, /value="team" checked>/);
  // Choosing nothing comes back to the form, the message beside the lists, nothing ticked.
  const none = await editor.form(`/admin/posts/${id}/email`, {});
  assert.equal(none.status, 422);
  const noneText = await none.text();
  assert.match(noneText, /<p class="field-error" id="send-lists-error">Choose at least one list\.<\/p>/);
  assert.match(noneText, /value="team"> <strong>Team/, "the boxes as they were sent");
  assert.doesNotMatch(noneText, /Back to the admin/);
});

test("authors cannot email subscribers; with no lists, publishing returns to the editor", async () => {
  const themeId = (await saveTheme(ctx, { name: "Work" })).id;
  const owner = await signIn(ctx, app, { role: "owner" });
  const res = await owner.form("/admin/posts/new", {
    title: "No lists yet",
    kind: "article",
    slug: "",
    summary: "",
    body: "Text",
    themeIds: [String(themeId)],
    action: "publish",
  });
  const page = await owner.request(res.headers.get("location") ?? "");
  assert.equal(page.status, 303);
  assert.match(page.headers.get("location") ?? "", /^\/admin\/posts\/\d+\?msg=published$/);
  const author = await signIn(ctx, app, { role: "author" });
  const id = /\/admin\/posts\/(\d+)/.exec(res.headers.get("location") ?? "")?.[1];
  assert.equal((await author.request(`/admin/posts/${id}/email`)).status, 403);
});

test("one list starts ticked; a list without confirmed subscribers is named before sending", async () => {
  const themeId = (await saveTheme(ctx, { name: "Work" })).id;
  await createList(ctx, { slug: "articles", name: "New articles" });
  const owner = await signIn(ctx, app, { role: "owner" });
  const res = await owner.form("/admin/posts/new", {
    title: "Quiet start",
    kind: "article",
    slug: "",
    summary: "",
    body: "Text",
    themeIds: [String(themeId)],
    action: "publish",
  });
  const pick = await (await owner.request(res.headers.get("location") ?? "")).text();
  assert.match(pick, /value="articles" checked> <strong>New articles<\/strong> \(0 confirmed\)/);
  assert.match(
    pick,
    /id="send-lists-empty">“New articles” has no confirmed subscribers yet: nobody on it would get this email\./,
  );
  const id = /\/admin\/posts\/(\d+)/.exec(res.headers.get("location") ?? "")?.[1];
  const ask = await (await owner.form(`/admin/posts/${id}/email`, { lists: ["articles"] })).text();
  assert.match(ask, /Send to 0 subscribers of New articles\?/);
  assert.match(ask, /“New articles” has no confirmed subscribers: nobody on it would get this\./);
});

test("pre-ticked: lists with confirmed subscribers that have not had the post; history is a table", async () => {
  const themeId = (await saveTheme(ctx, { name: "Work" })).id;
  await createList(ctx, { slug: "articles", name: "New articles" });
  await createList(ctx, { slug: "team", name: "Team", isPublic: false });
  await createList(ctx, { slug: "board", name: "Board", isPublic: false });
  await addSubscriber(ctx, { email: "a@example.org", list: "articles", confirmed: true, source: "test" });
  await addSubscriber(ctx, { email: "p@example.org", list: "board", confirmed: false, source: "test" });
  const editor = await signIn(ctx, app, { role: "editor", email: "ed@example.com" });
  const res = await editor.form("/admin/posts/new", {
    title: "Three lists",
    kind: "article",
    slug: "",
    summary: "",
    body: "Text",
    themeIds: [String(themeId)],
    action: "publish",
  });
  const location = res.headers.get("location") ?? "";
  const id = /\/admin\/posts\/(\d+)\/email/.exec(location)?.[1];
  const tickedIn = (page: string) => [...page.matchAll(/name="lists" value="([\w-]+)" checked>/g)].map((m) => m[1]);

  const pick = await (await editor.request(location)).text();
  assert.deepEqual(tickedIn(pick), ["articles"], "the empty private lists are not ticked");
  assert.match(
    pick,
    new RegExp(
      `<div class="actions"><button type="submit" formaction="/admin/posts/${id}/email/test">Send a test to me</button>\\s*<button type="submit" class="primary">Send now</button>\\s*<a href="/admin/posts/${id}">Not now</a></div>`,
    ),
  );
  assert.doesNotMatch(pick, /Sent before/);

  await editor.form(`/admin/posts/${id}/email/test`, {});
  assert.equal((await editor.form(`/admin/posts/${id}/email`, { lists: ["articles"], confirm: "1" })).status, 303);
  const later = await (await editor.request(`/admin/posts/${id}/email`)).text();
  assert.deepEqual(tickedIn(later), [], "the list that had it and the empty ones stay unticked");
  assert.match(later, /<table class="list" aria-labelledby="sent-before">/);
  assert.doesNotMatch(later, /<\/table>\s*\}/, "no stray brace after the history");
  assert.match(
    later,
    /<th scope="col">Date<\/th><th scope="col">Lists<\/th><th scope="col">Recipients<\/th><th scope="col">Clicks<\/th><th scope="col">Opens<\/th>/,
  );
  assert.match(
    later,
    /<td>\d{4}-\d\d-\d\d \d\d:\d\d UTC<\/td><td>New articles<\/td><td>1<\/td>\s*<td class="clicks">0 clicks<\/td>/,
  );
  assert.match(later, /<td>Test message<\/td><td>1<\/td>/);
  assert.match(later, /<a href="\/admin\/mail#sends">Progress<span class="visually-hidden"> of send #\d+<\/span><\/a>/);
  assert.doesNotMatch(later, /<li>#\d+ send/);

  // A list that gains a confirmed subscriber is ticked; a problem keeps what was submitted.
  await addSubscriber(ctx, { email: "t@example.org", list: "team", confirmed: true, source: "test" });
  assert.deepEqual(tickedIn(await (await editor.request(`/admin/posts/${id}/email`)).text()), ["team"]);
  const bad = await editor.form(`/admin/posts/${id}/email`, { lists: ["board", "nope"] });
  assert.equal(bad.status, 422);
  assert.deepEqual(tickedIn(await bad.text()), ["board"]);
});
