import assert from "node:assert/strict";
import { generateKeyPairSync } from "node:crypto";
import fs from "node:fs";
import { createRequire } from "node:module";
import os from "node:os";
import path from "node:path";
import { afterEach, beforeEach, test } from "node:test";
import { h } from "../lib/html.ts";
import { createTestContext, type TestContext } from "../lib/testing.ts";
import { deliverDue } from "./delivery.ts";
import { createSend, queueTransactional, sendStatus } from "./service.ts";
import { mailStore } from "./store.ts";
import { mailTemplate } from "./template.ts";
import { type SmtpSink, smtpSink } from "./testing.ts";
import { createMailer, type Mailer } from "./transport.ts";

let ctx: TestContext;
let sink: SmtpSink;
let mailer: Mailer;
beforeEach(async () => {
  sink = await smtpSink({ auth: { user: "liner", pass: "s3cret p@ss" } });
  ctx = await createTestContext();
  ctx.config.mail = { ...ctx.config.mail, smtpUrl: sink.url, from: "Ann Example <ann@example.com>" };
  mailer = createMailer({ ...ctx.config.mail, smtpUrl: sink.url });
});
afterEach(async () => {
  mailer.close();
  await ctx.cleanup();
  await sink.close();
});

const fast = { ratePerSecond: 1000, concurrency: 2 };
const recipient = (email: string, subscriberId: number) => ({
  email,
  subscriberId,
  listId: 1,
  vars: { unsubscribe_url: `https://site.example/unsubscribe/${subscriberId}`, name: `Reader <${subscriberId}>` },
});
const post = {
  kind: "post",
  ...mailTemplate((slot) => ({
    subject: "New: Liner notes",
    html: h`<p>Hi ${slot("name")}</p>`,
    text: `Hi ${slot("name")}`,
  })),
};

test("transactional mail goes before bulk; bulk carries the recipient's values and one-click unsubscribe", async () => {
  const sendId = await createSend(ctx, post, [recipient("a@example.net", 1), recipient("b@example.net", 2)]);
  await queueTransactional(ctx, {
    to: "New@Example.net",
    subject: "Confirm",
    html: h`<p>Confirm</p>`,
    text: "Confirm",
  });
  const totals = await deliverDue(ctx, mailer, { ...fast, concurrency: 1 });
  assert.deepEqual([totals.sent, totals.failed, totals.retried], [3, 0, 0]);
  assert.deepEqual(
    sink.received.map((m) => m.to[0]),
    ["new@example.net", "a@example.net", "b@example.net"],
  );
  const a = sink.received[1];
  assert.equal(a.headers.get("list-unsubscribe"), "<https://site.example/unsubscribe/1>");
  assert.equal(a.headers.get("list-unsubscribe-post"), "List-Unsubscribe=One-Click");
  assert.equal(a.headers.get("subject"), "New: Liner notes");
  assert.match(a.raw, /Hi Reader &lt;1&gt;/, "HTML values are escaped");
  assert.match(a.raw, /Hi Reader <1>/, "the text part gets them as they are");
  assert.equal(sink.received[0].headers.get("list-unsubscribe"), undefined, "no list headers on a confirmation");
  const rows = await mailStore(ctx.db).rowsOf(sendId);
  assert.deepEqual(
    rows.map((r) => [r.status, a.headers.get("message-id") === r.message_id || r.to_email !== "a@example.net"]),
    [
      ["sent", true],
      ["sent", true],
    ],
  );
  const status = await sendStatus(ctx, sendId);
  assert.equal(status.send.status, "done");
  assert.deepEqual([status.progress.total, status.progress.sent, status.etaSeconds], [2, 2, 0]);
});

test("a 4xx answer is retried with backoff; a 5xx answer fails the row and suppresses the address", async () => {
  sink.fail("later@example.net", 451, 1);
  sink.fail("gone@example.net", 550);
  const sendId = await createSend(ctx, post, [recipient("later@example.net", 1), recipient("gone@example.net", 2)]);
  const first = await deliverDue(ctx, mailer, fast);
  assert.deepEqual([first.sent, first.retried, first.failed, first.more], [0, 1, 1, false]);
  const rows = await mailStore(ctx.db).rowsOf(sendId);
  const later = rows.find((r) => r.to_email === "later@example.net");
  const gone = rows.find((r) => r.to_email === "gone@example.net");
  assert.equal(later?.status, "queued");
  assert.match(later?.last_response ?? "", /451/);
  assert.ok(Date.parse(later?.next_attempt_at ?? "") > ctx.now().getTime() + 5000, "backed off");
  assert.equal(gone?.status, "failed");
  assert.match(gone?.last_response ?? "", /550/);
  assert.ok((await mailStore(ctx.db).suppressed(["gone@example.net"])).has("gone@example.net"));
  // Nothing is due until the backoff has passed; then the retry goes through.
  assert.equal((await deliverDue(ctx, mailer, fast)).sent, 0);
  ctx.setNow(new Date(ctx.now().getTime() + 3_600_000));
  assert.equal((await deliverDue(ctx, mailer, fast)).sent, 1);
  assert.deepEqual(
    sink.received.map((m) => m.to[0]),
    ["later@example.net"],
  );
  // A later send leaves the suppressed address out.
  const next = await createSend(ctx, post, [recipient("gone@example.net", 2), recipient("c@example.net", 3)]);
  assert.equal((await sendStatus(ctx, next)).progress.total, 1);
});

test("an unsubscribe mid-send stops that subscriber's mail, also a row already claimed", async () => {
  const people = [1, 2, 3, 4].map((i) => recipient(`p${i}@example.net`, i));
  const sendId = await createSend(ctx, post, people);
  let withdrawn = -1;
  const totals = await deliverDue(ctx, mailer, {
    ...fast,
    concurrency: 1,
    onProgress: async (t) => {
      // After the first message, subscriber 3 unsubscribes: their row is claimed, not yet sent.
      if (t.sent === 1 && withdrawn < 0) withdrawn = await mailStore(ctx.db).withdraw(3, 1, "unsubscribed");
    },
  });
  assert.equal(withdrawn, 1);
  assert.deepEqual([totals.sent, totals.suppressed], [3, 1]);
  assert.deepEqual(
    sink.received.map((m) => m.to[0]),
    ["p1@example.net", "p2@example.net", "p4@example.net"],
  );
  const rows = await mailStore(ctx.db).rowsOf(sendId);
  assert.deepEqual(
    rows.map((r) => r.status),
    ["sent", "sent", "suppressed", "sent"],
  );
  assert.equal((await sendStatus(ctx, sendId)).send.status, "done");
});

test("DKIM: messages are signed with the configured key and the signature verifies", async () => {
  const { privateKey, publicKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "liner-dkim-"));
  const keyFile = path.join(dir, "dkim.pem");
  fs.writeFileSync(keyFile, privateKey.export({ type: "pkcs8", format: "pem" }));
  const signed = createMailer({
    ...ctx.config.mail,
    smtpUrl: sink.url,
    dkim: { keyFile, selector: "liner", domain: "example.com" },
  });
  try {
    await queueTransactional(ctx, { to: "dkim@example.net", subject: "Signed", html: h`<p>x</p>`, text: "x" });
    assert.equal((await deliverDue(ctx, signed, fast)).sent, 1);
  } finally {
    signed.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
  const raw = sink.received[0].raw;
  assert.match(raw, /^DKIM-Signature: /m);
  const { dkimVerify } = createRequire(import.meta.url)("mailauth/lib/dkim/verify") as {
    dkimVerify: (m: Buffer, o: object) => Promise<{ results: { status: { result: string } }[] }>;
  };
  const der = publicKey.export({ type: "spki", format: "der" }).toString("base64");
  const resolver = async (name: string, rr: string) => {
    if (name === "liner._domainkey.example.com" && rr === "TXT") return [[`v=DKIM1; k=rsa; p=${der}`]];
    throw Object.assign(new Error(`no ${rr} for ${name}`), { code: "ENOTFOUND" });
  };
  const result = await dkimVerify(Buffer.from(raw), { resolver });
  assert.equal(result.results[0]?.status.result, "pass");
  // The same check fails for a tampered body: the assertion above can fail.
  const tampered = await dkimVerify(Buffer.from(raw.replace("<p>x</p>", "<p>y</p>")), { resolver });
  assert.notEqual(tampered.results[0]?.status.result, "pass");
});

test("an unreachable server is a temporary failure: the message stays queued with the reason", async () => {
  const port = sink.port;
  await sink.close();
  const dead = createMailer({ ...ctx.config.mail, smtpUrl: `smtp://127.0.0.1:${port}` });
  try {
    const id = await queueTransactional(ctx, { to: "x@example.net", subject: "s", html: h`h`, text: "t" });
    const totals = await deliverDue(ctx, dead, fast);
    assert.deepEqual([totals.sent, totals.retried], [0, 1]);
    const row = await ctx.db.kysely.selectFrom("outbox").selectAll().where("id", "=", id).executeTakeFirstOrThrow();
    assert.equal(row.status, "queued");
    assert.match(row.last_response ?? "", /ECONNREFUSED/);
  } finally {
    dead.close();
    sink = await smtpSink();
  }
});

test("a send whose stored template cannot be read fails its rows for good and holds up nothing else", async () => {
  const broken = await createSend(ctx, post, [recipient("x@example.net", 1), recipient("y@example.net", 2)]);
  // As a hand edit, or a row an older version wrote before its migration, might leave it.
  await ctx.db.kysely.updateTable("mail_sends").set({ html: "<p>Hi {{name}}</p>" }).where("id", "=", broken).execute();
  const fine = await createSend(ctx, post, [recipient("z@example.net", 3)]);
  await queueTransactional(ctx, { to: "t@example.net", subject: "Confirm", html: h`<p>Confirm</p>`, text: "Confirm" });
  const totals = await deliverDue(ctx, mailer, fast);
  assert.deepEqual([totals.sent, totals.failed, totals.retried], [2, 2, 0]);
  assert.deepEqual(sink.received.flatMap((m) => m.to).sort(), ["t@example.net", "z@example.net"]);
  const rows = await ctx.db.kysely.selectFrom("outbox").selectAll().where("send_id", "=", broken).execute();
  assert.deepEqual(
    rows.map((r) => r.status),
    ["failed", "failed"],
  );
  assert.match(rows[0].last_response ?? "", /^unreadable message: /);
  assert.equal((await sendStatus(ctx, fine)).send.status, "done");
  assert.equal((await deliverDue(ctx, mailer, fast)).failed, 0, "nothing is claimed again");
});

test("a send to nobody (lists without confirmed subscribers) is done at once, with or without a delivery", async () => {
  ctx.config.mail = { ...ctx.config.mail, smtpUrl: undefined };
  const id = await createSend(ctx, post, []);
  const s = await sendStatus(ctx, id);
  assert.deepEqual([s.send.status, s.progress.total, s.etaSeconds], ["done", 0, 0]);
});
