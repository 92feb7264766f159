import assert from "node:assert/strict";
import { afterEach, beforeEach, test } from "node:test";
import { createApp } from "../app.ts";
import { addSubscriber, createList } from "../audience/testing.ts";
import { signIn } from "../auth/testing.ts";
import { createTestContext, type TestContext } from "../lib/testing.ts";
import { createMailer, deliverDue, type SmtpSink, smtpSink } from "../mail/testing.ts";
import { createSave, makeTheme, pageServer } from "../reader/testing.ts";
import { PREPARE_JOB } from "./jobs.ts";
import { digestStore } from "./store.ts";

let ctx: TestContext;
let app: Awaited<ReturnType<typeof createApp>>;
let sink: SmtpSink;
const T0 = new Date("2026-03-02T10:00:00Z");
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

/** Saves in two themes (2 + 1) at T0, then an editor signed in at T0 + 1 hour. */
async function setup() {
  ctx.setNow(T0);
  const editor = await signIn(ctx, app, { role: "editor", email: "ed@example.com" });
  const tools = await makeTheme(ctx, "Tools");
  const people = await makeTheme(ctx, "People");
  const actor = { id: editor.user.id, role: editor.user.role };
  const save = (url: string, title: string, themeIds: number[]) =>
    createSave(
      ctx,
      actor,
      { url, title, blurb: `Why ${title} matters.`, themeIds, credits: [{ name: "Kim", url: "https://kim.example/" }] },
      { fetch: false },
    );
  await save("https://a.example/one", "Alpha", [tools]);
  await save("https://b.example/two", "Bravo", [tools]);
  await save("https://c.example/three", "Charlie", [people]);
  ctx.setNow(new Date(T0.getTime() + 3600_000));
  return editor;
}

async function newDraft(editor: Awaited<ReturnType<typeof setup>>) {
  // Each draft starts where the last ended, so let an hour pass.
  ctx.setNow(new Date(ctx.now().getTime() + 3600_000));
  const res = await editor.form("/admin/digests", { since: "" });
  assert.equal(res.status, 303);
  const id = Number(/^\/admin\/digests\/(\d+)\?msg=created$/.exec(res.headers.get("location") ?? "")?.[1]);
  assert.ok(id, "creating a draft leads to its editor");
  return id;
}

const order = async (id: number) => {
  const store = digestStore(ctx.db);
  const entries = (await store.entries(id)).filter((e) => !e.removed_at);
  return (await store.sections(id)).map((s) => ({
    title: s.title,
    entries: entries.filter((e) => e.section_id === s.id).map((e) => e.title),
  }));
};
const entryId = async (id: number, title: string) =>
  (await digestStore(ctx.db).entries(id)).find((e) => e.title === title)?.id ?? 0;

test("the list page, a new draft from the saves, its editor, previews and exports", async () => {
  const editor = await setup();
  const list = await editor.request("/admin/digests");
  assert.equal(list.status, 200);
  assert.match(await list.text(), /No digests yet[\s\S]*New digest[\s\S]*Schedule[\s\S]*What resonated/);

  const id = await newDraft(editor);
  assert.deepEqual(await order(id), [
    { title: "Tools", entries: ["Alpha", "Bravo"] },
    { title: "People", entries: ["Charlie"] },
  ]);
  const page = await (await editor.request(`/admin/digests/${id}?msg=created`)).text();
  assert.match(page, /Draft created from your saves/);
  assert.match(page, /name="blurb-\d+"[^>]*>Why Alpha matters\.<\/textarea>/);
  assert.match(page, /<iframe class="email-preview" src="\/admin\/digests\/\d+\/preview\/email" sandbox=""/);
  assert.match(page, /<pre class="text-preview"[^>]*>[\s\S]*\* Alpha\n {2}https:\/\/a\.example\/one/);
  assert.match(page, /<script src="\/admin\/assets\/digest\.js" defer>/);
  const listed = await (await editor.request("/admin/digests")).text();
  assert.match(listed, new RegExp(`<a href="/admin/digests/${id}">Flash Report, week 10</a>[\\s\\S]*?<td>3</td>`));

  const email = await editor.request(`/admin/digests/${id}/preview/email`);
  assert.equal(email.status, 200);
  const csp = email.headers.get("content-security-policy") ?? "";
  assert.match(csp, /style-src 'unsafe-inline'/);
  assert.match(csp, /frame-ancestors 'self'/);
  assert.doesNotMatch(csp, /script-src/);
  const emailHtml = await email.text();
  assert.match(emailHtml, /href="https:\/\/a\.example\/one"/, "the preview links to the page itself, untracked");
  assert.doesNotMatch(emailHtml, /\{\{unsubscribe_url\}\}|<script/);

  const md = await editor.request(`/admin/digests/${id}/export.md`);
  assert.match(md.headers.get("content-disposition") ?? "", /^attachment; filename="flash-report-week-10\.md"$/);
  assert.match(await md.text(), /^# Flash Report, week 10\n\n## Tools\n\n### \[Alpha\]\(https:\/\/a\.example\/one\)/);
  const exported = await editor.request(`/admin/digests/${id}/export.html`);
  assert.match(exported.headers.get("content-disposition") ?? "", /attachment; filename=".*\.html"/);
  assert.match(await exported.text(), /<a class="u-url p-name" href="https:\/\/c\.example\/three">Charlie<\/a>/);

  const badSince = await editor.form("/admin/digests", { since: "next tuesday" });
  assert.equal(badSince.status, 422);
  assert.match(await badSince.text(), /id="f-since-error">Use a date like 2026-03-01\./);
});

test("editing texts and blurbs; bad input is shown at its field and nothing stored is lost", async () => {
  const editor = await setup();
  const id = await newDraft(editor);
  const alpha = await entryId(id, "Alpha");
  const bravo = await entryId(id, "Bravo");
  const ok = await editor.form(`/admin/digests/${id}`, {
    title: "Week ten",
    intro: "Hello **all**.",
    closing: "Bye.",
    [`title-${alpha}`]: "Alpha, revised",
    [`blurb-${alpha}`]: "A better blurb.",
    action: "save",
  });
  assert.equal(ok.status, 303);
  assert.equal(ok.headers.get("location"), `/admin/digests/${id}?msg=saved`);
  const d = await digestStore(ctx.db).byId(id);
  assert.equal(d?.title, "Week ten");
  assert.equal(d?.intro_md, "Hello **all**.");
  const a = await digestStore(ctx.db).entry(alpha);
  assert.deepEqual([a?.title, a?.blurb_md], ["Alpha, revised", "A better blurb."]);

  const bad = await editor.form(`/admin/digests/${id}`, {
    title: "  ",
    [`blurb-${alpha}`]: "x".repeat(4001),
    [`blurb-${bravo}`]: "Bravo's new blurb.",
    action: "save",
  });
  assert.equal(bad.status, 422);
  const text = await bad.text();
  assert.match(text, /id="f-title-error">The digest needs a title\./);
  assert.match(text, new RegExp(`id="f-blurb-${alpha}-error">A blurb is longer than 4000 characters\\.`));
  assert.match(text, new RegExp(`name="blurb-${alpha}"[^>]*>x{4001}</textarea>`), "what was typed is shown again");
  assert.equal((await digestStore(ctx.db).byId(id))?.title, "Week ten", "the stored title is kept");
  assert.equal((await digestStore(ctx.db).entry(alpha))?.blurb_md, "A better blurb.");
  assert.equal((await digestStore(ctx.db).entry(bravo))?.blurb_md, "Bravo's new blurb.", "valid fields are saved");
});

test("up/down moves entries and sections; remove and undo", async () => {
  const editor = await setup();
  const id = await newDraft(editor);
  const [alpha, charlie] = [await entryId(id, "Alpha"), await entryId(id, "Charlie")];
  const down = await editor.form(`/admin/digests/${id}`, { action: `move:entry:${alpha}:1` });
  assert.equal(down.headers.get("location"), `/admin/digests/${id}?msg=moved#entry-${alpha}`);
  assert.deepEqual((await order(id))[0].entries, ["Bravo", "Alpha"]);
  // Past the end of its section an entry moves into the next one.
  await editor.form(`/admin/digests/${id}`, { action: `move:entry:${alpha}:1` });
  assert.deepEqual(await order(id), [
    { title: "Tools", entries: ["Bravo"] },
    { title: "People", entries: ["Alpha", "Charlie"] },
  ]);
  const people = (await digestStore(ctx.db).sections(id))[1].id;
  await editor.form(`/admin/digests/${id}`, { action: `move:section:${people}:-1` });
  assert.deepEqual(
    (await order(id)).map((s) => s.title),
    ["People", "Tools"],
  );

  const removed = await editor.form(`/admin/digests/${id}`, { action: `remove:${charlie}` });
  assert.equal(removed.status, 303);
  const page = await (await editor.request(`/admin/digests/${id}?msg=removed`)).text();
  assert.match(page, /Removed\. Undo below/);
  assert.match(
    page,
    new RegExp(`Charlie <button type="submit" class="button" name="action" value="undo:${charlie}">Undo`),
  );
  assert.doesNotMatch(page, /\* Charlie/, "a removed entry is not in the preview");
  await editor.form(`/admin/digests/${id}`, { action: `undo:${charlie}` });
  assert.deepEqual((await order(id))[0].entries, ["Alpha", "Charlie"]);
  const unknown = await editor.form(`/admin/digests/${id}`, { action: "explode" });
  assert.equal(unknown.status, 400);
});

test("add a link (fetched from a loopback page); a bad URL is a 422 at the field", async () => {
  const editor = await setup();
  const id = await newDraft(editor);
  const server = await pageServer({
    "/post": [
      200,
      "text/html",
      `<html><head><title>A found page</title><meta name="description" content="What it says."></head><body>Hi</body></html>`,
    ],
  });
  try {
    const tools = (await digestStore(ctx.db).sections(id))[0].id;
    const res = await editor.form(`/admin/digests/${id}/links`, {
      url: `${server.origin}/post`,
      blurb: "",
      section: String(tools),
    });
    assert.equal(res.status, 303, await res.clone().text());
    assert.match(res.headers.get("location") ?? "", /\?msg=added#entry-\d+$/);
    assert.deepEqual((await order(id))[0].entries, ["Alpha", "Bravo", "A found page"]);
    const added = (await digestStore(ctx.db).entries(id)).find((e) => e.title === "A found page");
    assert.equal(added?.blurb_md, "What it says.");
  } finally {
    await server.close();
  }
  const bad = await editor.form(`/admin/digests/${id}/links`, { url: "not a url", blurb: "Keep me", section: "" });
  assert.equal(bad.status, 422);
  const text = await bad.text();
  assert.match(text, /id="f-url-error">/);
  assert.match(text, /name="blurb"[^>]*>Keep me<\/textarea>/);
  assert.equal((await digestStore(ctx.db).entries(id)).length, 4);
});

test("the order endpoint saves a drag and drop, refuses another digest's ids and needs the CSRF token", async () => {
  const editor = await setup();
  const id = await newDraft(editor);
  await createSave(
    ctx,
    { id: editor.user.id, role: "editor" },
    { url: "https://d.example/", title: "Delta" },
    { fetch: false },
  );
  const other = await newDraft(editor);
  const [otherSection] = await digestStore(ctx.db).sections(other);
  const delta = await entryId(other, "Delta");
  assert.ok(otherSection && delta, "the second digest has its own section and entry");
  const [s1, s2] = (await digestStore(ctx.db).sections(id)).map((s) => s.id);
  const [a, b, c] = [await entryId(id, "Alpha"), await entryId(id, "Bravo"), await entryId(id, "Charlie")];
  const post = (body: unknown, csrf = true) =>
    editor.request(`/admin/digests/${id}/order`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify(body),
      csrf,
    });
  const res = await post({
    order: [
      { section: s2, entries: [c, a] },
      { section: s1, entries: [b] },
    ],
  });
  assert.equal(res.status, 200);
  assert.deepEqual(await res.json(), { ok: true });
  assert.deepEqual(await order(id), [
    { title: "People", entries: ["Charlie", "Alpha"] },
    { title: "Tools", entries: ["Bravo"] },
  ]);
  const foreign = await post({
    order: [
      { section: s2, entries: [c, a, delta] },
      { section: s1, entries: [b] },
    ],
  });
  assert.equal(foreign.status, 400);
  assert.match((await foreign.json()).error, new RegExp(`Entry ${delta} is not in this digest`));
  const foreignSection = await post({
    order: [
      { section: otherSection.id, entries: [c, a, b] },
      { section: s1, entries: [] },
    ],
  });
  assert.equal(foreignSection.status, 400);
  assert.equal((await digestStore(ctx.db).entry(delta))?.section_id, otherSection.id, "the other digest is untouched");
  const partial = await post({ order: [{ section: s2, entries: [c] }] });
  assert.equal(partial.status, 400);
  const junk = await post({ order: "first" });
  assert.equal(junk.status, 400);
  const forged = await post(
    {
      order: [
        { section: s1, entries: [a, b] },
        { section: s2, entries: [c] },
      ],
    },
    false,
  );
  assert.equal(forged.status, 403);
  assert.deepEqual((await order(id))[0].entries, ["Charlie", "Alpha"], "nothing changed by refused requests");
});

test("schedule form: saved in the owner's zone with its next time; a bad time is a 422", async () => {
  const editor = await setup();
  await createList(ctx, { slug: "weekly", name: "Weekly" });
  const fresh = await (await editor.request("/admin/digests")).text();
  assert.match(fresh, /The schedule is off\./);
  assert.match(fresh, /value="weekly" checked>/, "the only list starts ticked");
  const res = await editor.form("/admin/digests/schedule", {
    enabled: "1",
    weekday: "5",
    time: "09:00",
    prepareHours: "24",
    autoSend: "1",
    lists: ["weekly"],
  });
  assert.equal(res.status, 303);
  assert.ok(await ctx.jobs.hasKey(PREPARE_JOB.name), "the next prepare job is queued");
  const page = await (await editor.request("/admin/digests?msg=schedule")).text();
  assert.match(page, /Schedule saved\./);
  assert.match(page, /The next digest goes out on <strong>6 Mar 2026, \d\d:\d\d<\/strong>/);
  assert.match(page, /value="weekly" checked>/);

  const bad = await editor.form("/admin/digests/schedule", {
    enabled: "1",
    weekday: "5",
    time: "25:99",
    prepareHours: "24",
  });
  assert.equal(bad.status, 422);
  const text = await bad.text();
  assert.match(text, /id="f-time-error">use HH:MM, e\.g\. 09:00/);
  assert.match(text, /name="time" type="time" value="25:99"/);
  const unknownList = await editor.form("/admin/digests/schedule", {
    time: "09:00",
    weekday: "1",
    prepareHours: "2",
    lists: ["nope"],
  });
  assert.equal(unknownList.status, 422);
  assert.match(await unknownList.text(), /There is no list “nope”/);
  const kept = JSON.parse((await digestStore(ctx.db).schedule()) ?? "{}");
  assert.deepEqual([kept.time, kept.lists], ["09:00", ["weekly"]], "the saved schedule is kept");
});

test("hold and release a scheduled draft; send a test; send; the sent digest is read-only", async () => {
  const editor = await setup();
  const id = await newDraft(editor);
  const notScheduled = await editor.form(`/admin/digests/${id}/hold`, { held: "1" });
  assert.equal(notScheduled.status, 409);
  const notScheduledText = await notScheduled.text();
  assert.match(notScheduledText, /role="alert">This draft is not scheduled to go out by itself/);
  assert.match(notScheduledText, /id="digest-form"/, "on the editor, not a bare error page");
  await digestStore(ctx.db).update(id, { send_at: "2026-03-06T08:00:00.000Z" });
  await editor.form(`/admin/digests/${id}/hold`, { held: "1" });
  assert.equal((await digestStore(ctx.db).byId(id))?.held, 1);
  assert.match(await (await editor.request(`/admin/digests/${id}`)).text(), /Release: let it go out by itself/);
  await editor.form(`/admin/digests/${id}/hold`, { held: "0" });
  assert.equal((await digestStore(ctx.db).byId(id))?.held, 0);

  const test = await editor.form(`/admin/digests/${id}/test`, {});
  assert.equal(test.headers.get("location"), `/admin/digests/${id}?msg=test`);
  const mailer = createMailer({ ...ctx.config.mail, smtpUrl: sink.url });
  await deliverDue(ctx, mailer, { ratePerSecond: 1000 });
  mailer.close();
  assert.deepEqual(
    sink.received.map((m) => m.to),
    [["ed@example.com"]],
  );
  assert.match(sink.received[0].headers.get("subject") ?? "", /^\[Test\] Flash Report, week 10$/);

  // No list ticked: the editor again, with the message beside the list checkboxes.
  const none = await editor.form(`/admin/digests/${id}/send`, {});
  assert.equal(none.status, 422);
  const noneText = await none.text();
  assert.match(noneText, /id="send-lists-error">Choose at least one list\./);
  assert.match(noneText, /id="digest-form"/);
  assert.doesNotMatch(noneText, /Back to the admin/);
  await createList(ctx, { slug: "weekly", name: "Weekly" });
  await addSubscriber(ctx, { email: "reader@example.org", list: "weekly", confirmed: true, source: "test" });
  ctx.setNow(new Date(ctx.now().getTime() + 3600_000));
  const refused = await editor.form("/admin/digests", { since: "" });
  assert.equal(refused.status, 422, "nothing new saved: no empty draft is made");
  const refusedText = await refused.text();
  assert.match(refusedText, /Nothing was saved or published between[^<]*start an empty digest/);
  assert.match(refusedText, /<button type="submit" name="empty" value="1">Start an empty digest<\/button>/);
  const started = await editor.form("/admin/digests", { since: "", empty: "1" });
  assert.equal(started.status, 303, "the owner can start an empty one on purpose");
  const empty = Number(/\/admin\/digests\/(\d+)/.exec(started.headers.get("location") ?? "")?.[1]);
  assert.equal((await digestStore(ctx.db).byId(empty))?.status, "draft");
  const emptySend = await editor.form(`/admin/digests/${empty}/send`, { lists: ["weekly"] });
  assert.equal(emptySend.status, 422);
  assert.match(await emptySend.text(), /id="send-lists-error">This digest has no entries/);

  // One confirmation with the number of recipients, then the send.
  const ask = await editor.form(`/admin/digests/${id}/send`, { lists: ["weekly"] });
  assert.equal(ask.status, 200);
  assert.match(await ask.text(), /Send to 1 subscriber of Weekly\?/);
  assert.equal((await digestStore(ctx.db).byId(id))?.status, "draft", "asking sends nothing");
  const sent = await editor.form(`/admin/digests/${id}/send`, { lists: ["weekly"], confirm: "1" });
  assert.equal(sent.status, 303);
  await digestStore(ctx.db).click(await entryId(id, "Bravo"), null, ctx.now().toISOString());
  const view = await (await editor.request(`/admin/digests/${id}?msg=sent`)).text();
  assert.match(view, /The digest is on its way\./);
  assert.match(view, /<a href="\/admin\/mail#sends">Progress of send #\d+<\/a>/);
  assert.match(view, /Bravo<\/a><\/td><td>1<\/td>/);
  assert.doesNotMatch(view, /<textarea/);
  const edit = await editor.form(`/admin/digests/${id}`, { title: "Changed", action: "save" });
  assert.equal(edit.status, 409);
  assert.match(
    await edit.text(),
    /role="alert">This digest has been sent; it can no longer be changed\.[\s\S]*Progress of send/,
  );
  assert.equal((await digestStore(ctx.db).byId(id))?.title, "Flash Report, week 10");
  const again = await editor.form(`/admin/digests/${id}/send`, { lists: ["weekly"], confirm: "1" });
  assert.equal(again.status, 409);
  const listed = await (await editor.request("/admin/digests")).text();
  assert.match(listed, /<span class="badge">sent<\/span><\/td>\s*<td>3<\/td>\s*<td>Weekly<\/td>\s*<td>1<\/td>/);
  assert.match(listed, /<caption>Clicks per theme<\/caption>[\s\S]*<td>Tools<\/td><td>1<\/td><td>2<\/td>/);
});

test("forms need the CSRF token; authors are refused", async () => {
  const editor = await setup();
  const id = await newDraft(editor);
  const forged = await editor.form(`/admin/digests/${id}`, { title: "Forged", action: "save" }, { csrf: false });
  assert.equal(forged.status, 403);
  assert.equal((await digestStore(ctx.db).byId(id))?.title, "Flash Report, week 10");
  const author = await signIn(ctx, app, { role: "author" });
  assert.equal((await author.request("/admin/digests")).status, 403);
  assert.equal((await author.request(`/admin/digests/${id}`)).status, 403);
  assert.equal((await author.form(`/admin/digests/${id}`, { title: "Author's", action: "save" })).status, 403);
  assert.equal((await digestStore(ctx.db).byId(id))?.title, "Flash Report, week 10");
});
