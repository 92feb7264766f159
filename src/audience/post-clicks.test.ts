/**
 * The new-post email as subscribers get it (through a real SMTP sink): the site's masthead, the
 * post's cover, no tracking pixel, and links through the click redirect, counted per link and
 * send and shown on the post's email page.
 */
import assert from "node:assert/strict";
import { afterEach, beforeEach, test } from "node:test";
import { createApp } from "../app.ts";
import { signIn } from "../auth/testing.ts";
import { addCoverRow, savePost, saveTheme, systemActor } from "../content/testing.ts";
import type { TestContext } from "../lib/testing.ts";
import { closeWithSink, contextWithSink, deliverToSink, messageParts, type SmtpSink } from "../mail/testing.ts";
import { sendPost } from "./post-send.ts";
import { addSubscriber, createList } from "./service.ts";

let ctx: TestContext;
let sink: SmtpSink;
beforeEach(async () => {
  ({ ctx, sink } = await contextWithSink());
});
afterEach(() => closeWithSink(ctx, sink));

const addCover = () => addCoverRow(ctx, "cov1");

test("the new-post email: masthead, cover, no pixel; its links count clicks per send, shown on the email page", async () => {
  const app = await createApp(ctx);
  await createList(ctx, { slug: "articles", name: "New articles" });
  await addSubscriber(ctx, { email: "a@example.org", list: "articles", confirmed: true, source: "test" });
  const post = await savePost(ctx, systemActor, {
    title: "Credits & covers",
    slug: "credits",
    summary: "Why the sleeve matters",
    body: "Read [the about page](/about) and [elsewhere](https://other.example/x?a=1).",
    status: "published",
    themeIds: [(await saveTheme(ctx, { name: "Craft" })).id],
    coverMediaId: await addCover(),
    coverAlt: "A record sleeve & its notes",
  });
  const { sendId } = await sendPost(ctx, "credits", ["articles"]);
  await deliverToSink(ctx, sink);
  const { html, text } = messageParts(sink.received[0].raw);
  const base = ctx.config.baseUrl;
  const counted = (label: string) =>
    new RegExp(`href="${base.replace(/\./g, "\\.")}/e/([\\w.-]+)"[^>]*>${label}<`).exec(html)?.[1];

  // The site's masthead first, then the cover: absolute, a format every client shows, sized to the column.
  assert.match(
    html,
    /<p class="ln-masthead"[^>]*><a class="ln-title" href="[^"]+\/e\/[\w.-]+"[^>]*>Liner Notes<\/a><\/p>/,
  );
  assert.match(
    html,
    /<img src="http:\/\/127\.0\.0\.1:4321\/media\/cov1\.jpg" alt="A record sleeve &amp; its notes" width="600" height="338" style="display:block;width:100%;max-width:600px;height:auto;border:0">/,
  );
  assert.ok(html.indexOf("ln-masthead") < html.indexOf("cov1.jpg"));
  assert.equal((html.match(/<img /g) ?? []).length, 1, "no tracking pixel: the cover is the only image");
  assert.match(text, /Read it on the site: http:\/\/127\.0\.0\.1:4321\/e\/[\w.-]+/);

  const about = counted("the about page");
  const elsewhere = counted("elsewhere");
  assert.ok(about && elsewhere, "the body's links go through the click redirect");
  const go = (token: string, ua: string, method = "GET") =>
    app.request(`/e/${token}`, { method, headers: { "user-agent": ua } });
  const first = await go(about, "MailReader/1.0");
  assert.equal(first.status, 302);
  assert.equal(first.headers.get("location"), `${base}/about?ref=email`, "to our page, tagged");
  assert.equal((await go(elsewhere, "MailReader/1.0")).headers.get("location"), "https://other.example/x?a=1");
  await go(about, "MailReader/1.0"); // a repeat by the same client within the hour
  await go(about, "LinkChecker/1.0", "HEAD"); // previews and checkers follow without counting
  await go(about, "Browser/2.0");
  assert.equal((await app.request("/e/forged.0.token")).status, 404);
  const links = await ctx.db.kysely
    .selectFrom("post_email_links")
    .select(["url", "clicks", "send_id"])
    .where("send_id", "=", sendId)
    .execute();
  const clicksOf = (url: string) => links.find((l) => l.url === url)?.clicks;
  assert.equal(clicksOf(`${base}/about?ref=email`), 2);
  assert.equal(clicksOf("https://other.example/x?a=1"), 1);
  assert.equal(clicksOf(`${base}/posts/credits?ref=email`), 0);

  const owner = await signIn(ctx, app, { role: "owner" });
  const page = await (await owner.request(`/admin/posts/${post.id}/email`)).text();
  const row = [...page.matchAll(/<tr><td>[\s\S]*?<\/tr>/g)]
    .map((m) => m[0])
    .find((r) => r.includes(`send #${sendId}<`));
  assert.match(row ?? "", /<td class="clicks">3 clicks<\/td>/, "the send's row in the Sent before table");
  assert.match(page, /Opens are not tracked \(no tracking pixel\)/);
});

test("opens are off by default; ticked for one send on the email page, its image counts opens of that send only", async () => {
  const app = await createApp(ctx);
  await createList(ctx, { slug: "articles", name: "New articles" });
  await addSubscriber(ctx, { email: "a@example.org", list: "articles", confirmed: true, source: "test" });
  const post = await savePost(ctx, systemActor, {
    title: "Counting opens",
    slug: "opens",
    summary: "",
    body: "Text.",
    status: "published",
    themeIds: [(await saveTheme(ctx, { name: "Craft" })).id],
  });
  const owner = await signIn(ctx, app, { role: "owner" });
  const form = await (await owner.request(`/admin/posts/${post.id}/email`)).text();
  assert.match(
    form,
    /<input type="checkbox" name="countOpens" value="1"> Count opens of this send/,
    "offered, unticked",
  );
  const url = `/admin/posts/${post.id}/email`;
  const step = await (await owner.form(url, { lists: ["articles"], countOpens: "1" })).text();
  assert.match(step, /<input type="hidden" name="countOpens" value="1">/, "the confirmation carries the choice");
  await owner.form(url, { lists: ["articles"], confirm: "1" });
  await owner.form(url, { lists: ["articles"], countOpens: "1", confirm: "1" });
  await deliverToSink(ctx, sink);
  // The two sends may arrive in either order: one of them, the one asked to, carries the image.
  const htmls = sink.received.map((m) => messageParts(m.raw).html);
  const plain = htmls.filter((h) => !/\/e\/o\/|<img /.test(h));
  const counted = htmls.find((h) => /\/e\/o\//.test(h)) ?? "";
  assert.equal(plain.length, 1, "by default no tracking image");
  const pixel = /<img src="http:\/\/127\.0\.0\.1:4321(\/e\/o\/[\w.-]+)" alt="" width="1" height="1"/.exec(counted)?.[1];
  assert.ok(pixel, "the send with opens counted carries the image");
  const res = await app.request(pixel, { headers: { "user-agent": "MailApp/1.0" } });
  assert.equal(res.status, 200);
  assert.equal(res.headers.get("content-type"), "image/gif");
  await app.request(pixel, { headers: { "user-agent": "MailApp/1.0" } }); // the same client again
  await app.request(pixel, { headers: { "user-agent": "OtherApp/2.0" } });
  assert.equal((await app.request("/e/o/forged.0.token")).status, 404);
  const page = await (await owner.request(`/admin/posts/${post.id}/email`)).text();
  const rows = [...page.matchAll(/<tr><td>[\s\S]*?<\/tr>/g)].map((m) => m[0]);
  assert.equal(rows.length, 2);
  assert.equal(rows.filter((r) => /<td class="opens">2 opens<\/td>/.test(r)).length, 1, "one send counts opens");
  assert.equal(rows.filter((r) => /<td class="opens">not counted<\/td>/.test(r)).length, 1, "the other shows none");
});
