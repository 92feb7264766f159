import assert from "node:assert/strict";
import { afterEach, beforeEach, test } from "node:test";
import { createApp } from "../app.ts";
import { addSubscriber, createList } from "../audience/testing.ts";
import { signIn } from "../auth/testing.ts";
import type { TestContext } from "../lib/testing.ts";
import { closeWithSink, contextWithSink, deliverToSink, messageParts, type SmtpSink } from "../mail/testing.ts";
import { createSave, makeTheme } from "../reader/testing.ts";
import { digestStore } from "./store.ts";

let ctx: TestContext;
let sink: SmtpSink;
let app: Awaited<ReturnType<typeof createApp>>;
beforeEach(async () => {
  ({ ctx, sink } = await contextWithSink());
  app = await createApp(ctx);
});
afterEach(() => closeWithSink(ctx, sink));

/** An editor and a draft of two saves; the editor's page as HTML. */
async function draft() {
  ctx.setNow(new Date("2026-03-02T10:00:00Z"));
  const editor = await signIn(ctx, app, { role: "editor", email: "ed@example.com" });
  const theme = await makeTheme(ctx, "Tools");
  const actor = { id: editor.user.id, role: editor.user.role };
  for (const [url, title] of [
    ["https://a.example/one", "Alpha"],
    ["https://b.example/two", "Bravo"],
  ])
    await createSave(ctx, actor, { url, title, blurb: "", themeIds: [theme] }, { fetch: false });
  ctx.setNow(new Date("2026-03-02T12:00:00Z"));
  const res = await editor.form("/admin/digests", { since: "" });
  const id = Number(/\/admin\/digests\/(\d+)/.exec(res.headers.get("location") ?? "")?.[1]);
  assert.ok(id);
  return { editor, id, page: async () => (await editor.request(`/admin/digests/${id}`)).text() };
}

/** The fields a browser would submit from the form `formId` of a page (inputs and textareas; ticked boxes). */
function formFields(page: string, formAction: string): Record<string, string[]> {
  const at = page.indexOf(`action="${formAction}"`);
  assert.ok(at >= 0, `a form posting to ${formAction}`);
  const form = page.slice(at, page.indexOf("</form>", at));
  const out: Record<string, string[]> = {};
  const add = (k: string, v: string) => {
    out[k] ??= [];
    out[k].push(
      v
        .replace(/&amp;/g, "&")
        .replace(/&quot;/g, '"')
        .replace(/&lt;/g, "<")
        .replace(/&gt;/g, ">"),
    );
  };
  for (const m of form.matchAll(/<input ([^>]*)>/g)) {
    const name = /name="([^"]*)"/.exec(m[1])?.[1];
    const type = /type="([^"]*)"/.exec(m[1])?.[1] ?? "text";
    if (!name || name === "_csrf" || (type === "checkbox" && !/ checked/.test(m[1]))) continue;
    add(name, /value="([^"]*)"/.exec(m[1])?.[1] ?? "");
  }
  for (const m of form.matchAll(/<textarea [^>]*name="([^"]*)"[^>]*>([\s\S]*?)<\/textarea>/g)) add(m[1], m[2]);
  return out;
}

test("the editor's test and send buttons use the introduction on the screen; it is stored; the form is marked to warn on leaving", async () => {
  await createList(ctx, { slug: "weekly", name: "Weekly" });
  await addSubscriber(ctx, { email: "reader@example.org", list: "weekly", confirmed: true, source: "test" });
  const { editor, id, page } = await draft();
  const html = await page();
  assert.match(
    html,
    /<form method="post" action="\/admin\/digests\/\d+" class="digest-edit" id="digest-form" data-warn-unsaved/,
  );
  // The only list starts ticked, and every action is a button of that one form.
  assert.match(html, /name="lists" value="weekly" checked><label for="send-list-0">Weekly \(1 confirmed\)/);
  for (const action of ["test", "send", "add-link", "export:md"])
    assert.match(html, new RegExp(`name="action" value="${action}"`), action);

  // Type an introduction and press "Send a test to me" without saving.
  const fields = { ...formFields(html, `/admin/digests/${id}`), intro: ["Hello from **the screen**."] };
  const test = await editor.form(`/admin/digests/${id}`, { ...fields, action: "test" });
  assert.equal(test.status, 303);
  assert.equal(test.headers.get("location"), `/admin/digests/${id}?msg=test`);
  assert.equal((await digestStore(ctx.db).byId(id))?.intro_md, "Hello from **the screen**.", "stored");
  await deliverToSink(ctx, sink);
  assert.deepEqual(
    sink.received.map((m) => m.to),
    [["ed@example.com"]],
  );
  assert.match(messageParts(sink.received[0].raw).html, /Hello from <strong>the screen<\/strong>\./, "the test has it");
  assert.match(await page(), />Hello from \*\*the screen\*\*\.<\/textarea>/, "after a reload too");

  // Type a closing note and press "Send the digest": it is saved, then one confirmation with the count.
  const sendFields = { ...formFields(await page(), `/admin/digests/${id}`), closing: ["See you next week."] };
  const ask = await editor.form(`/admin/digests/${id}`, { ...sendFields, action: "send" });
  assert.equal(ask.status, 200);
  const askPage = await ask.text();
  assert.match(askPage, /Send to 1 subscriber of Weekly\?/);
  assert.equal((await digestStore(ctx.db).byId(id))?.closing_md, "See you next week.");
  assert.equal((await digestStore(ctx.db).byId(id))?.status, "draft");
  const back = new RegExp(`<a class="button" href="(/admin/digests/${id}\\?lists=weekly#send)">Back</a>`).exec(askPage);
  assert.ok(back, "a Back link to the editor");
  assert.match(await (await editor.request(back[1])).text(), /name="lists" value="weekly" checked>/);
  const sent = await editor.form(`/admin/digests/${id}/send`, formFields(askPage, `/admin/digests/${id}/send`));
  assert.equal(sent.status, 303);
  assert.equal(sent.headers.get("location"), `/admin/digests/${id}?msg=sent`);
  await deliverToSink(ctx, sink);
  const real = sink.received.find((m) => m.to[0] === "reader@example.org");
  assert.ok(real, "the subscriber got it");
  const { html: sentHtml, text } = messageParts(real.raw);
  assert.match(sentHtml, /Hello from <strong>the screen<\/strong>\./);
  assert.match(text, /See you next week\./);
});

test("no list ticked, a bad link, lists without confirmed subscribers: said on the editor, filled in", async () => {
  await createList(ctx, { slug: "weekly", name: "Weekly" });
  await createList(ctx, { slug: "team", name: "Team", isPublic: false });
  await addSubscriber(ctx, { email: "reader@example.org", list: "weekly", confirmed: true, source: "test" });
  const { editor, id, page } = await draft();
  const html = await page();
  assert.doesNotMatch(html, /name="lists" value="weekly" checked/, "two lists: none ticked by default");
  assert.match(
    html,
    /id="send-lists-empty">“Team” has no confirmed subscribers yet: nobody on it would get the digest\./,
  );
  const fields = formFields(html, `/admin/digests/${id}`);

  const none = await editor.form(`/admin/digests/${id}`, { ...fields, intro: ["Kept."], action: "send" });
  assert.equal(none.status, 422);
  const noneText = await none.text();
  assert.match(noneText, /id="send-lists-error">Choose at least one list\./);
  assert.match(noneText, />Kept\.<\/textarea>/);
  assert.doesNotMatch(noneText, /Back to the admin/);
  assert.equal((await digestStore(ctx.db).byId(id))?.intro_md, "Kept.");

  const both = await editor.form(`/admin/digests/${id}`, { ...fields, lists: ["weekly", "team"], action: "send" });
  const bothText = await both.text();
  assert.match(bothText, /Send to 1 subscriber of Weekly and Team\?/);
  assert.match(bothText, /“Team” has no confirmed subscribers: nobody on it would get this\./);

  const bad = await editor.form(`/admin/digests/${id}`, {
    ...fields,
    lists: ["team"],
    intro: ["Also kept."],
    url: "not a url",
    action: "add-link",
  });
  assert.equal(bad.status, 422);
  const badText = await bad.text();
  assert.match(badText, /id="f-url-error">/);
  assert.match(badText, /name="url" type="url" value="not a url"/);
  assert.match(badText, /name="lists" value="team" checked>/, "the ticked list stays ticked");
  assert.equal((await digestStore(ctx.db).byId(id))?.intro_md, "Also kept.");
});
