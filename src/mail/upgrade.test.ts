/**
 * Mail queued before the upgrade to templates as data (migration 008) still goes out as the old
 * outbox would have sent it. The rows are written as the old code stored them ({{name}}
 * placeholders, the author's own braces made inert), into a migrated database, and then
 * converted by the migration's `up`: the state of a database that ran 001-007 before the upgrade.
 */
import assert from "node:assert/strict";
import { afterEach, beforeEach, test } from "node:test";
import { up } from "../lib/db/migrations/008_mail_templates.ts";
import type { TestContext } from "../lib/testing.ts";
import { mailStore } from "./store.ts";
import { closeWithSink, contextWithSink, deliverToSink, messageParts as parts, type SmtpSink } from "./testing.ts";

let ctx: TestContext;
let sink: SmtpSink;
beforeEach(async () => {
  ({ ctx, sink } = await contextWithSink());
});
afterEach(() => closeWithSink(ctx, sink));

const ZWSP = "\u200b";

/** A Subject header, with a Q-encoded word (non-ASCII subjects) decoded. */
const subjectOf = (header = "") =>
  header.replace(/=\?UTF-8\?Q\?(.*?)\?=/gi, (_m, q: string) =>
    Buffer.from(
      q
        .replace(/_/g, " ")
        .replace(/=([0-9A-F]{2})/g, (_x, hex: string) => String.fromCharCode(Number.parseInt(hex, 16))),
      "latin1",
    ).toString("utf8"),
  );

test("old-format sends and transactional rows still send as before, after migration 008", async () => {
  const at = ctx.now().toISOString();
  const k = ctx.db.kysely;
  // A new-post send as the old renderer stored it: the author's "{{name}}" made inert.
  const post = await k
    .insertInto("mail_sends")
    .values({
      kind: "post",
      subject: `About {${ZWSP}{name}} & more`,
      html: `<p>Hi {{name}}: &#123;&#123;name}} is how you write it.</p><a href="{{unsubscribe_url}}">Unsubscribe</a> {{unknown}}`,
      text: `Hi {{name}}: {${ZWSP}{name}} is how you write it.\nUnsubscribe: {{unsubscribe_url}}`,
      list_ids: "[1]",
      status: "sending",
      total: 1,
      created_at: at,
      started_at: at,
    })
    .returning("id")
    .executeTakeFirstOrThrow();
  // A send whose subject has a real placeholder (no renderer made one, but the old outbox filled it).
  const greeting = await k
    .insertInto("mail_sends")
    .values({
      kind: "test",
      subject: "Hello {{name}}",
      list_ids: "[]",
      html: "<p>x</p>",
      text: "x",
      status: "sending",
      total: 1,
      created_at: at,
      started_at: at,
    })
    .returning("id")
    .executeTakeFirstOrThrow();
  const row = (o: { send_id: number | null; to: string; priority: number; vars: object; own?: object }) => ({
    send_id: o.send_id,
    priority: o.priority,
    to_email: o.to,
    message_id: `<${o.to}@example.com>`,
    vars: JSON.stringify(o.vars),
    next_attempt_at: at,
    created_at: at,
    ...o.own,
  });
  await k
    .insertInto("outbox")
    .values([
      row({
        send_id: post.id,
        to: "reader@example.net",
        priority: 10,
        vars: { name: `Tom & "J" <t>`, unsubscribe_url: "https://site.example/unsubscribe/a?x=1&y=2" },
      }),
      row({ send_id: greeting.id, to: "ann@example.net", priority: 10, vars: { name: "Ann" } }),
      // A confirmation as the old audience code queued it: every value in vars.
      row({
        send_id: null,
        to: "new@example.net",
        priority: 0,
        vars: { email: "new@example.net", what: "News (<b>weekly</b>)", link: "https://site.example/c?a=1&b=2" },
        own: {
          subject: "Please confirm your subscription",
          html: `<p>Subscribe <strong>{{email}}</strong> to: {{what}}.</p><p><a href="{{link}}">Confirm</a></p>`,
          text: "Subscribe {{email}} to: {{what}}.\n\nConfirm: {{link}}\n",
        },
      }),
      // An event email: placeholders in the subject too, and a Reply-To value.
      row({
        send_id: null,
        to: "ada@example.net",
        priority: 0,
        vars: { title: "Owning <your> audience", reply_to: "host@example.net" },
        own: { subject: "You're registered: {{title}}", html: "<title>{{title}}</title>", text: "{{title}} {{nope}}" },
      }),
    ])
    .execute();

  await up(k as never, ctx.db.dialect);
  // A second run (a crash before the migration was recorded) changes nothing it converted.
  const converted = await k.selectFrom("outbox").select(["subject", "html", "text"]).orderBy("id").execute();
  const sends = await k.selectFrom("mail_sends").select(["html", "text"]).orderBy("id").execute();
  await up(k as never, ctx.db.dialect);
  assert.deepEqual(await k.selectFrom("outbox").select(["subject", "html", "text"]).orderBy("id").execute(), converted);
  assert.deepEqual(await k.selectFrom("mail_sends").select(["html", "text"]).orderBy("id").execute(), sends);
  const totals = await deliverToSink(ctx, sink);
  assert.deepEqual([totals.sent, totals.failed], [4, 0]);
  const got = (to: string) => {
    const m = sink.received.find((r) => r.to[0] === to);
    assert.ok(m, `${to} got their message`);
    return { ...parts(m.raw), headers: m.headers };
  };

  const reader = got("reader@example.net");
  assert.equal(subjectOf(reader.headers.get("subject")), `About {${ZWSP}{name}} & more`);
  assert.equal(
    reader.html,
    '<p>Hi Tom &amp; &quot;J&quot; &lt;t&gt;: &#123;&#123;name}} is how you write it.</p><a href="https://site.example/unsubscribe/a?x=1&amp;y=2">Unsubscribe</a> {{unknown}}',
  );
  assert.equal(
    reader.text,
    `Hi Tom & "J" <t>: {${ZWSP}{name}} is how you write it.\nUnsubscribe: https://site.example/unsubscribe/a?x=1&y=2`,
  );
  assert.equal(reader.headers.get("list-unsubscribe"), "<https://site.example/unsubscribe/a?x=1&y=2>");

  assert.equal(got("ann@example.net").headers.get("subject"), "Hello Ann", "a placeholder subject filled per row");

  const confirm = got("new@example.net");
  assert.equal(
    confirm.html,
    '<p>Subscribe <strong>new@example.net</strong> to: News (&lt;b&gt;weekly&lt;/b&gt;).</p><p><a href="https://site.example/c?a=1&amp;b=2">Confirm</a></p>',
  );
  assert.equal(
    confirm.text,
    "Subscribe new@example.net to: News (<b>weekly</b>).\n\nConfirm: https://site.example/c?a=1&b=2\n",
  );

  const ada = got("ada@example.net");
  assert.equal(ada.headers.get("subject"), "You're registered: Owning <your> audience");
  assert.equal(ada.html, "<title>Owning &lt;your&gt; audience</title>");
  assert.equal(ada.text, "Owning <your> audience {{nope}}", "a placeholder without a value stays, as before");
  assert.equal(ada.headers.get("reply-to"), "host@example.net");

  // Stored in the new form: the send's parts, the rows' own messages filled in.
  const send = await mailStore(ctx.db).sendById(post.id);
  assert.deepEqual(JSON.parse(send?.text ?? ""), [
    "Hi ",
    { slot: "name" },
    `: {${ZWSP}{name}} is how you write it.\nUnsubscribe: `,
    { slot: "unsubscribe_url" },
  ]);
});
