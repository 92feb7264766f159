import assert from "node:assert/strict";
import { type ChildProcess, spawn } from "node:child_process";
import { afterEach, beforeEach, test } from "node:test";
import { type CliEnv, cliEnv, linerBin, runCli } from "../cli/testing.ts";
import { closeContext } from "../lib/context.ts";
import { createSend } from "./service.ts";
import { mailStore } from "./store.ts";
import { fixedMail, type SmtpSink, smtpSink } from "./testing.ts";

let e: CliEnv;
let sink: SmtpSink;
beforeEach(async () => {
  e = await cliEnv();
  sink = await smtpSink({ auth: { user: "liner", pass: "pa ss/word" } });
  e.env.SMTP_URL = sink.url;
  e.env.LINER_MAIL_FROM = "Ann Example <ann@example.com>";
});
afterEach(async () => {
  await sink.close();
  await e.cleanup();
});

test("mail test sends through SMTP_URL now and prints the server's answer; failures exit 1 with the reason", async () => {
  const ok = await runCli(["mail", "test", "Me@Example.net"], { env: e.env });
  assert.equal(ok.code, 0, ok.stderr);
  assert.match(ok.stdout, /^Sent a test message to me@example\.net through smtp:\/\/127\.0\.0\.1:\d+: 250 /);
  assert.doesNotMatch(ok.stdout + ok.stderr, /pa ss|pa%20ss/, "the password is never printed");
  assert.deepEqual(sink.received[0].to, ["me@example.net"]);
  assert.equal(sink.received[0].headers.get("from"), "Ann Example <ann@example.com>");

  sink.fail("nobody@example.net", 550);
  const refused = await runCli(["mail", "test", "nobody@example.net"], { env: e.env });
  assert.equal(refused.code, 1);
  assert.match(refused.stderr, /was not sent \(failed\): 550 5\.1\.1 No such user here/);

  const bad = await runCli(["mail", "test", "not-an-address"], { env: e.env });
  assert.equal(bad.code, 1);
  assert.match(bad.stderr, /"not-an-address" is not an email address/);

  const wrongPass = await runCli(["mail", "test", "me@example.net"], {
    env: { ...e.env, SMTP_URL: sink.url.replace("pa%20ss", "nope") },
  });
  assert.equal(wrongPass.code, 1);
  assert.match(wrongPass.stderr, /Could not use smtp:\/\/127\.0\.0\.1:\d+: .*535/);

  const unset = await runCli(["mail", "test", "me@example.net"], { env: { ...e.env, SMTP_URL: "" } });
  assert.equal(unset.code, 1);
  assert.match(unset.stderr, /SMTP_URL is not set/);

  const malformed = await runCli(["mail", "status"], { env: { ...e.env, SMTP_URL: "http://u:secretpw@host" } });
  assert.equal(malformed.code, 2);
  assert.match(malformed.stderr, /^liner: SMTP_URL: must be smtp:\/\//);
  assert.doesNotMatch(malformed.stderr, /secretpw/);
});

function startWorker(env: NodeJS.ProcessEnv): ChildProcess {
  return spawn(process.execPath, [linerBin, "worker"], { env, stdio: ["ignore", "pipe", "pipe"] });
}

async function until(check: () => Promise<boolean> | boolean, what: string, ms = 60_000): Promise<void> {
  const end = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

test("a worker killed mid-send (kill -9) resumes: every row marked sent is at the sink, every recipient gets the message at least once", async (t) => {
  const N = 300;
  const ctx = await e.open();
  let sendId: number;
  try {
    const people = Array.from({ length: N }, (_, i) => ({ email: `r${i}@example.net`, vars: {} }));
    sendId = await createSend(ctx, { kind: "post", ...fixedMail("Hello", "<p>Hi</p>", "Hi") }, people);
  } finally {
    await closeContext(ctx);
  }
  const env = { ...e.env, LINER_MAIL_RATE: "2000", LINER_MAIL_CONCURRENCY: "4" };
  const first = startWorker(env);
  await until(() => sink.received.length >= N / 2, "half of the messages");
  // The sink now holds messages inside DATA, before keeping them: once every connection has one
  // there, the kill lands with 4 messages on the wire, which are lost unless they are sent again.
  sink.hold();
  await until(() => sink.held === 4, "a message in DATA on every connection");
  first.kill("SIGKILL");
  await new Promise((r) => first.once("exit", r));
  await until(() => sink.held === 0, "the killed worker's connections to close");
  sink.release();
  const atKill = sink.received.length;
  assert.ok(atKill < N, `killed half-way (${atKill} of ${N} received)`);

  const check = await e.open();
  const atSink = () => new Set(sink.received.map((m) => m.headers.get("message-id")));
  /** Outbox rows marked sent whose message the sink does not hold: mail lost for good. */
  const lost = async () => {
    const sent = await check.db.kysely.selectFrom("outbox").select("message_id").where("status", "=", "sent").execute();
    const held = atSink();
    return sent.map((r) => r.message_id).filter((id) => !held.has(id));
  };
  try {
    assert.deepEqual(await lost(), [], "a row is marked sent only once the server has the message");
    // The first worker's claimed rows are sent again once their lease (30 s) runs out; the test
    // moves that along by expiring the leases in the database, as time would.
    await check.db.kysely
      .updateTable("outbox")
      .set({ lease_until: "2000-01-01T00:00:00.000Z" })
      .where("status", "=", "sending")
      .execute();
    const second = startWorker(env);
    try {
      await until(async () => (await mailStore(check.db).progress(sendId)).sent === N, "all rows sent", 90_000);
    } finally {
      second.kill("SIGTERM");
      await new Promise((r) => second.once("exit", r));
    }
    assert.deepEqual(await lost(), [], "every row marked sent is at the sink");
  } finally {
    await closeContext(check);
  }
  const byRecipient = new Map<string, Set<string>>();
  for (const m of sink.received) {
    const ids = byRecipient.get(m.to[0]) ?? new Set();
    ids.add(m.headers.get("message-id") ?? "");
    byRecipient.set(m.to[0], ids);
  }
  assert.equal(byRecipient.size, N, "no recipient missed");
  for (const [to, ids] of byRecipient) assert.equal(ids.size, 1, `${to}: one Message-ID however often it arrived`);
  // At least once: a message the sink kept just as the worker died is sent again (allowed, and
  // reported); only the few in flight at the kill can be.
  const resent = sink.received.length - N;
  t.diagnostic(`killed at ${atKill} of ${N} received; ${resent} resent after the restart`);
  assert.ok(resent <= 4, `at most the messages in flight at the kill are resent (${resent})`);
});
