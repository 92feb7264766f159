import assert from "node:assert/strict";
import { afterEach, beforeEach, test } from "node:test";
import { createApp } from "../app.ts";
import { setPerSubscriberClicks } from "../audience/index.ts";
import { addSubscriber, createList, requestSubscription } from "../audience/testing.ts";
import { signIn } from "../auth/testing.ts";
import { savePost, systemActor } from "../content/testing.ts";
import { createTestContext, type TestContext } from "../lib/testing.ts";
import { deliverToSink, messageParts, type SmtpSink, smtpSink } from "../mail/testing.ts";
import { draftDigest, OWN_SECTION } from "./compose.ts";
import { sendDigest } from "./publish.ts";
import { loadDigest, updateEntry, updateTexts } from "./service.ts";
import { digestStore } from "./store.ts";
import { type SavedWorld, savedFromFeed } from "./testing.ts";

let ctx: TestContext;
let sink: SmtpSink;
let world: SavedWorld;
let app: Awaited<ReturnType<typeof createApp>>;
beforeEach(async () => {
  sink = await smtpSink();
  ctx = await createTestContext();
  ctx.config.mail = { ...ctx.config.mail, smtpUrl: sink.url, from: "Ann <ann@example.com>" };
  ctx.setNow(new Date("2026-11-20T10:00:00Z"));
  world = await savedFromFeed(ctx);
  ctx.setNow(new Date("2026-11-20T11:00:00Z"));
  app = await createApp(ctx);
});
afterEach(async () => {
  await ctx.cleanup();
  await sink.close();
  await world.server.close();
});

const deliver = () => deliverToSink(ctx, sink);
/** The decoded text/plain part of a received message (quoted-printable, split at the MIME boundary). */
function textPart(raw0: string): string {
  const raw = raw0.replace(/\r\n/g, "\n");
  const boundary = /boundary="?([^"\n;]+)"?/.exec(raw)?.[1] ?? "";
  const part = raw.split(`--${boundary}`).find((p) => /Content-Type: text\/plain/i.test(p)) ?? "";
  const body = part.split("\n\n").slice(1).join("\n\n");
  const bytes = body
    .replace(/=\n/g, "")
    .replace(/=([0-9A-F]{2})/g, (_m, h: string) => String.fromCharCode(Number.parseInt(h, 16)));
  return Buffer.from(bytes, "latin1").toString("utf8");
}

test("draft from the week's saves, grouped by theme with credit chains and my own post; sent exactly to the list; clicks counted once", async () => {
  ctx.setNow(new Date("2026-11-21T09:00:00Z"));
  await savePost(ctx, systemActor, {
    title: "What I learned this week",
    summary: "A note of my own",
    body: "Text.",
    status: "published",
    themeIds: [world.themes.leadership],
  });
  ctx.setNow(new Date("2026-11-22T09:00:00Z"));
  const { id, entries } = await draftDigest(ctx, { since: new Date("2026-11-19T00:00:00Z") });
  assert.equal(entries, 4);
  const { view, digest } = await loadDigest(ctx, id);
  assert.equal(digest.title, "Flash Report, week 47");
  assert.deepEqual(
    view.sections.map((s) => [s.title, s.entries.map((e) => e.title)]),
    [
      ["Leadership", ["Meetings that decide", "Writing for executives"]],
      ["Craft", ["Tools of the trade"]],
      [OWN_SECTION, ["What I learned this week"]],
    ],
  );
  const meetings = view.sections[0].entries[0];
  assert.deepEqual(
    meetings.credits.map((c) => c.name),
    ["Field Notes", "Bea Lin"],
    "the source and the source's source",
  );

  await createList(ctx, { slug: "flash", name: "Flash Report" });
  for (const email of ["cto@example.org", "coo@example.org"])
    await addSubscriber(ctx, { email, list: "flash", confirmed: true, source: "test" });
  await addSubscriber(ctx, { email: "pending@example.org", list: "flash", confirmed: false, source: "test" });
  const sent = await sendDigest(ctx, id, ["flash"]);
  assert.equal(sent.recipients, 2);
  await assert.rejects(sendDigest(ctx, id, ["flash"]), /already been sent/, "a digest goes out once");
  await deliver();
  const got = sink.received.filter((m) => m.headers.get("subject") === "Flash Report, week 47");
  assert.deepEqual(got.map((m) => m.to[0]).sort(), ["coo@example.org", "cto@example.org"]);
  assert.match(got[0].headers.get("list-unsubscribe") ?? "", /^<http:\/\/127\.0\.0\.1:4321\/unsubscribe\//);
  assert.equal(got[0].headers.get("list-unsubscribe-post"), "List-Unsubscribe=One-Click");
  const text = textPart(got[0].raw);
  assert.match(
    text,
    /Leadership\n-+\n\n\* Meetings that decide\n {2}http:\/\/127\.0\.0\.1:4321\/d\/\S+\n {2}Why Meetings that decide matters\.\n {2}\(via Field Notes, who found it at Bea Lin\)/,
  );
  assert.match(text, /\* What I learned this week/);
  assert.match(text, /View in your browser: http:\/\/127\.0\.0\.1:4321\/posts\/flash-report-week-47/);

  // A tracked link redirects to the original URL and counts once; HEAD does not count.
  const tracked = /\* Meetings that decide\n {2}(http:\/\/127\.0\.0\.1:4321(\/d\/\S+))/.exec(text)?.[2] ?? "";
  const head = await app.request(tracked, { method: "HEAD" });
  assert.equal(head.status, 302);
  const res = await app.request(tracked);
  assert.equal(res.status, 302);
  assert.equal(res.headers.get("location"), "https://essays.example/meetings");
  assert.equal((await app.request(tracked)).status, 302, "a second click still redirects");
  const entry = await digestStore(ctx.db).entry(meetings.id);
  assert.equal(entry?.clicks, 1, "the same reader clicking twice counts once");
  assert.equal((await app.request("/d/forged.0.token")).status, 404);
  const bySource = await digestStore(ctx.db).clicksBy("source_name");
  assert.deepEqual(bySource.map((r) => [r.name, Number(r.clicks)]).sort(), [["Field Notes", 1]]);

  // The public digest is a post of kind digest: h-entry with h-cite entries, in the feed.
  const page = await (await app.request("/posts/flash-report-week-47")).text();
  assert.match(page, /class="h-entry post post-digest"/);
  assert.match(
    page,
    /<div class="h-cite digest-entry"><h3><a class="u-url p-name" href="https:\/\/essays\.example\/meetings">Meetings that decide<\/a><\/h3>/,
  );
  assert.match(
    page,
    /via <a href="https:\/\/bea\.example\/">Bea Lin<\/a>|who found it at <a href="https:\/\/bea\.example\/">Bea Lin<\/a>/,
  );
  const feed = await (await app.request("/feed.atom")).text();
  assert.match(feed, /Flash Report, week 47/);
});

test("a digest sent to a private list: readable only by its secret link or signed in; not in feeds, sitemap or search", async () => {
  await createList(ctx, { slug: "team", name: "Team", isPublic: false });
  await addSubscriber(ctx, { email: "dev@example.org", list: "team", confirmed: true, source: "test" });
  const { id } = await draftDigest(ctx, { since: new Date("2026-11-01T00:00:00Z"), title: "Team radar zebrafish" });
  const r = await sendDigest(ctx, id, ["team"]);
  const d = await digestStore(ctx.db).byId(id);
  assert.ok(d);
  assert.equal(d.is_private, 1);
  assert.equal(d.post_id, null, "a private digest never becomes a post");
  assert.equal(r.url, `${ctx.config.baseUrl}/digests/${id}/${d.secret}`);

  const bySecret = await app.request(`/digests/${id}/${d.secret}`);
  assert.equal(bySecret.status, 200);
  assert.match(bySecret.headers.get("cache-control") ?? "", /no-store/);
  const html = await bySecret.text();
  assert.match(html, /Team radar zebrafish/);
  assert.match(html, /<meta name="robots" content="noindex/);
  assert.equal((await app.request(`/digests/${id}`)).status, 404);
  assert.equal((await app.request(`/digests/${id}/wrong-secret`)).status, 404);
  assert.match(await (await app.request("/search?q=zebrafish")).text(), /No results for “zebrafish”/);
  for (const path of ["/feed.atom", "/feed.rss", "/feed.json", "/sitemap.xml", "/archive", "/"]) {
    const body = await (await app.request(path)).text();
    assert.doesNotMatch(body, /zebrafish/i, `${path} does not show a private digest`);
  }
  const staff = await signIn(ctx, app, { role: "editor" });
  assert.equal((await staff.request(`/digests/${id}`)).status, 200);
  await deliver();
  const mail = sink.received.find((m) => m.to[0] === "dev@example.org");
  assert.ok(mail);
  assert.match(
    textPart(mail.raw),
    new RegExp(`View in your browser: http://127\\.0\\.0\\.1:4321/digests/${id}/${d.secret}`),
  );
});

test("a digest sent to a public and a private list together is private: no post, no feed; both lists get it", async () => {
  await createList(ctx, { slug: "flash", name: "Flash Report" });
  await createList(ctx, { slug: "team", name: "Team", isPublic: false });
  await addSubscriber(ctx, { email: "fan@example.org", list: "flash", confirmed: true, source: "test" });
  await addSubscriber(ctx, { email: "dev@example.org", list: "team", confirmed: true, source: "test" });
  const { id } = await draftDigest(ctx, { since: new Date("2026-11-01T00:00:00Z"), title: "Mixed radar okapi" });
  const r = await sendDigest(ctx, id, ["flash", "team"]);
  assert.equal(r.recipients, 2);
  const d = await digestStore(ctx.db).byId(id);
  assert.ok(d);
  assert.deepEqual([d.is_private, d.post_id], [1, null], "one private list makes the whole digest private");
  assert.equal(r.url, `${ctx.config.baseUrl}/digests/${id}/${d.secret}`);
  for (const path of ["/feed.atom", "/archive", "/search?q=okapi", "/posts/mixed-radar-okapi"]) {
    assert.doesNotMatch(await (await app.request(path)).text(), /Mixed radar okapi/, `${path} does not show it`);
  }
  await deliver();
  assert.deepEqual(sink.received.map((m) => m.to[0]).sort(), ["dev@example.org", "fan@example.org"]);
});

test("bad input: an empty period, an empty digest, unknown lists; nothing is lost", async () => {
  await assert.rejects(
    draftDigest(ctx, { since: new Date("2027-01-01T00:00:00Z") }),
    /since: the period must start before it ends/,
  );
  const empty = { since: new Date("2026-12-01T00:00:00Z"), until: new Date("2026-12-02T00:00:00Z") };
  await assert.rejects(draftDigest(ctx, empty), /Nothing was saved or published between 2026-12-01 and 2026-12-02/);
  const { id, entries } = await draftDigest(ctx, {
    allowEmpty: true,
    since: new Date("2026-12-01T00:00:00Z"),
    until: new Date("2026-12-02T00:00:00Z"),
  });
  assert.equal(entries, 0);
  await createList(ctx, { slug: "flash", name: "Flash" });
  await assert.rejects(sendDigest(ctx, id, ["flash"]), /no entries/);
  const full = await draftDigest(ctx, { since: new Date("2026-11-01T00:00:00Z") });
  await assert.rejects(sendDigest(ctx, full.id, ["nope"]), /There is no list “nope”/);
  await assert.rejects(sendDigest(ctx, full.id, []), /Choose at least one list/);
  const still = await digestStore(ctx.db).byId(full.id);
  assert.equal(still?.status, "draft", "a refused send leaves the draft as it was");
  assert.equal((await loadDigest(ctx, full.id)).view.sections.length, 2);
});

test("per-subscriber click counting: off by default; when the owner turns it on, the promise says so and clicks name the reader", async () => {
  await createList(ctx, { slug: "flash", name: "Flash Report", promise: "Weekly links." });
  const editor = await signIn(ctx, app, { role: "editor" });
  assert.doesNotMatch(await (await app.request("/subscribe")).text(), /counted for each subscriber/);
  const on = await editor.form("/admin/digests/tracking", { perSubscriber: "1" });
  assert.equal(on.status, 303);
  const form = await (await app.request("/subscribe")).text();
  assert.match(form, /Weekly links\. Clicks on the links in digests are counted for each subscriber\./);
  await requestSubscription(ctx, { email: "new@example.org", lists: ["flash"], sourcePage: "/subscribe" });
  const consent = await ctx.db.kysely.selectFrom("subscriptions").select("promise_shown").executeTakeFirstOrThrow();
  assert.equal(consent.promise_shown, "Weekly links. Clicks on the links in digests are counted for each subscriber.");

  const { subscriberId } = await addSubscriber(ctx, {
    email: "cto@example.org",
    list: "flash",
    confirmed: true,
    source: "t",
  });
  const { id } = await draftDigest(ctx, { since: new Date("2026-11-01T00:00:00Z") });
  await sendDigest(ctx, id, ["flash"]);
  await deliver();
  const text = textPart(sink.received.find((m) => m.to[0] === "cto@example.org")?.raw ?? "");
  const link = /(\/d\/[^\s?]+\?s=\S+)/.exec(text)?.[1];
  assert.ok(link, "each recipient's links carry their signed reference");
  assert.equal((await app.request(link)).status, 302);
  const clicks = await ctx.db.kysely.selectFrom("digest_clicks").select("subscriber_id").execute();
  assert.deepEqual(clicks, [{ subscriber_id: subscriberId }]);
  // A forged reference still redirects and counts for the entry, but names nobody.
  const forged = link.replace(/\?s=.*/, "?s=forged.0.x");
  await app.request(forged, { headers: { "user-agent": "other client" } });
  const after = await ctx.db.kysely.selectFrom("digest_clicks").select("subscriber_id").orderBy("id").execute();
  assert.deepEqual(after, [{ subscriber_id: subscriberId }, { subscriber_id: null }]);

  await editor.form("/admin/digests/tracking", {});
  assert.doesNotMatch(await (await app.request("/subscribe")).text(), /counted for each subscriber/, "off again");
});

test("the owner's {{unsubscribe_url}}, {{name}} and {{click_ref}} in a blurb or title are sent as written; the real values still go in", async () => {
  await setPerSubscriberClicks(ctx, true);
  await createList(ctx, { slug: "flash", name: "Flash Report" });
  await addSubscriber(ctx, { email: "cto@example.org", list: "flash", confirmed: true, source: "test" });
  const { id } = await draftDigest(ctx, { since: new Date("2026-11-19T00:00:00Z") });
  await updateTexts(ctx, id, { title: "Templates {{name}}", intro: "Hi {{name}} & co.", closing: "" });
  const entry = (await loadDigest(ctx, id)).view.sections[0].entries[0];
  await updateEntry(ctx, id, entry.id, { blurb: "Link {{unsubscribe_url}}, {{click_ref}} <i>or</i> {{name}}." });
  await sendDigest(ctx, id, ["flash"]);
  await deliver();
  const [mail] = sink.received;
  assert.equal(mail.headers.get("subject"), "Templates {{name}}");
  const { html, text } = messageParts(mail.raw);
  assert.match(html, /<p>Link \{\{unsubscribe_url\}\}, \{\{click_ref\}\} <i>or<\/i> \{\{name\}\}\.<\/p>/);
  assert.match(html, /<p>Hi \{\{name\}\} &amp; co\.<\/p>/);
  assert.match(html, /<h1 [^>]*>Templates \{\{name\}\}<\/h1>/);
  assert.match(text, /^Templates \{\{name\}\}\n/);
  assert.match(text, /\n {2}Link \{\{unsubscribe_url\}\}, \{\{click_ref\}\} or \{\{name\}\}\./);
  // The links of the email itself carry this reader's values.
  const unsubscribe = /^<(.+)>$/.exec(mail.headers.get("list-unsubscribe") ?? "")?.[1] ?? "";
  assert.ok(html.includes(`href="${unsubscribe}"`), "the unsubscribe link is filled in");
  const tracked = /href="(http:\/\/127\.0\.0\.1:4321\/d\/[^"?]+\?s=[^"]+)"/.exec(html)?.[1];
  assert.ok(tracked && !tracked.includes("{{"), "each entry link carries the reader's click reference");
  assert.ok(text.includes(tracked), "the same in the text part");
});

test("the intro and closing in the text part read like the HTML: no space before punctuation after bold, links kept", async () => {
  await createList(ctx, { slug: "flash", name: "Flash Report" });
  await addSubscriber(ctx, { email: "cto@example.org", list: "flash", confirmed: true, source: "test" });
  const { id } = await draftDigest(ctx, { since: new Date("2026-11-19T00:00:00Z") });
  await updateTexts(ctx, id, {
    title: "Week 47",
    intro: "Hello from **the screen**.",
    closing: "See [the guide](/guide), _friends_.",
  });
  await sendDigest(ctx, id, ["flash"]);
  await deliver();
  const { text } = messageParts(sink.received[0].raw);
  assert.match(text, /\nHello from the screen\.\n/);
  assert.match(text, /\nSee the guide \(http:\/\/127\.0\.0\.1:4321\/guide\), friends\.\n/);
});
