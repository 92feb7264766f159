/**
 * The delivery loop: claim due outbox rows (transactional first), drop suppressed addresses,
 * send at the configured rate (shared by every process on the database: ./rate.ts) over a few
 * pooled connections, and record each outcome at once.
 * A 4xx reply or a connection failure is retried with backoff; a 5xx reply fails the row and
 * suppresses the address. A row is marked sent right after the server's 250, so a crash can
 * only leave the few messages that were in flight at that instant; their lease runs out and
 * they are sent again with the same Message-ID (receivers treat that as the same message).
 */
import type { AppContext } from "../lib/context.ts";
import { backoffMs } from "../lib/jobs/queue.ts";
import { buildMessage, loadTemplate } from "./message.ts";
import { sharedPacer } from "./rate.ts";
import { mailStore, type OutboxRow } from "./store.ts";
import type { MailTemplate } from "./template.ts";
import { type Mailer, type OutgoingMessage, SendError } from "./transport.ts";

/** Temporary failures are retried this many times (about a day with backoff), then the row fails. */
export const MAX_ATTEMPTS = 10;

export interface DeliverOptions {
  /** Stop claiming after this long (ms of wall time); the caller runs again for the rest. */
  budgetMs?: number;
  /** Messages per second (default from config). */
  ratePerSecond?: number;
  /** Messages in flight at once (default from config). */
  concurrency?: number;
  /** Lease on claimed rows (default 30 s: how long a crashed worker's rows wait to be resent). */
  leaseMs?: number;
  /** Called after each recorded outcome (awaited: the next message waits for it). */
  onProgress?: (totals: DeliverTotals) => void | Promise<void>;
}

export interface DeliverTotals {
  sent: number;
  retried: number;
  failed: number;
  suppressed: number;
  /** True when due rows remain (the budget ran out). */
  more: boolean;
}

/** Deliver what is due until nothing is left or the budget runs out. */
export async function deliverDue(ctx: AppContext, mailer: Mailer, opts: DeliverOptions = {}): Promise<DeliverTotals> {
  const store = mailStore(ctx.db);
  const concurrency = opts.concurrency ?? ctx.config.mail.concurrency;
  const rate = opts.ratePerSecond ?? ctx.config.mail.ratePerSecond;
  const leaseMs = opts.leaseMs ?? 30_000;
  const budgetMs = opts.budgetMs ?? 20_000;
  // A batch is what the rate allows in a quarter of the lease, so one process alone is done in
  // time. The rate is shared by every process (./rate.ts), so with several a batch goes slower:
  // rows still unsent at half the lease are put back for a fresh claim rather than risk a resend.
  const batchSize = Math.max(concurrency, Math.min(100, Math.floor((rate * leaseMs) / 4000)));
  // Slots are taken a lane's worth at a time: one statement per few messages.
  const wait = sharedPacer(ctx, rate, concurrency);
  // Parsed once per send: a row only adds its values.
  const templates = new Map<number, MailTemplate | undefined>();
  const totals: DeliverTotals = { sent: 0, retried: 0, failed: 0, suppressed: 0, more: false };
  const started = performance.now();
  const record = async () => {
    await opts.onProgress?.(totals);
  };

  const template = async (sendId: number | null) => {
    if (sendId === null) return undefined;
    if (!templates.has(sendId)) {
      const send = await store.sendById(sendId);
      templates.set(sendId, send && loadTemplate(send));
    }
    return templates.get(sendId);
  };

  const deliverOne = async (row: OutboxRow, claimedAt: number) => {
    let message: OutgoingMessage;
    try {
      message = buildMessage(row, await template(row.send_id));
    } catch (err) {
      // A stored message that cannot be read (a hand edit, a row older code wrote) can never be
      // sent: it fails for good instead of holding up its send and every batch it is claimed in.
      const reason = `unreadable message: ${err instanceof Error ? err.message : String(err)}`;
      await store.finish(row.id, "failed", reason.slice(0, 500), ctx.now().toISOString());
      ctx.log.error("mail not delivered", { outbox: row.id, response: reason });
      totals.failed++;
      await record();
      return;
    }
    await wait();
    if (performance.now() - claimedAt > leaseMs / 2) {
      await store.release(row);
      return;
    }
    // An unsubscribe withdraws claimed rows too (store.withdraw, withdrawTopic): look once more right before
    // sending, so it takes effect for everything not yet on the wire.
    if ((row.priority > 0 || row.topic) && !(await store.stillClaimed(row.id))) {
      totals.suppressed++;
      await record();
      return;
    }
    try {
      const res = await mailer.send(message);
      await store.finish(row.id, "sent", res.response, ctx.now().toISOString());
      totals.sent++;
    } catch (err) {
      const e = err instanceof SendError ? err : new SendError(String(err), false, undefined, { cause: err });
      if (e.permanent) {
        await store.finish(row.id, "failed", e.message, ctx.now().toISOString());
        await store.suppress(row.to_email, "smtp-5xx", e.message, ctx.now().toISOString());
        totals.failed++;
      } else if (row.attempts >= MAX_ATTEMPTS) {
        await store.finish(
          row.id,
          "failed",
          `gave up after ${row.attempts} attempts: ${e.message}`,
          ctx.now().toISOString(),
        );
        totals.failed++;
      } else {
        const next = new Date(ctx.now().getTime() + backoffMs(row.attempts));
        await store.retryAt(row.id, e.message, next.toISOString());
        totals.retried++;
      }
      ctx.log.warn("mail not delivered", { outbox: row.id, permanent: e.permanent, response: e.message });
    }
    await record();
  };

  while (performance.now() - started < budgetMs) {
    const claimedAt = performance.now();
    const rows = await store.claim(batchSize, ctx.now(), leaseMs);
    if (rows.length === 0) break;
    // Suppressed since they were queued (a bounce, a complaint): never sent. Transactional mail
    // (priority 0: a confirmation the person just asked for) still goes.
    const blocked = await store.suppressed(rows.filter((r) => r.priority > 0).map((r) => r.to_email));
    const todo: OutboxRow[] = [];
    for (const r of rows) {
      if (r.priority > 0 && blocked.has(r.to_email)) {
        await store.finish(r.id, "suppressed", "suppressed before sending", ctx.now().toISOString());
        totals.suppressed++;
      } else todo.push(r);
    }
    // Transactional mail (a confirmation someone is waiting for) is on the wire before bulk mail
    // of the same batch starts, not merely started first: a bulk message can be the smaller one.
    for (const group of [todo.filter((r) => r.priority === 0), todo.filter((r) => r.priority !== 0)]) {
      let next = 0;
      const lane = async () => {
        while (next < group.length) await deliverOne(group[next++], claimedAt);
      };
      await Promise.all(Array.from({ length: Math.min(concurrency, group.length) }, lane));
    }
  }
  await store.finishSends(ctx.now().toISOString());
  const { dueAt } = await store.pending();
  totals.more = dueAt !== null && dueAt <= ctx.now().toISOString();
  return totals;
}
