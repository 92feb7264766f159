import assert from "node:assert/strict";
import { afterEach, beforeEach, test } from "node:test";
import { Temporal } from "@js-temporal/polyfill";

/** A polyfill Duration, as Fedify passes them (its types name the global Temporal's). */
const duration = (d: Temporal.DurationLike) => Temporal.Duration.from(d) as never;

import { closeContext } from "../lib/context.ts";
import { anotherProcess, createTestContext, type TestContext } from "../lib/testing.ts";
import { jobsMessageQueue } from "./queue.ts";

let ctx: TestContext;
beforeEach(async () => {
  ctx = await createTestContext();
  ctx.setNow(new Date("2026-03-01T10:00:00Z"));
});
afterEach(() => ctx.cleanup());

test("messages become durable jobs; listen runs them (delayed ones when due) until its signal stops it", async () => {
  const q = jobsMessageQueue(ctx);
  await q.enqueue({ type: "outbox", n: 1 });
  await q.enqueue({ type: "outbox", n: 2 }, { delay: duration({ minutes: 10 }) });
  await q.enqueueMany?.([{ n: 3 }, { n: 4 }]);
  const jobs = await ctx.db.kysely
    .selectFrom("jobs")
    .select(["kind", "payload"])
    .where("kind", "=", "fediverse.message")
    .execute();
  assert.equal(jobs.length, 4, "stored in the jobs table");
  const seen: unknown[] = [];
  const stop = new AbortController();
  const listening = q.listen(
    async (m) => {
      seen.push((m as { n: number }).n);
    },
    { signal: stop.signal },
  );
  await ctx.runner.drain();
  assert.deepEqual(seen.sort(), [1, 3, 4], "the delayed one waits");
  ctx.setNow(new Date("2026-03-01T10:11:00Z"));
  await ctx.runner.drain();
  assert.deepEqual(seen.sort(), [1, 2, 3, 4]);
  let done = false;
  void listening.then(() => {
    done = true;
  });
  stop.abort();
  await listening;
  assert.equal(done, true, "listen resolves when the signal aborts");
});

test("messages of one ordering key run one after another; others at once", async () => {
  const q = jobsMessageQueue(ctx);
  const log: string[] = [];
  let running = 0;
  let most = 0;
  void q.listen(async (m) => {
    const { id } = m as { id: string };
    running++;
    most = Math.max(most, running);
    log.push(`start ${id}`);
    await new Promise((r) => setTimeout(r, 15));
    log.push(`end ${id}`);
    running--;
  });
  await q.enqueue({ id: "create" }, { orderingKey: "note-1" });
  await q.enqueue({ id: "delete" }, { orderingKey: "note-1" });
  await q.enqueue({ id: "other" });
  await ctx.runner.drain();
  assert.ok(log.indexOf("end create") < log.indexOf("start delete"), log.join(", "));
  assert.equal(most, 2, "the unrelated one ran beside them");
});

test("a fan-out's deliveries store the activity and keys once, queued in one go, and run with them whole", async () => {
  const q = jobsMessageQueue(ctx);
  const activity = { id: "https://site.example/ap/create/1", type: "Create", object: { content: "<p>long</p>" } };
  const keys = [{ keyId: "https://site.example/ap/actor/owner#main-key", privateKey: { kty: "RSA", d: "SECRET-D" } }];
  const inboxes = ["https://a.example/inbox", "https://b.example/inbox", "https://c.example/inbox"];
  const messages = inboxes.map((inbox) => ({ type: "outbox", inbox, activity, keys, attempt: 0 }));
  // As Fedify queues a fan-out with an ordering key: every enqueue at once.
  await Promise.all(messages.map((m) => q.enqueue(m, { orderingKey: `post:1\n${m.inbox}` })));
  const rows = await ctx.db.kysely.selectFrom("jobs").select(["payload", "created_at"]).execute();
  assert.equal(rows.length, 3);
  for (const r of rows) {
    assert.doesNotMatch(r.payload, /SECRET-D|long/, "no copy of the private key or the activity in the job");
    assert.match(r.payload, /"sharedRef":"[\w-]{43}"/);
  }
  const seen: unknown[] = [];
  void q.listen(async (m) => {
    seen.push(m);
  });
  await ctx.runner.drain();
  const byInbox = (a: unknown, b: unknown) =>
    (a as { inbox: string }).inbox.localeCompare((b as { inbox: string }).inbox);
  assert.deepEqual(seen.sort(byInbox), messages, "each message whole again");

  // Parts that are gone (expired) fail the delivery's job with a message saying so.
  const elsewhere = await anotherProcess(ctx);
  try {
    const other = jobsMessageQueue(elsewhere);
    await other.enqueue({ type: "outbox", inbox: "https://d.example/inbox", activity: { id: "x" }, keys: [] });
  } finally {
    await closeContext(elsewhere);
  }
  await ctx.db.kysely.deleteFrom("fedi_kv").execute();
  void q.listen(async () => {});
  await ctx.runner.drain();
  const failed = await ctx.db.kysely
    .selectFrom("jobs")
    .select("last_error")
    .where("payload", "like", "%d.example%")
    .executeTakeFirstOrThrow();
  assert.match(failed.last_error ?? "", /no longer stored/);
});
