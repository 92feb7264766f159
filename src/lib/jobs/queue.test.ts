import assert from "node:assert/strict";
import { afterEach, beforeEach, test } from "node:test";
import { z } from "zod";
import { createTestContext, type TestContext } from "../testing.ts";
import { handle, jobKind } from "./kinds.ts";
import { backoffMs } from "./queue.ts";
import { JobRunner } from "./runner.ts";

const echo = jobKind("echo", z.object({ n: z.number() }));
const empty = (name: string) => jobKind(name, z.object({}));

let ctx: TestContext;
beforeEach(async () => {
  ctx = await createTestContext();
});
afterEach(async () => ctx.cleanup());

test("a due job runs once and is marked done", async () => {
  const seen: unknown[] = [];
  ctx.runner.register(
    handle(echo, async (p) => {
      seen.push(p);
    }),
  );
  await ctx.jobs.enqueue(echo, { n: 1 });
  assert.equal(await ctx.runner.drain(), 1);
  assert.deepEqual(seen, [{ n: 1 }]);
  assert.deepEqual(await ctx.jobs.stats(), { done: 1 });
});

test("a future job waits until its time", async () => {
  ctx.setNow(new Date("2026-01-01T00:00:00Z"));
  let ran = 0;
  const later = empty("later");
  ctx.runner.register(
    handle(later, async () => {
      ran++;
    }),
  );
  await ctx.jobs.enqueue(later, {}, { runAt: new Date("2026-01-01T01:00:00Z") });
  assert.equal(await ctx.runner.drain(), 0);
  ctx.setNow(new Date("2026-01-01T01:00:01Z"));
  assert.equal(await ctx.runner.drain(), 1);
  assert.equal(ran, 1);
});

test("a failing job is retried with backoff and fails after max attempts", async () => {
  const t0 = new Date("2026-01-01T00:00:00Z");
  ctx.setNow(t0);
  let calls = 0;
  const flaky = empty("flaky");
  ctx.runner.register(
    handle(flaky, async () => {
      calls++;
      throw new Error("boom");
    }),
  );
  await ctx.jobs.enqueue(flaky, {}, { maxAttempts: 2 });
  await ctx.runner.drain();
  const after1 = await ctx.db.kysely.selectFrom("jobs").selectAll().executeTakeFirstOrThrow();
  assert.equal(after1.status, "queued");
  assert.equal(after1.last_error, "boom");
  assert.ok(after1.run_at > t0.toISOString(), "retry is scheduled in the future");
  ctx.setNow(new Date(t0.getTime() + 3_600_000));
  await ctx.runner.drain();
  const after2 = await ctx.db.kysely.selectFrom("jobs").selectAll().executeTakeFirstOrThrow();
  assert.equal(after2.status, "failed");
  assert.equal(calls, 2);
});

test("a stored payload that does not match its kind fails at once, naming the field, and is not retried", async () => {
  let calls = 0;
  ctx.runner.register(
    handle(echo, async () => {
      calls++;
    }),
  );
  // Rows as an older version, or a hand edit, might have left them.
  const at = ctx.now().toISOString();
  const row = { status: "queued" as const, run_at: at, attempts: 0, max_attempts: 8, created_at: at, updated_at: at };
  await ctx.db.kysely
    .insertInto("jobs")
    .values([
      { ...row, kind: "echo", payload: JSON.stringify({ n: "one" }) },
      { ...row, kind: "echo", payload: "{not json" },
    ])
    .execute();
  await ctx.runner.drain();
  const rows = await ctx.db.kysely.selectFrom("jobs").selectAll().orderBy("id").execute();
  assert.deepEqual(
    rows.map((r) => [r.status, r.attempts]),
    [
      ["failed", 1],
      ["failed", 1],
    ],
  );
  assert.match(rows[0].last_error ?? "", /^bad payload for echo: n: .*number/i);
  assert.equal(rows[1].last_error, "bad payload for echo: not JSON");
  assert.equal(calls, 0, "the handler never saw them");
  // Enqueueing a wrong payload is a bug, caught before anything is stored.
  await assert.rejects(ctx.jobs.enqueue(echo, { n: "two" } as unknown as { n: number }));
});

test("unique keys keep one pending job and reschedule it", async () => {
  const publish = jobKind("publish", z.object({ id: z.number() }));
  const a = await ctx.jobs.enqueue(publish, { id: 1 }, { uniqueKey: "publish:1", runAt: new Date(Date.now() + 1e6) });
  const b = await ctx.jobs.enqueue(publish, { id: 1 }, { uniqueKey: "publish:1", runAt: new Date(Date.now() + 2e6) });
  assert.equal(a, b);
  assert.equal(await ctx.jobs.cancel("publish:1"), 1);
});

test("two workers never claim the same job", async () => {
  const x = jobKind("x", z.object({ i: z.number() }));
  for (let i = 0; i < 20; i++) await ctx.jobs.enqueue(x, { i });
  const { JobQueue } = await import("./queue.ts");
  const other = new JobQueue(ctx.db, ctx.now);
  const [a, b] = await Promise.all([ctx.jobs.claim(15), other.claim(15)]);
  const ids = [...a, ...b].map((j) => j.id);
  assert.equal(new Set(ids).size, ids.length);
  assert.equal(ids.length, 20);
});

test("a job whose worker died is claimed again once its lease runs out, before queued jobs", async () => {
  const x = jobKind("x", z.object({ i: z.number() }));
  const start = new Date("2026-03-01T10:00:00Z");
  ctx.setNow(start);
  await ctx.jobs.enqueue(x, { i: 1 });
  const { JobQueue } = await import("./queue.ts");
  const dead = new JobQueue(ctx.db, ctx.now);
  const [held] = await dead.claim(1);
  assert.ok(held, "the first worker holds it");
  await ctx.jobs.enqueue(x, { i: 2 });
  const later = new JobQueue(ctx.db, ctx.now);
  const first = await later.claim(5);
  assert.deepEqual(
    first.map((j) => JSON.parse(j.payload).i),
    [2],
    "while the lease lasts, only the queued one",
  );
  for (const j of first) await later.complete(j);
  await ctx.jobs.enqueue(x, { i: 3 });
  ctx.setNow(new Date(start.getTime() + 61_000));
  const again = await later.claim(1);
  assert.deepEqual(
    again.map((j) => [j.id, j.attempts]),
    [[held.id, 2]],
    "the expired one first, as a second attempt",
  );
  await later.complete(again[0] as (typeof again)[0]);
  assert.equal((await dead.claim(5)).length, 1, "the queued one is still there");
  await dead.complete(held);
  const row = await ctx.db.kysely.selectFrom("jobs").select("status").where("id", "=", held.id).executeTakeFirst();
  assert.equal(row?.status, "done", "the dead worker's late completion changes nothing it no longer holds");
});

test("backoff grows and is capped", () => {
  const fixed = () => 0.5;
  assert.equal(backoffMs(1, fixed), 10_000);
  assert.equal(backoffMs(3, fixed), 40_000);
  assert.equal(backoffMs(30, fixed), 3_600_000);
});

test("jobs of a parallel kind run at once; the others one by one", async () => {
  const slow = jobKind("test.slow", z.object({ n: z.number() }), { parallel: true });
  const plain = jobKind("test.plain", z.object({ n: z.number() }));
  let running = 0;
  let most = { slow: 0, plain: 0 };
  const body = (which: "slow" | "plain") => async () => {
    running++;
    most = { ...most, [which]: Math.max(most[which], running) };
    await new Promise((r) => setTimeout(r, 20));
    running--;
  };
  ctx.runner.register(handle(slow, body("slow")));
  for (let n = 0; n < 4; n++) await ctx.jobs.enqueue(slow, { n });
  assert.equal(await ctx.runner.drain(), 4);
  assert.equal(most.slow, 4, "four slow jobs were waiting at once");
  ctx.runner.register(handle(plain, body("plain")));
  for (let n = 0; n < 3; n++) await ctx.jobs.enqueue(plain, { n });
  running = 0;
  assert.equal(await ctx.runner.drain(), 3);
  assert.equal(most.plain, 1, "plain jobs never overlap");
});

test("a slow parallel job holds one slot, not its batch: the jobs claimed with it go on past it", async () => {
  const kind = jobKind("test.delivery", z.object({ ms: z.number() }), { parallel: true });
  const ended: number[] = [];
  ctx.runner.register(
    handle(kind, async ({ ms }) => {
      await new Promise((r) => setTimeout(r, ms));
      ended.push(ms);
    }),
  );
  // One server that takes 300 ms among fifteen that answer at once (a batch is ten).
  await ctx.jobs.enqueue(kind, { ms: 300 });
  for (let n = 0; n < 15; n++) await ctx.jobs.enqueue(kind, { ms: 5 });
  assert.equal(await ctx.runner.drain(), 16);
  assert.equal(ended.at(-1), 300, "every quick job ended before the slow one");
});

test("parallel jobs run at most `parallel` at once, and jobs queued by a running job run in the same drain", async () => {
  const fanOut = jobKind("test.fan-out", z.object({}), { parallel: true });
  const send = jobKind("test.send", z.object({ n: z.number() }), { parallel: true });
  const runner = new JobRunner(ctx.jobs, ctx.log, { parallel: 3 });
  let running = 0;
  let most = 0;
  const sent: number[] = [];
  runner.register(
    handle(fanOut, async () =>
      ctx.jobs.enqueueMany(
        send,
        [0, 1, 2, 3, 4, 5, 6, 7].map((n) => ({ n })),
      ),
    ),
  );
  runner.register(
    handle(send, async ({ n }) => {
      most = Math.max(most, ++running);
      await new Promise((r) => setTimeout(r, 10));
      running--;
      sent.push(n);
    }),
  );
  await ctx.jobs.enqueue(fanOut, {});
  assert.equal(await runner.drain(), 9);
  assert.deepEqual(sent.sort(), [0, 1, 2, 3, 4, 5, 6, 7]);
  assert.equal(most, 3);
});

test("enqueueMany stores a batch larger than one statement can bind, whole", async () => {
  await ctx.jobs.enqueueMany(
    echo,
    Array.from({ length: 4_000 }, (_, n) => ({ n })),
  );
  assert.deepEqual(await ctx.jobs.stats(), { queued: 4_000 });
});

test("the same unique key queued twice at once (two processes starting together): one job, no error", async () => {
  const chain = empty("chain");
  const ids = await Promise.all(
    Array.from({ length: 4 }, () => ctx.jobs.enqueue(chain, {}, { uniqueKey: "chain:one", keepEarlier: true })),
  );
  assert.equal(new Set(ids).size, 1, ids.join(","));
  assert.deepEqual(await ctx.jobs.stats(), { queued: 1 });
});
