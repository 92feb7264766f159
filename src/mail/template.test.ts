// test lanes: sqlite only
import assert from "node:assert/strict";
import { afterEach, beforeEach, test } from "node:test";
import { h } from "../lib/html.ts";
import type { TestContext } from "../lib/testing.ts";
import { emailLayout, listFooter, listFooterText } from "./layout.ts";
import { createSend } from "./service.ts";
import { fillTemplate, loadParts, mailTemplate, type SlotName, storeParts } from "./template.ts";
import { closeWithSink, contextWithSink, deliverToSink, messageParts as parts, type SmtpSink } from "./testing.ts";

const NASTY = `Tom & "Jerry" <t@j> 'x'`;

test("a slot's value is escaped (all of & < > \" ') in the HTML, in text and attributes alike, and raw in the text", () => {
  const t = mailTemplate((slot) => ({
    subject: "Hello",
    html: h`<p title="${slot("name")}">Hi ${slot("name")}</p><a href="${slot("unsubscribe_url")}">stop</a>`,
    text: `Hi ${slot("name")}\nStop: ${slot("unsubscribe_url")}`,
  }));
  const m = fillTemplate(t, { name: NASTY, unsubscribe_url: "https://x.example/u?a=1&b='2'" });
  const esc = "Tom &amp; &quot;Jerry&quot; &lt;t@j&gt; &#39;x&#39;";
  assert.equal(m.html, `<p title="${esc}">Hi ${esc}</p><a href="https://x.example/u?a=1&amp;b=&#39;2&#39;">stop</a>`);
  assert.equal(m.text, `Hi ${NASTY}\nStop: https://x.example/u?a=1&b='2'`);
  assert.equal(m.subject, "Hello");
});

test("what the author wrote is never a slot: {{name}}, or even another render's marker, stays text", () => {
  let stolen = "";
  mailTemplate((slot) => {
    stolen = String(slot("unsubscribe_url"));
    return { subject: "s", html: h``, text: "" };
  });
  const author = `Use {{unsubscribe_url}} and {{name}} in your template; ${stolen}`;
  const t = mailTemplate((slot) => ({
    subject: "A post about {{name}}",
    html: h`<p>${author}</p><a href="${slot("unsubscribe_url")}">Unsubscribe</a>`,
    text: `${author}\nUnsubscribe: ${slot("unsubscribe_url")}`,
  }));
  assert.deepEqual(
    t.html.filter((p) => typeof p !== "string"),
    [{ slot: "unsubscribe_url" }],
    "only our own slot",
  );
  const m = fillTemplate(t, { unsubscribe_url: "https://x.example/u", name: "Ann" });
  assert.ok(m.html.startsWith(`<p>Use {{unsubscribe_url}} and {{name}} in your template; ${stolen}</p>`));
  assert.ok(m.text.startsWith(author), "the text part too");
  assert.equal(m.subject, "A post about {{name}}");
  assert.match(m.html, /href="https:\/\/x\.example\/u"/);
});

test("a slot works in a plain string that lands in the HTML or the text (a link with a click reference)", () => {
  const t = mailTemplate((slot) => {
    const url = `https://x.example/d/1?s=${slot("click_ref")}`;
    return { subject: "s", html: h`<a href="${url}">go</a>`, text: url };
  });
  const m = fillTemplate(t, { click_ref: "a&b" });
  assert.equal(m.html, '<a href="https://x.example/d/1?s=a&amp;b">go</a>');
  assert.equal(m.text, "https://x.example/d/1?s=a&b");
  assert.deepEqual(loadParts(storeParts(t.html)), t.html, "stored and read back as it was");
});

test("a subject takes no slot, and only known slots exist", () => {
  assert.throws(
    () => mailTemplate((slot) => ({ subject: `Hi ${slot("name")}`, html: h``, text: "" })),
    /subject is the same for everyone/,
  );
  assert.throws(
    () => mailTemplate((slot) => ({ subject: "s", html: h`${slot("password" as SlotName)}`, text: "" })),
    /unknown email slot "password"/,
  );
  assert.throws(() => loadParts('"<p>{{name}}</p>"'), /not a list of parts/);
});

let ctx: TestContext;
let sink: SmtpSink;
beforeEach(async () => {
  ({ ctx, sink } = await contextWithSink());
});
afterEach(() => closeWithSink(ctx, sink));

test("through the outbox: each recipient's values, escaped in the HTML part and as they are in the text part", async () => {
  const template = mailTemplate((slot) => ({
    subject: "Layout and slots",
    html: emailLayout({
      title: "Layout and slots",
      body: h`<p>Hello ${slot("name")}, {{name}} is yours to keep.</p>`,
      footer: listFooter("Site & Co", slot),
    }),
    text: `Hello ${slot("name")}, {{name}} is yours to keep.\n\n${listFooterText("Site & Co", slot)}`,
  }));
  await createSend(ctx, { kind: "post", ...template }, [
    {
      email: "a@example.net",
      vars: { name: NASTY, unsubscribe_url: "https://x.example/u/1?a&b", preferences_url: "https://x.example/p/1" },
    },
    { email: "b@example.net", vars: { name: "Bea", unsubscribe_url: "https://x.example/u/2" } },
  ]);
  await deliverToSink(ctx, sink);
  const a = parts(sink.received.find((m) => m.to[0] === "a@example.net")?.raw ?? "");
  assert.match(
    a.html,
    /<p>Hello Tom &amp; &quot;Jerry&quot; &lt;t@j&gt; &#39;x&#39;, \{\{name\}\} is yours to keep\.<\/p>/,
  );
  assert.match(a.html, /You get this because you subscribed to Site &amp; Co\./);
  assert.match(
    a.html,
    /<a href="https:\/\/x\.example\/u\/1\?a&amp;b" style="color:#1a4f8b">Unsubscribe in one click<\/a>/,
  );
  assert.match(a.html, /^<!doctype html>[\s\S]*<table role="presentation"/, "in the shared layout");
  assert.ok(a.text.includes(`Hello ${NASTY}, {{name}} is yours to keep.`), a.text);
  assert.match(a.text, /Unsubscribe: https:\/\/x\.example\/u\/1\?a&b\r?\nPreferences: https:\/\/x\.example\/p\/1/);
  const b = parts(sink.received.find((m) => m.to[0] === "b@example.net")?.raw ?? "");
  assert.match(b.html, /<p>Hello Bea, \{\{name\}\}/);
  assert.match(b.text, /Unsubscribe: https:\/\/x\.example\/u\/2\r?\nPreferences:\s*$/, "a value not given is empty");
});
