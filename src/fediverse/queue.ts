/**
 * Fedify's `MessageQueue` on our jobs table (`@fedify/postgres` exists only for Fedify 1.x): its
 * outgoing deliveries and incoming activities become jobs of one kind, durable in the database and
 * claimed safely by several processes on PostgreSQL, like every other background job. `listen`
 * registers the handler with the context's job runner wherever jobs run; Fedify keeps its own retry
 * policy (backoff, giving up after days), so a message's job runs once unless it throws.
 *
 * Ordering keys (Fedify 2: a `Delete` after its `Create`): messages run in the order they were
 * queued (the runner claims by run time), and within a process those of one key run one after
 * another; across processes on PostgreSQL two of one key may still overlap (not handled yet).
 */
import type { MessageQueue, MessageQueueEnqueueOptions } from "@fedify/fedify";
import { z } from "zod";
import type { AppContext } from "../lib/context.ts";
import { handle, jobKind } from "../lib/jobs/kinds.ts";

/** One Fedify message (JSON, as Fedify's own queues keep them). */
export const fediMessageJob = jobKind(
  "fediverse.message",
  z.object({ message: z.unknown(), orderingKey: z.string().optional() }),
  { parallel: true },
);

type Delay = NonNullable<MessageQueueEnqueueOptions["delay"]>;

/** Attempts of one message's job: Fedify retries deliveries itself; ours only covers crashes. */
const ATTEMPTS = 3;

/** The MessageQueue of a context. */
export function jobsMessageQueue(ctx: Pick<AppContext, "jobs" | "runner" | "now">): MessageQueue {
  const runAt = (delay: Delay | undefined) =>
    delay ? new Date(ctx.now().getTime() + Math.max(0, delay.total({ unit: "millisecond" }))) : undefined;
  const enqueue = async (message: unknown, options?: MessageQueueEnqueueOptions) => {
    await ctx.jobs.enqueue(
      fediMessageJob,
      { message, orderingKey: options?.orderingKey },
      { runAt: runAt(options?.delay), maxAttempts: ATTEMPTS },
    );
  };
  return {
    nativeRetrial: false,
    enqueue,
    async enqueueMany(messages, options) {
      // One statement for the lot (Fedify's fan-out without an ordering key: a job per inbox).
      if (options?.delay) for (const m of messages) await enqueue(m, options);
      else
        await ctx.jobs.enqueueMany(
          fediMessageJob,
          messages.map((message) => ({ message, orderingKey: options?.orderingKey })),
          { maxAttempts: ATTEMPTS },
        );
    },
    listen(handler, options) {
      // One chain per ordering key: a message waits for the one before it with the same key.
      const chains = new Map<string, Promise<void>>();
      ctx.runner.register(
        handle(fediMessageJob, async ({ message, orderingKey }) => {
          if (!orderingKey) return handler(message);
          const before = chains.get(orderingKey) ?? Promise.resolve();
          const mine = before.then(() => handler(message));
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
