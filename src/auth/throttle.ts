/**
 * Sign-in throttling (issue 13, items 1 and 5). Cheapest guard first:
 *
 * 1. In this process, one password check per account and two per address at a time, and a few
 *    in all (verify-gate.ts); a few more wait their turn, the rest of a burst is refused at once,
 *    so it cannot fill libuv's thread pool.
 * 2. Per address, `LOGIN_IP_LIMIT` failed sign-ins per window across accounts, in the database
 *    (every process counts together): one address cannot try many accounts.
 * 3. Per (account, address) pair, progressive delays: after `PAIR_FREE_FAILURES` failures each
 *    attempt must wait 1 s, 2 s, 4 s … (at most `PAIR_MAX_DELAY_MS`) after the pair's last
 *    failure. There is no lock per account: a stranger who knows the owner's email slows only
 *    their own address, and the owner signs in from theirs.
 *
 * Each attempt counts as a failure before its password is checked, so attempts sent in parallel
 * (to one process or several) cannot slip past a limit; a successful one takes its counts back,
 * and a refused one counts nothing.
 */
import { createHmac } from "node:crypto";
import type { AppContext } from "../lib/context.ts";
import { rateLimit } from "../lib/limits/limiter.ts";
import { loginFailureStore } from "./throttle-store.ts";
import { verifyGate } from "./verify-gate.ts";

/** Failed sign-ins allowed per address per window, across accounts (a proxy or office shares one address). */
export const LOGIN_IP_LIMIT = 20;
export const LOGIN_WINDOW_MS = 15 * 60_000;
/** Failures of one account from one address before delays start. */
export const PAIR_FREE_FAILURES = 3;
/** The longest delay between attempts of one pair. */
export const PAIR_MAX_DELAY_MS = 15 * 60_000;
/** A pair's failures are forgotten this long after its last one. */
export const PAIR_FORGET_MS = 60 * 60_000;
/**
 * Password checks running at once, in this process: per account, per address, in all; how many
 * may wait in all, and per account or address (more are refused at once).
 */
export const IN_FLIGHT = { account: 1, address: 2, all: 2, waiting: 64, waitingEach: 4 } as const;

/**
 * How long after its last failure a pair that failed `failures` times must wait: nothing for the
 * first `PAIR_FREE_FAILURES`, then 1 s, doubling, capped. Pure.
 */
export function pairDelayMs(failures: number): number {
  if (failures < PAIR_FREE_FAILURES) return 0;
  return Math.min(1000 * 2 ** (failures - PAIR_FREE_FAILURES), PAIR_MAX_DELAY_MS);
}

/** An attempt's outcome: refused before checking (`busy`: too many in flight), or checked. */
export type AttemptResult<T> =
  | { refused: "busy" | "limited"; retryAfterMs: number }
  | { refused?: undefined; result: T | null };

/** A web app's sign-in throttle. */
export type LoginThrottle = ReturnType<typeof loginThrottle>;

/** The sign-in throttle of one web app; see the module comment. */
export function loginThrottle(ctx: AppContext) {
  const byIp = rateLimit(ctx, { name: "login-ip", limit: LOGIN_IP_LIMIT, windowMs: LOGIN_WINDOW_MS });
  const gate = verifyGate({
    concurrency: IN_FLIGHT.all,
    waiting: IN_FLIGHT.waiting,
    waitingEach: IN_FLIGHT.waitingEach,
  });
  const store = () => loginFailureStore(ctx.db);
  const pairKey = (email: string, ip: string) =>
    `login:${createHmac("sha256", ctx.secret).update(`${email}\n${ip}`).digest("base64url").slice(0, 22)}`;
  let claims = 0;

  /** Count a failure of the pair now, or say how long it must wait first. */
  async function claimPair(key: string): Promise<number> {
    // Lost races are read again: a parallel attempt moved the row, and its new count decides.
    for (let tries = 0; tries < 5; tries++) {
      const now = ctx.now();
      const at = now.toISOString();
      const seen = await store().get(key, at);
      const wait = seen ? Date.parse(seen.last_failure_at) + pairDelayMs(seen.failures) - now.getTime() : 0;
      if (wait > 0) return wait;
      const forgetAt = new Date(now.getTime() + PAIR_FORGET_MS).toISOString();
      if (await store().claim(key, seen, at, forgetAt)) {
        if (++claims % 100 === 0) await store().sweep(at);
        return 0;
      }
    }
    return 1000;
  }

  return {
    /**
     * Check a sign-in of `email` from `ip` with `check` (which verifies the password: null when
     * it does not match), unless a limit refuses it first.
     */
    async attempt<T>(email: string, ip: string, check: () => Promise<T | null>): Promise<AttemptResult<T>> {
      const admission = gate.admit([
        [`account:${email}`, IN_FLIGHT.account],
        [`address:${ip}`, IN_FLIGHT.address],
      ]);
      if (!admission) return { refused: "busy", retryAfterMs: 1000 };
      try {
        const hit = await byIp.hit(ip);
        if (hit.limited) {
          await byIp.undo(ip);
          return { refused: "limited", retryAfterMs: hit.retryAfterMs };
        }
        const key = pairKey(email, ip);
        const wait = await claimPair(key);
        if (wait > 0) {
          await byIp.undo(ip);
          return { refused: "limited", retryAfterMs: wait };
        }
        const result = await admission.run(check);
        if (result !== null) await Promise.all([store().forget(key), byIp.undo(ip)]);
        return { result };
      } finally {
        admission.leave();
      }
    },

    /** Forget the failures of `email` from `ip` (its password was just reset from there). */
    async forgive(email: string, ip: string): Promise<void> {
      await store().forget(pairKey(email, ip));
    },
  };
}
