/**
 * SQL for `login_failures`: failed sign-ins per (account, address) pair. A new failure is
 * claimed with a compare-and-set on the row as it was read, so that of attempts sent in parallel
 * (to one process or several) exactly one wins each step and the others see the new count.
 */
import type { Db } from "../lib/db/index.ts";

/** A pair's failures and the time of the last one. */
export interface FailureRow {
  failures: number;
  last_failure_at: string;
}

export function loginFailureStore(db: Db) {
  const k = db.kysely;
  return {
    /** The pair's live row at `now`, or undefined (none, or forgotten). */
    get: (key: string, now: string): Promise<FailureRow | undefined> =>
      k
        .selectFrom("login_failures")
        .select(["failures", "last_failure_at"])
        .where("key", "=", key)
        .where("expires_at", ">", now)
        .executeTakeFirst(),

    /**
     * Count one more failure at `now` if the row is still `seen` (undefined: no live row);
     * false when another attempt changed it first.
     */
    async claim(key: string, seen: FailureRow | undefined, now: string, expiresAt: string): Promise<boolean> {
      if (!seen) {
        // A first failure, or one after the row was forgotten (its expired row is replaced).
        const row = await k
          .insertInto("login_failures")
          .values({ key, failures: 1, last_failure_at: now, expires_at: expiresAt })
          .onConflict((oc) =>
            oc
              .column("key")
              .doUpdateSet({ failures: 1, last_failure_at: now, expires_at: expiresAt })
              .where("login_failures.expires_at", "<=", now),
          )
          .returning("key")
          .executeTakeFirst();
        return row !== undefined;
      }
      const r = await k
        .updateTable("login_failures")
        .set({ failures: seen.failures + 1, last_failure_at: now, expires_at: expiresAt })
        .where("key", "=", key)
        .where("failures", "=", seen.failures)
        .where("last_failure_at", "=", seen.last_failure_at)
        .where("expires_at", ">", now)
        .executeTakeFirst();
      return Number(r.numUpdatedRows) === 1;
    },

    /** Forget the pair (a successful sign-in or password reset). */
    forget: (key: string) => k.deleteFrom("login_failures").where("key", "=", key).execute(),

    /** Delete forgotten rows; returns how many. */
    async sweep(now: string): Promise<number> {
      const r = await k.deleteFrom("login_failures").where("expires_at", "<=", now).executeTakeFirst();
      return Number(r.numDeletedRows);
    },
  };
}
