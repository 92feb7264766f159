/**
 * Fedify's `MessageQueue` on our jobs table (`@fedify/postgres` exists only for Fedify 1.x): its
 * outgoing deliveries and incoming activities become jobs of one kind, durable in the database and
 * claimed safely by several processes on PostgreSQL, like every other background job. `listen`
 * registers the handler with the context's job runner wherever jobs run; Fedify keeps its own retry
 * policy (backoff, giving up after days), so a message's job runs once unless it throws.
 *
 * A fan-out's deliveries share one stored copy of the activity and keys (queue-shared.ts), and
 * the messages queued together go in one transaction.
 *
 * Ordering keys (Fedify 2: a `Delete` after its `Create`): messages run in the order they were
 * queued (the runner claims by run time), and within a process those of one key run one after
 * another; across processes on PostgreSQL two of one key may still overlap (not handled yet).
 */
import type { MessageQueue, MessageQueueEnqueueOptions } from "@fedify/fedify";
import { z } from "zod";
import type { AppContext } from "../lib/context.ts";
import { handle, jobKind } from "../lib/jobs/kinds.ts";
import { dbKvStore } from "./kv.ts";
import { sharedParts } from "./queue-shared.ts";

/** One Fedify message (JSON, as Fedify's own queues keep them). */
export const fediMessageJob = jobKind(
  "fediverse.message",
  z.object({ message: z.unknown(), orderingKey: z.string().optional() }),
  { parallel: true },
);

type FediMessage = z.infer<typeof fediMessageJob.payload>;
type Delay = NonNullable<MessageQueueEnqueueOptions["delay"]>;

/** Attempts of one message's job: Fedify retries deliveries itself; ours only covers crashes. */
const ATTEMPTS = 3;

/** The MessageQueue of a context. */
export function jobsMessageQueue(ctx: Pick<AppContext, "db" | "jobs" | "runner" | "now">): MessageQueue {
  const shared = sharedParts(dbKvStore(ctx));
  const runAt = (delay: Delay) => new Date(ctx.now().getTime() + Math.max(0, delay.total({ unit: "millisecond" })));
  const opts = { maxAttempts: ATTEMPTS };
  // A fan-out queues its deliveries all at once (Fedify calls enqueue for every inbox together):
  // the messages queued in one turn of the event loop go into the jobs table in one transaction.
  let batch: { payload: FediMessage; settle: (err?: unknown) => void }[] = [];
  const flush = async () => {
    const mine = batch;
    batch = [];
    try {
      await ctx.jobs.enqueueMany(
        fediMessageJob,
        mine.map((m) => m.payload),
        opts,
      );
      for (const m of mine) m.settle();
    } catch (err) {
      for (const m of mine) m.settle(err);
    }
  };
  const enqueue = async (message: unknown, options?: MessageQueueEnqueueOptions) => {
    const payload = { message: await shared.pack(message), orderingKey: options?.orderingKey };
    if (options?.delay) {
      await ctx.jobs.enqueue(fediMessageJob, payload, { ...opts, runAt: runAt(options.delay) });
      return;
    }
    await new Promise<void>((resolve, reject) => {
      if (batch.length === 0) setImmediate(flush);
      batch.push({ payload, settle: (err) => (err ? reject(err) : resolve()) });
    });
  };
  return {
    nativeRetrial: false,
    enqueue,
    async enqueueMany(messages, options) {
      await Promise.all(messages.map((m) => enqueue(m, options)));
    },
    listen(handler, options) {
      // One chain per ordering key: a message waits for the one before it with the same key.
      const chains = new Map<string, Promise<void>>();
      ctx.runner.register(
        handle(fediMessageJob, async ({ message, orderingKey }) => {
          if (!orderingKey) return handler(await shared.unpack(message));
          const before = chains.get(orderingKey) ?? Promise.resolve();
          const mine = before.then(async () => handler(await shared.unpack(message)));
          const tail = mine.catch(() => {});
          chains.set(orderingKey, tail);
          try {
            await mine;
          } finally {
            if (chains.get(orderingKey) === tail) chains.delete(orderingKey);
          }
        }),
      );
      // Listening lasts as long as the runner: until the signal says stop (or for ever).
      return new Promise<void>((resolve) => {
        if (options?.signal?.aborted) return resolve();
        options?.signal?.addEventListener("abort", () => resolve(), { once: true });
      });
    },
  };
}
