/**
 * The `rate_counters` table: fixed-window counters that every process shares. A hit is one
 * statement (insert, or count one more within the window, or start a new window once the old one
 * ended), so concurrent hits from any number of processes each get their own count and none is
 * lost. Timestamps are ISO strings, which compare correctly as text on both databases.
 */
import { sql } from "kysely";
import type { Db } from "../db/index.ts";

/** A counter after a hit: the hits of its window, and when the window ends. */
export interface Counter {
  count: number;
  expiresAt: string;
}

export function counterStore(db: Db) {
  const k = db.kysely;
  return {
    /**
     * Count one hit on `key` at `now`: a new window (ending at `expiresAt`) when the key has none
     * or its window ended, else one more in the current window, whose end does not move.
     */
    async hit(key: string, now: string, expiresAt: string): Promise<Counter> {
      // In ON CONFLICT … DO UPDATE both dialects name the stored row by its table and the
      // proposed one `excluded`; every SET reads the stored row as it was before the update.
      const ended = sql<boolean>`rate_counters.expires_at <= ${now}`;
      const row = await k
        .insertInto("rate_counters")
        .values({ key, count: 1, expires_at: expiresAt })
        .onConflict((oc) =>
          oc.column("key").doUpdateSet({
            count: sql<number>`CASE WHEN ${ended} THEN 1 ELSE rate_counters.count + 1 END`,
            expires_at: sql<string>`CASE WHEN ${ended} THEN excluded.expires_at ELSE rate_counters.expires_at END`,
          }),
        )
        .returning(["count", "expires_at"])
        .executeTakeFirstOrThrow();
      return { count: Number(row.count), expiresAt: row.expires_at };
    },

    /**
     * Count `n` hits on `key` at once, as `hit` counts one: a new window starts at `n`, else the
     * window's count grows by `n`. One statement, so concurrent takes never count the same slot twice.
     */
    async take(key: string, n: number, now: string, expiresAt: string): Promise<Counter> {
      const ended = sql<boolean>`rate_counters.expires_at <= ${now}`;
      const row = await k
        .insertInto("rate_counters")
        .values({ key, count: n, expires_at: expiresAt })
        .onConflict((oc) =>
          oc.column("key").doUpdateSet({
            count: sql<number>`CASE WHEN ${ended} THEN excluded.count ELSE rate_counters.count + excluded.count END`,
            expires_at: sql<string>`CASE WHEN ${ended} THEN excluded.expires_at ELSE rate_counters.expires_at END`,
          }),
        )
        .returning(["count", "expires_at"])
        .executeTakeFirstOrThrow();
      return { count: Number(row.count), expiresAt: row.expires_at };
    },

    /** The live counter of `key` at `now`, or undefined when it has none (or its window ended). */
    async get(key: string, now: string): Promise<Counter | undefined> {
      const row = await k
        .selectFrom("rate_counters")
        .select(["count", "expires_at"])
        .where("key", "=", key)
        .where("expires_at", ">", now)
        .executeTakeFirst();
      return row && { count: Number(row.count), expiresAt: row.expires_at };
    },

    /** Take back one hit of a live window (an attempt that turned out not to count). */
    async unhit(key: string, now: string): Promise<void> {
      await k
        .updateTable("rate_counters")
        .set({ count: sql<number>`count - 1` })
        .where("key", "=", key)
        .where("expires_at", ">", now)
        .where("count", ">", 0)
        .execute();
    },

    /** Forget `key`. */
    async remove(key: string): Promise<void> {
      await k.deleteFrom("rate_counters").where("key", "=", key).execute();
    },

    /** Delete the counters whose window ended by `now`; returns how many. */
    async sweep(now: string): Promise<number> {
      const r = await k.deleteFrom("rate_counters").where("expires_at", "<=", now).executeTakeFirst();
      return Number(r.numDeletedRows);
    },
  };
}
