import assert from "node:assert/strict";
import { afterEach, beforeEach, test } from "node:test";
import { type AppContext, closeContext } from "../lib/context.ts";
import { anotherProcess, createTestContext, type TestContext } from "../lib/testing.ts";
import { deliverDue } from "./delivery.ts";
import { rateWindow } from "./rate.ts";
import { createSend } from "./service.ts";
import { fixedMail, type SmtpSink, smtpSink } from "./testing.ts";
import { createMailer } from "./transport.ts";

let ctx: TestContext;
let other: AppContext;
let sink: SmtpSink;
beforeEach(async () => {
  sink = await smtpSink();
  ctx = await createTestContext();
  ctx.config.mail = { ...ctx.config.mail, smtpUrl: sink.url, from: "Ann <ann@example.com>" };
  other = await anotherProcess(ctx);
});
afterEach(async () => {
  await closeContext(other);
  await ctx.cleanup();
  await sink.close();
});

test("rate windows: a whole number of messages per ~100 ms, never faster than the rate", () => {
  assert.deepEqual(rateWindow(20), { limit: 2, windowMs: 100 });
  assert.deepEqual(rateWindow(25), { limit: 2, windowMs: 80 });
  assert.deepEqual(rateWindow(5), { limit: 1, windowMs: 200 });
  assert.deepEqual(rateWindow(0.5), { limit: 1, windowMs: 2000 });
  assert.deepEqual(rateWindow(300), { limit: 30, windowMs: 100 });
  for (const rate of [1, 3, 7, 20, 25, 33, 300, 999])
    assert.ok((rateWindow(rate).limit * 1000) / rateWindow(rate).windowMs <= rate, `${rate}/s`);
});

test("two delivery runners on one database (two processes) share LINER_MAIL_RATE: together they keep to it", async (t) => {
  const N = 100;
  const RATE = 50;
  const people = Array.from({ length: N }, (_, i) => ({ email: `r${i}@example.net`, vars: {} }));
  await createSend(ctx, { kind: "post", ...fixedMail("Hello", "<p>Hi</p>", "Hi") }, people);
  // Short leases make small batches (25 rows), so both runners get rows from the first claim on.
  const opts = { ratePerSecond: RATE, concurrency: 2, leaseMs: 2000 };
  const run = async (c: AppContext) => {
    const mailer = createMailer({ ...ctx.config.mail, smtpUrl: sink.url });
    try {
      return await deliverDue(c, mailer, opts);
    } finally {
      mailer.close();
    }
  };
  const [a, b] = await Promise.all([run(ctx), run(other)]);
  assert.ok(a.sent > 0 && b.sent > 0, `both runners sent (${a.sent} and ${b.sent})`);
  assert.equal(a.sent + b.sent, N);
  const to = sink.received.map((m) => m.to[0]);
  assert.equal(new Set(to).size, N, "every recipient");
  assert.equal(to.length, N, "once");
  // Sharing the rate, a runner's batch can outlast half its lease: the rest is put back unsent
  // and claimed afresh, which is not an attempt (attempts count towards giving up).
  const attempts = await ctx.db.kysely.selectFrom("outbox").select("attempts").execute();
  assert.deepEqual(new Set(attempts.map((r) => Number(r.attempts))), new Set([1]));

  const times = sink.received.map((m) => m.at).sort((x, y) => x - y);
  const spanMs = times[N - 1] - times[0];
  // In any one second at most the rate, give or take a window's burst and delivery jitter.
  const busiest = Math.max(...times.map((t0) => times.filter((t1) => t1 >= t0 && t1 < t0 + 1000).length));
  t.diagnostic(`${N} messages in ${Math.round(spanMs)} ms at the sink; at most ${busiest} in any second`);
  assert.ok(busiest <= RATE * 1.3, `at most ~${RATE} in any second (${busiest})`);
  assert.ok(spanMs >= (N / RATE) * 1000 * 0.8, `${N} messages at ${RATE}/s take ~${N / RATE} s (${spanMs} ms)`);
});
