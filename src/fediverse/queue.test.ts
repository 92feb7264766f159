import assert from "node:assert/strict";
import { afterEach, beforeEach, test } from "node:test";
import { Temporal } from "@js-temporal/polyfill";

/** A polyfill Duration, as Fedify passes them (its types name the global Temporal's). */
const duration = (d: Temporal.DurationLike) => Temporal.Duration.from(d) as never;

import { createTestContext, type TestContext } from "../lib/testing.ts";
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
