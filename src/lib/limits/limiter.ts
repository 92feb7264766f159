/**
 * Rate limits and "once per window" de-duplication that hold across every process on one
 * database: fixed-window counters in the `rate_counters` table (./store.ts), on the injected
 * clock. Used by sign-in (per address), password reset requests (per address and per email),
 * the public forms (per address), digest click counting (once per client per hour) and, as
 * `sharedSlots`, the mail rate.
 *
 * A counter's key is the limit's name and an HMAC of the subject under the site's secret, so the
 * table never holds an email or an address. Expired counters are deleted every `sweepEvery` hits
 * of a limiter: cheap (an indexed delete), and no job or extra process is needed for it.
 */
import { createHmac } from "node:crypto";
import type { AppContext } from "../context.ts";
import { counterStore } from "./store.ts";

export interface RateLimitOptions {
  /** What is counted, e.g. "login-email" or "form:subscribe-form"; part of every key. */
  name: string;
  /** Hits allowed per window; the next one is over the limit. */
  limit: number;
  windowMs: number;
  /** Delete expired counters once every this many hits (default 100). */
  sweepEvery?: number;
}

/** The verdict on one hit. */
export interface Hit {
  /** Hits of the subject in the current window, this one included. */
  count: number;
  /** More hits than the limit allows. */
  limited: boolean;
  /** When limited: milliseconds until the window ends; else 0. */
  retryAfterMs: number;
}

/** A limit on how often each subject (an email, a client address) may do something per window. */
export interface RateLimit {
  /** Count one hit of `subject` and say whether it went over the limit. */
  hit(subject: string): Promise<Hit>;
  /** Milliseconds until `subject` may try again, or 0 when it is under the limit. Counts nothing. */
  retryAfter(subject: string): Promise<number>;
  /** Take back one hit that turned out not to count (a sign-in that succeeded). */
  undo(subject: string): Promise<void>;
  /** Forget `subject`'s window (after a successful sign-in). */
  reset(subject: string): Promise<void>;
}

type LimitContext = Pick<AppContext, "db" | "now" | "secret" | "log">;

/** A limit whose counts every process sharing the database sees; see the module comment. */
export function rateLimit(ctx: LimitContext, opts: RateLimitOptions): RateLimit {
  const store = () => counterStore(ctx.db);
  const key = (subject: string) =>
    `${opts.name}:${createHmac("sha256", ctx.secret).update(subject).digest("base64url").slice(0, 22)}`;
  const sweepEvery = opts.sweepEvery ?? 100;
  let hits = 0;
  return {
    async hit(subject) {
      const now = ctx.now();
      const expires = new Date(now.getTime() + opts.windowMs);
      const c = await store().hit(key(subject), now.toISOString(), expires.toISOString());
      if (++hits % sweepEvery === 0) await sweepCounters(ctx);
      const limited = c.count > opts.limit;
      return { count: c.count, limited, retryAfterMs: limited ? Date.parse(c.expiresAt) - now.getTime() : 0 };
    },
    async retryAfter(subject) {
      const now = ctx.now();
      const c = await store().get(key(subject), now.toISOString());
      return c && c.count >= opts.limit ? Date.parse(c.expiresAt) - now.getTime() : 0;
    },
    async undo(subject) {
      await store().unhit(key(subject), ctx.now().toISOString());
    },
    async reset(subject) {
      await store().remove(key(subject));
    },
  };
}

/**
 * Is this the first time `subject` shows up in the window? For counting something once per
 * client per period (a reader who clicks twice, a mail client that fetches a link twice).
 */
export function oncePerWindow(
  ctx: LimitContext,
  opts: Omit<RateLimitOptions, "limit">,
): { first(subject: string): Promise<boolean> } {
  const limit = rateLimit(ctx, { ...opts, limit: 1 });
  return { first: async (subject) => !(await limit.hit(subject)).limited };
}

/** Slots shared by every process on the database: at most `limit` in each window (e.g. sends per 100 ms). */
export interface SharedSlots {
  /**
   * Claim up to `n` slots of the current window in one statement. `granted` may be fewer than
   * asked (0 when the window is full); `windowEndsInMs` says when the next window can start.
   */
  take(n: number): Promise<{ granted: number; windowEndsInMs: number }>;
}

/**
 * Slots counted in one `rate_counters` row named `name`, in windows aligned to multiples of
 * `windowMs` on the clock: they follow one another without gaps however late the first take of
 * a window comes (a window that began at the first take would leave the time before it unused).
 * Takes over the limit still count (harmlessly: the window is full either way). One row,
 * reused: nothing to sweep.
 */
export function sharedSlots(
  ctx: Pick<LimitContext, "db" | "now">,
  opts: { name: string; limit: number; windowMs: number },
): SharedSlots {
  const key = `${opts.name}:slots`;
  return {
    async take(n) {
      const now = ctx.now();
      const expires = new Date((Math.floor(now.getTime() / opts.windowMs) + 1) * opts.windowMs);
      const c = await counterStore(ctx.db).take(key, n, now.toISOString(), expires.toISOString());
      const granted = Math.max(0, Math.min(n, opts.limit - (c.count - n)));
      return { granted, windowEndsInMs: Math.max(0, Date.parse(c.expiresAt) - now.getTime()) };
    },
  };
}

/**
 * Delete every counter whose window has ended. A failure is logged, never thrown: the request
 * that happened to trigger the sweep should not fail for it.
 */
export async function sweepCounters(ctx: LimitContext): Promise<number> {
  try {
    return await counterStore(ctx.db).sweep(ctx.now().toISOString());
  } catch (err) {
    ctx.log.warn("sweeping expired rate counters failed", { error: String(err) });
    return 0;
  }
}
