/**
 * Group commit for the Webmention endpoint: requests that arrive together are stored together.
 * Each accepted Webmention is a row in `webmentions_in` and a verification job; written one by one
 * they take a transaction each, and on SQLite's single connection a burst queues behind them. So
 * the endpoint adds its row to a batch, and the batch is written in one transaction (one
 * statement for the rows, one for the jobs) on the next turn of the event loop; each request is
 * answered once its batch is committed, so an answer still means "stored".
 */
import type { AppContext } from "../../lib/context.ts";
import { transaction } from "../../lib/db/transaction.ts";
import { receivedStore } from "./receive-store.ts";
import { verifyJob } from "./verify-kind.ts";

interface Waiting {
  source: string;
  target: string;
  postId: number;
  resolve(id: number): void;
  reject(err: unknown): void;
}

/** Most rows per statement: well under both databases' bound-parameter limits. */
const MAX_BATCH = 200;

const batches = new WeakMap<AppContext, { add(w: Omit<Waiting, "resolve" | "reject">): Promise<number> }>();

/** Store a Webmention and queue its verification, batched with others that arrive at once; its row's id. */
export function intake(ctx: AppContext, w: { source: string; target: string; postId: number }): Promise<number> {
  let b = batches.get(ctx);
  if (!b) {
    b = batcher(ctx);
    batches.set(ctx, b);
  }
  return b.add(w);
}

function batcher(ctx: AppContext) {
  const waiting: Waiting[] = [];
  let scheduled = false;
  let writing: Promise<void> = Promise.resolve();

  async function write(batch: Waiting[]): Promise<void> {
    try {
      await writeAll(batch);
    } catch (err) {
      // One bad row (its post deleted a moment ago) must not fail the others: one by one.
      if (batch.length === 1) return batch[0].reject(err);
      for (const w of batch) await write([w]);
    }
  }

  async function writeAll(batch: Waiting[]): Promise<void> {
    // A pair sent twice in one batch is one row (one statement cannot update a row twice).
    const unique = [...new Map(batch.map((w) => [`${w.source}\n${w.target}`, w])).values()];
    const ids = await transaction(ctx, async (tx) => {
      const got = await receivedStore(tx.db).upsertMany(unique, ctx.now().toISOString());
      await tx.jobs.enqueueMany(
        verifyJob,
        got.map((id) => ({ id })),
        { maxAttempts: 4 },
      );
      return new Map(unique.map((w, i) => [`${w.source}\n${w.target}`, got[i]]));
    });
    for (const w of batch) w.resolve(ids.get(`${w.source}\n${w.target}`) ?? 0);
  }

  function flush(): void {
    scheduled = false;
    const batch = waiting.splice(0, MAX_BATCH);
    if (waiting.length) schedule();
    // One batch at a time: the next waits for the one being written.
    writing = writing.then(() => write(batch));
  }

  function schedule(): void {
    if (scheduled) return;
    scheduled = true;
    setImmediate(flush);
  }

  return {
    add(w: Omit<Waiting, "resolve" | "reject">): Promise<number> {
      return new Promise<number>((resolve, reject) => {
        waiting.push({ ...w, resolve, reject });
        schedule();
      });
    },
  };
}
