import assert from "node:assert/strict";
import { afterEach, beforeEach, test } from "node:test";
import type { Hono } from "hono";
import { signIn } from "../auth/testing.ts";
import type { AppEnv } from "../lib/http/env.ts";
import { createTestContext, type TestContext } from "../lib/testing.ts";
import { postWithApp, sendComment } from "./testing.ts";

let ctx: TestContext;
let app: Hono<AppEnv>;
let postId: number;
beforeEach(async () => {
  ctx = await createTestContext();
  ({ app, postId } = await postWithApp(ctx));
});
afterEach(() => ctx.cleanup());

const items = () => ctx.db.kysely.selectFrom("conversation_items").selectAll().orderBy("id").execute();
const outbox = () => ctx.db.kysely.selectFrom("outbox").select(["to_email", "subject", "text"]).orderBy("id").execute();
const page = async (path = "/posts/hello") => (await app.request(path)).text();
/** The commenter cookie a response set, as a Cookie header. */
const cookieOf = (res: Response) => (res.headers.get("set-cookie") ?? "").split(";")[0];
const comment = (fields: Record<string, string>, headers: Record<string, string> = {}) =>
  sendComment(ctx, app, { post_id: String(postId), name: "Ana", text: "Good point.", ...fields }, headers);

test("the post page has the form, the Webmention endpoint in a Link header and a <link>, and no comments yet", async () => {
  const res = await app.request("/posts/hello");
  assert.match(res.headers.get("link") ?? "", /(^|, )<http:\/\/127\.0\.0\.1:4321\/webmention>; rel="webmention"(,|$)/);
  const html = await res.text();
  assert.match(html, /<link rel="webmention" href="http:\/\/127.0.0.1:4321\/webmention">/);
  assert.match(html, /<form method="post" action="\/comments" class="comment-form"/);
  assert.match(html, /name="post_id" value="\d+"/);
  // Inside the post's h-entry, so the comments are its u-comment.
  assert.ok(html.indexOf('id="comments"') < html.indexOf("</article>"));
});

test("a first comment is held, its writer asked to confirm; approved, it shows as an h-cite; the next one publishes at once", async () => {
  const res = await comment({
    email: "Ana@Example.org",
    url: "ana.example",
    text: "Good *point*.\n\n<script>x</script>",
  });
  assert.equal(res.status, 200);
  const anaCookie = cookieOf(res);
  assert.match(anaCookie, /^ln_commenter=/);
  const body = await res.text();
  assert.match(body, /waiting for the author/);
  const edit = /href="\/comments\/edit\/([^"]+)"/.exec(body)?.[1];
  assert.ok(edit, "an edit link is offered");
  const [held] = await items();
  assert.equal(held.status, "pending");
  assert.equal(held.author_url, "https://ana.example");
  assert.equal(held.author_email, "ana@example.org");
  assert.doesNotMatch(held.html, /<script/);
  assert.match(held.html, /<em>point<\/em>/);
  assert.doesNotMatch(await page(), /Good/, "held: not on the page");
  const mails = await outbox();
  assert.equal(mails.length, 1);
  assert.equal(mails[0].to_email, "ana@example.org");
  const confirm = /\/comments\/confirm\/([\w.-]+)/.exec(mails[0].text ?? "")?.[1];
  assert.ok(confirm);
  assert.equal((await app.request(`/comments/confirm/${confirm}`)).status, 200);
  assert.ok((await items())[0].confirmed_at, "confirmed: first in the queue, still held");
  assert.equal((await items())[0].status, "pending");

  const owner = await signIn(ctx, app, { role: "owner" });
  const inbox = await (await owner.request("/admin/conversations")).text();
  assert.match(inbox, /address confirmed/);
  assert.match(inbox, new RegExp(`<option value="${postId}">Hello \\(1\\)</option>`), "the filter by post");
  const bySource = await (await owner.request("/admin/conversations?status=all&source=ana.example")).text();
  assert.match(bySource, /Ana<\/a><\/strong>/);
  const byOther = await (await owner.request("/admin/conversations?status=all&source=nobody.example")).text();
  assert.match(byOther, /Nothing here/);
  const done = await owner.form("/admin/conversations/bulk", {
    action: "approve",
    id: String(held.id),
    back: "/admin/conversations",
  });
  assert.equal(done.status, 303);
  const html = await page();
  assert.match(html, new RegExp(`<li class="u-comment h-cite comment" id="comment-${held.id}">`));
  assert.match(html, /<a class="p-author h-card" href="https:\/\/ana.example" rel="nofollow ugc">Ana<\/a>/);
  assert.doesNotMatch(html, /ana@example.org/, "the address is never shown");
  assert.match(await page("/"), /1 comment/, "the count in the listing");

  // Someone else typing Ana's address is held: the address alone proves nothing.
  const impostor = await comment({ name: "Not Ana", email: "ANA@example.org", text: "Buy things." });
  assert.match(await impostor.text(), /waiting for the author/);
  assert.equal((await items())[1].status, "pending");
  // And the cookie their held comment got them proves nothing either.
  const again1 = await comment(
    { name: "Not Ana", email: "ana@example.org", text: "Buy more things." },
    { cookie: cookieOf(impostor) },
  );
  assert.match(await again1.text(), /waiting for the author/);
  await ctx.db.kysely.deleteFrom("conversation_items").where("author_name", "=", "Not Ana").execute();
  // Ana herself (her cookie) publishes at once.
  const again = await comment({ email: "ana@example.org", text: "And another thing." }, { cookie: anaCookie });
  assert.match(await again.text(), /Your comment is published/);
  assert.equal((await items())[1].status, "approved");
  assert.match(await page(), /And another thing/);
});

test("with JavaScript the form posts in place: JSON with the comment's HTML, or the error and a fresh token", async () => {
  const owner = await signIn(ctx, app, { role: "owner", email: "owner@example.com" });
  await owner.form("/admin/conversations/settings", {
    comments: "on",
    closeAfterDays: "0",
    words: "",
    domains: "",
    addresses: "",
  });
  const bo = cookieOf(await comment({ email: "bo@example.org", name: "Bo" }));
  await owner.form("/admin/conversations/bulk", { action: "approve", id: String((await items())[0].id) });
  const res = await comment(
    { email: "bo@example.org", name: "Bo", text: "In place." },
    { accept: "application/json", cookie: bo },
  );
  assert.equal(res.status, 200);
  const j = (await res.json()) as { ok: boolean; status: string; html: string; token: string; heading: string };
  assert.equal(j.ok, true);
  assert.equal(j.heading, "2 comments", "the heading's new count");
  assert.equal(j.status, "approved");
  assert.match(j.html, /u-comment h-cite/);
  assert.ok(j.token);
  const bad = await comment({ text: "" }, { accept: "application/json" });
  assert.equal(bad.status, 400);
  const e = (await bad.json()) as { ok: boolean; message: string; field: string };
  assert.deepEqual([e.ok, e.field], [false, "text"]);
  assert.match(e.message, /empty/);
});

test("bad comments get a clear 400 and keep what was typed; bots and blocked words store nothing visible", async () => {
  const long = await comment({ text: "x".repeat(5001) });
  assert.equal(long.status, 400);
  assert.match(await long.text(), /at most 5000 characters/i);
  const links = await comment({
    text: "a https://a.example b https://b.example c https://c.example d https://d.example",
  });
  assert.equal(links.status, 400);
  const linkPage = await links.text();
  assert.match(linkPage, /at most 3 links/i);
  assert.match(linkPage, /d https:\/\/d.example<\/textarea>/, "what was typed is kept");
  const bot = await comment({ website: "http://spam.example", text: "buy" });
  assert.equal(bot.status, 200);
  assert.equal((await items()).length, 0, "the honeypot: nothing stored");
  const replay = await comment({ email: "c@example.org", text: "Once." });
  assert.equal(replay.status, 200);
  const twice = await comment({ email: "c@example.org", text: "Once." });
  assert.equal(twice.status, 400);
  assert.match(await twice.text(), /already sent this comment/i);
  const owner = await signIn(ctx, app, { role: "owner" });
  await owner.form("/admin/conversations/settings", {
    comments: "on",
    closeAfterDays: "0",
    words: "casino",
    domains: "spam.example",
    addresses: "",
  });
  await comment({ text: "Best CASINO here" });
  await comment({ text: "see spam.example/offer" });
  assert.deepEqual(
    (await items()).map((i) => i.status),
    ["pending", "spam", "spam"],
  );
  const stale = await app.request("/comments", {
    method: "POST",
    body: new URLSearchParams({ post_id: String(postId), name: "x", text: "y", t: "forged.0.token" }),
    headers: { "content-type": "application/x-www-form-urlencoded" },
  });
  assert.equal(stale.status, 400);
  assert.match(await stale.text(), /expired/);
});

test("too many comments from one address get 429; closed comments get 403", async () => {
  for (let i = 0; i < 30; i++) await comment({ text: `Comment ${i}` });
  const over = await comment({ text: "one more" });
  assert.equal(over.status, 429);
  const owner = await signIn(ctx, app, { role: "owner" });
  await owner.form("/admin/conversations/settings", {
    comments: "on",
    closeAfterDays: "3",
    words: "",
    domains: "",
    addresses: "",
  });
  ctx.setNow(new Date("2026-03-05T10:00:00Z"));
  const closed = await comment({ text: "late" }, { "x-forwarded-for": "x" });
  assert.ok([403, 429].includes(closed.status));
  assert.match(await page(), /Comments on this post are closed/);
});

test("a commenter edits and deletes within 15 minutes, not after", async () => {
  const res = await comment({ text: "Typo hre." });
  const edit = /\/comments\/edit\/([^"]+)"/.exec(await res.text())?.[1] as string;
  const saved = await app.request(`/comments/edit/${edit}`, {
    method: "POST",
    body: new URLSearchParams({ text: "Typo here." }),
    headers: { "content-type": "application/x-www-form-urlencoded" },
  });
  assert.equal(saved.status, 200, "held: a page says it is saved (the post does not show it yet)");
  assert.match(await saved.text(), /Your changes are saved/);
  assert.equal((await items())[0].text, "Typo here.");
  ctx.setNow(new Date(ctx.now().getTime() + 16 * 60_000));
  const late = await app.request(`/comments/delete/${edit}`, { method: "POST" });
  assert.equal(late.status, 403);
  assert.match(await late.text(), /15 minutes/);
  assert.equal((await items()).length, 1);
});

test("the owner replies inline: threaded, marked as the author's, and the commenter who asked is told, with one-click stop", async () => {
  await comment({ email: "dee@example.org", name: "Dee", notify: "1" });
  const [first] = await items();
  const owner = await signIn(ctx, app, { role: "owner", name: "Olga Owner" });
  const r = await owner.form(`/admin/conversations/${first.id}/reply`, { text: "Thanks, Dee!" });
  assert.equal(r.status, 303);
  const all = await items();
  assert.equal(all[0].status, "approved", "answering approves");
  assert.deepEqual([all[1].parent_id, all[1].owner_reply, all[1].status], [first.id, 1, "approved"]);
  const html = await page();
  assert.match(html, /<ol class="replies"><li class="u-comment h-cite comment comment-owner"/);
  assert.match(html, /Olga Owner<\/a> <span class="badge">Author<\/span>/);
  const notice = (await outbox()).find((m) => m.subject?.includes("replied to your comment"));
  assert.ok(notice);
  assert.equal(notice.to_email, "dee@example.org");
  const stop = /\/comments\/unsubscribe\/([\w.-]+)/.exec(notice.text ?? "")?.[1] as string;
  assert.equal((await app.request(`/comments/unsubscribe/${stop}`)).status, 200);
  assert.equal((await items())[0].notify_replies, 1, "a GET changes nothing");
  await app.request(`/comments/unsubscribe/${stop}`, { method: "POST" });
  assert.equal((await items())[0].notify_replies, 0);
});

test("a comment drops only its post's page from the cache; the feeds list approved comments", async () => {
  await app.request("/posts/hello");
  await app.request("/themes");
  assert.ok(ctx.cache.get("/posts/hello") && ctx.cache.get("/themes"));
  await comment({ text: "Cache me" });
  const [c] = await items();
  const owner = await signIn(ctx, app, { role: "owner" });
  await owner.form("/admin/conversations/bulk", { action: "approve", id: String(c.id) });
  assert.equal(ctx.cache.get("/posts/hello"), undefined, "the post's page is dropped");
  assert.ok(ctx.cache.get("/themes"), "other pages stay cached");
  const feed = await (await app.request("/comments/hello/feed.atom")).text();
  assert.match(feed, /<title>Ana on Hello<\/title>/);
  assert.match(feed, /#comment-\d+"\/>/);
  assert.match(await (await app.request("/comments/feed.atom")).text(), /Cache me/);
  assert.equal((await app.request("/comments/nope/feed.atom")).status, 404);
});

test("held items reach the owner as one email per batch, at most once an hour", async () => {
  const { registerConversationJobs } = await import("./jobs.ts");
  registerConversationJobs(ctx);
  await signIn(ctx, app, { role: "owner", email: "owner@example.com" });
  await comment({ name: "Eve", text: "First." });
  await comment({ name: "Fay", text: "Second." });
  const toOwner = async () => (await outbox()).filter((m) => m.to_email === "owner@example.com");
  await ctx.runner.drain();
  assert.equal((await toOwner()).length, 0, "a short wait gathers a burst");
  ctx.setNow(new Date(ctx.now().getTime() + 3 * 60_000));
  await ctx.runner.drain();
  const [batch] = await toOwner();
  assert.equal((await toOwner()).length, 1, "one message for both");
  assert.match(batch.subject ?? "", /2 new items to moderate/);
  assert.match(batch.text ?? "", /Eve \(comment\) on \\?"Hello\\?": First\./);
  await comment({ name: "Gil", text: "Third." });
  ctx.setNow(new Date(ctx.now().getTime() + 10 * 60_000));
  await ctx.runner.drain();
  assert.equal((await toOwner()).length, 1, "not again within the hour");
  ctx.setNow(new Date(ctx.now().getTime() + 60 * 60_000));
  await ctx.runner.drain();
  const all = await toOwner();
  assert.equal(all.length, 2);
  assert.match(all[1].subject ?? "", /1 new item to moderate/);
  assert.match(all[1].text ?? "", /Gil/);
});

test("a deleted post's address answers 410 Gone, until a new post takes it", async () => {
  const { deletePost } = await import("../content/index.ts");
  const { savePost, systemActor } = await import("../content/testing.ts");
  await deletePost(ctx, systemActor, postId);
  const gone = await app.request("/posts/hello");
  assert.equal(gone.status, 410);
  assert.match(await gone.text(), /This post was deleted/);
  assert.equal((await app.request("/posts/never-was")).status, 404);
  const theme = (await ctx.db.kysely.selectFrom("themes").select("id").executeTakeFirstOrThrow()).id;
  await savePost(ctx, systemActor, {
    kind: "article",
    title: "Hello again",
    slug: "hello",
    body: "Back.",
    themeIds: [theme],
    status: "published",
  });
  assert.equal((await app.request("/posts/hello")).status, 200);
});

test("a form token is good for one comment; a reused one is refused and the text kept", async () => {
  const { t } = (await (await app.request("/comments/token")).json()) as { t: string };
  ctx.setNow(new Date(ctx.now().getTime() + 5000));
  const send = (text: string) =>
    app.request("/comments", {
      method: "POST",
      body: new URLSearchParams({ t, post_id: String(postId), name: "Ray", text }),
      headers: { "content-type": "application/x-www-form-urlencoded" },
    });
  assert.equal((await send("First.")).status, 200);
  const reused = await send("Second, same token.");
  assert.equal(reused.status, 400);
  const html = await reused.text();
  assert.match(html, /already sent once/);
  assert.match(html, /Second, same token\.<\/textarea>/);
  assert.equal((await items()).length, 1);
});

test("blocking: a person with no address blocks nothing else; a spam item cannot be answered; settings keep what was typed", async () => {
  await comment({ name: "Anon", text: "No address." });
  await comment({ name: "Cat", email: "cat@gmail.example", text: "From free mail." });
  const [anon, cat] = await items();
  const owner = await signIn(ctx, app, { role: "owner" });
  const r = await owner.form("/admin/conversations/bulk", { action: "block-person", id: String(anon.id) });
  const page1 = await (await owner.request(r.headers.get("location") ?? "")).text();
  assert.match(page1, /Nothing to block by/);
  assert.equal(
    (await ctx.db.kysely.selectFrom("conversation_blocks").selectAll().execute()).length,
    0,
    "never the IP address",
  );
  assert.equal((await items())[0].status, "spam");
  const r2 = await owner.form("/admin/conversations/bulk", { action: "block-domain", id: String(cat.id) });
  assert.match(await (await owner.request(r2.headers.get("location") ?? "")).text(), /Nothing to block by/);
  assert.equal(
    (await ctx.db.kysely.selectFrom("conversation_blocks").selectAll().execute()).length,
    0,
    "never the email's provider",
  );
  const reply = await owner.form(`/admin/conversations/${anon.id}/reply`, { text: "Hi" });
  assert.equal(reply.status, 400);
  assert.match(await reply.text(), /marked as spam; approve it first/);
  assert.equal((await items())[0].status, "spam", "still spam");
  const bad = await owner.form("/admin/conversations/settings", {
    comments: "off",
    closeAfterDays: "1.5",
    words: "casino",
    domains: "x.example",
    addresses: "",
  });
  assert.equal(bad.status, 400);
  const text = await bad.text();
  assert.match(text, /whole number of days/);
  assert.match(text, /casino<\/textarea>/);
  assert.match(text, /value="1.5"/);
});

test("an edit is checked against the blocklists; the heading counts only what the thread shows", async () => {
  const owner = await signIn(ctx, app, { role: "owner" });
  await owner.form("/admin/conversations/settings", {
    comments: "on",
    closeAfterDays: "0",
    words: "casino",
    domains: "https://Evil.example/path",
    addresses: "",
  });
  const blocks = await ctx.db.kysely
    .selectFrom("conversation_blocks")
    .select(["kind", "value"])
    .orderBy("value")
    .execute();
  assert.deepEqual(
    blocks,
    [
      { kind: "word", value: "casino" },
      { kind: "domain", value: "evil.example" },
    ].sort((a, b) => a.value.localeCompare(b.value)),
    "a pasted URL blocks its domain",
  );
  const bad = await owner.form("/admin/conversations/settings", {
    comments: "on",
    closeAfterDays: "0",
    words: "",
    domains: "not a domain!!",
    addresses: "",
  });
  assert.equal(bad.status, 400);
  assert.match(await bad.text(), /not a domain!!(&quot;|") is not a domain/);

  const res = await comment({ text: "Fine words." });
  const edit = /\/comments\/edit\/([^"]+)"/.exec(await res.text())?.[1] as string;
  const [held] = await items();
  await owner.form("/admin/conversations/bulk", { action: "approve", id: String(held.id) });
  await app.request(`/comments/edit/${edit}`, {
    method: "POST",
    body: new URLSearchParams({ text: "Now with CASINO chips" }),
    headers: { "content-type": "application/x-www-form-urlencoded" },
  });
  const [after] = await items();
  assert.deepEqual([after.status, after.status_note], ["spam", 'blocked word "casino"']);
  assert.doesNotMatch(await page(), /CASINO/);

  // A reply under an item that is then hidden is neither shown nor counted.
  await comment({ name: "Pat", text: "Top." });
  const top = (await items()).find((i) => i.author_name === "Pat");
  await owner.form(`/admin/conversations/${top?.id}/reply`, { text: "Owner answer." });
  assert.match(await page(), /<h2 id="comments-heading">2 comments<\/h2>/);
  await owner.form("/admin/conversations/bulk", { action: "spam", id: String(top?.id) });
  const html = await page();
  assert.match(html, /<h2 id="comments-heading">Conversation<\/h2>/);
  assert.doesNotMatch(html, /Owner answer/);
  assert.equal((await items()).find((i) => i.id === top?.id)?.status_note, "marked as spam by hand");
});

test("turning comments off (site or post) changes the cached post page at once", async () => {
  assert.match(await page(), /class="comment-form"/);
  assert.ok(ctx.cache.get("/posts/hello"), "cached");
  const owner = await signIn(ctx, app, { role: "owner" });
  await owner.form("/admin/conversations/settings", {
    comments: "off",
    closeAfterDays: "0",
    words: "",
    domains: "",
    addresses: "",
  });
  assert.doesNotMatch(await page(), /class="comment-form"/);
  await owner.form("/admin/conversations/settings", {
    comments: "on",
    closeAfterDays: "0",
    words: "",
    domains: "",
    addresses: "",
  });
  assert.match(await page(), /class="comment-form"/);
  const { commentsEditorPart } = await import("./editor-part.ts");
  await commentsEditorPart.save(ctx, postId, { comments: "off", closeAfterDays: null });
  assert.doesNotMatch(await page(), /class="comment-form"/, "a post's own setting");
});
