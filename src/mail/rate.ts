/**
 * The mail rate (LINER_MAIL_RATE) shared by every process on one database: two workers, or a
 * worker and `liner serve` with jobs in process, send at the rate together, not each. Send slots
 * are counted in one `rate_counters` row (lib/limits `sharedSlots`: an atomic upsert, so no two
 * processes get the same slot): a short window allows a tenth of a second's messages, and a lane
 * that finds the window full waits for the next one.
 *
 * Pacing is about wall time, so the windows run on the real clock, not `ctx.now()` (tests move
 * or freeze that clock; a frozen one would never open the next window).
 */
import type { AppContext } from "../lib/context.ts";
import { sharedSlots } from "../lib/limits/limiter.ts";

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

/**
 * A pacer: `await wait()` before each message; returns once the shared rate allows one more.
 * Slots are taken `batch` at a time (one statement for several messages; at most a window's
 * worth) and used only within their window: a slot left over when it ends is lost, which can
 * only make the rate lower. Callers are served in turn, so only one take is in flight.
 */
export function sharedPacer(ctx: AppContext, perSecond: number, batch = 1): () => Promise<void> {
  const { limit, windowMs } = rateWindow(perSecond);
  const slots = sharedSlots({ db: ctx.db, now: () => new Date() }, { name: MAIL_RATE_LIMIT, limit, windowMs });
  const ask = Math.max(1, Math.min(limit, batch));
  let left = 0;
  let until = 0;
  const next = async () => {
    for (;;) {
      if (left > 0 && performance.now() < until) {
        left--;
        return;
      }
      const asked = performance.now();
      const got = await slots.take(ask);
      if (got.granted > 0) {
        left = got.granted - 1;
        until = asked + got.windowEndsInMs;
        return;
      }
      await new Promise((r) => setTimeout(r, Math.max(1, got.windowEndsInMs)));
    }
  };
  let turn: Promise<void> = Promise.resolve();
  return () => {
    const mine = turn.then(next);
    turn = mine.catch(() => {});
    return mine;
  };
}
