/**
 * The mail rate (LINER_MAIL_RATE) shared by every process on one database: two workers, or a
 * worker and `liner serve` with jobs in process, send at the rate together, not each. Send slots
 * are counted in a `rate_counters` row (lib/limits: one atomic upsert per slot, so no two
 * processes get the same one): a short window allows a tenth of a second's messages, and a lane
 * that finds the window full waits for the next one.
 *
 * Pacing is about wall time, so the windows run on the real clock, not `ctx.now()` (tests move
 * or freeze that clock; a frozen one would never open the next window).
 */
import type { AppContext } from "../lib/context.ts";
import { rateLimit } from "../lib/limits/limiter.ts";

/** The counter's name in `rate_counters`. */
export const MAIL_RATE_LIMIT = "mail-rate";

/**
 * Windows of about 100 ms with a whole number of messages each, never faster than `perSecond`:
 * e.g. 20/s → 2 per 100 ms; 25/s → 2 per 80 ms; 5/s → 1 per 200 ms. Short windows keep a
 * window's burst small, so any second holds about `perSecond` messages (at most one window more).
 */
export function rateWindow(perSecond: number): { limit: number; windowMs: number } {
  const limit = Math.max(1, Math.floor(perSecond / 10));
  return { limit, windowMs: Math.ceil((1000 * limit) / perSecond) };
}

/** A pacer: `await wait()` before each message; returns once the shared rate allows one more. */
export function sharedPacer(ctx: AppContext, perSecond: number): () => Promise<void> {
  const { limit, windowMs } = rateWindow(perSecond);
  const slots = rateLimit(
    { db: ctx.db, secret: ctx.secret, log: ctx.log, now: () => new Date() },
    // One row, reused window after window: nothing to sweep. (A sweep on the real clock would
    // also delete other limits' counters that tests keep alive on a moved clock.)
    { name: MAIL_RATE_LIMIT, limit, windowMs, sweepEvery: Number.MAX_SAFE_INTEGER },
  );
  return async () => {
    for (;;) {
      const hit = await slots.hit("all");
      if (!hit.limited) return;
      await new Promise((r) => setTimeout(r, Math.max(1, hit.retryAfterMs)));
    }
  };
}
