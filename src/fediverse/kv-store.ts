/** SQL of Fedify's key–value store (`fedi_kv`); see kv.ts for the `KvStore` on top of it. */
import { sql } from "kysely";
import type { Db } from "../lib/db/index.ts";

/** `%` and `_` in a key are literal characters, not wildcards. */
const likePrefix = (p: string) => `${p.replace(/[\\%_]/g, (ch) => `\\${ch}`)}%`;

export function kvStore(db: Db) {
  const k = db.kysely;
  const live = (now: string) => sql<boolean>`(expires_at IS NULL OR expires_at > ${now})`;
  return {
    get: (key: string, now: string) =>
      k.selectFrom("fedi_kv").select("value").where("key", "=", key).where(live(now)).executeTakeFirst(),
    async set(key: string, value: string, expiresAt: string | null): Promise<void> {
      await k
        .insertInto("fedi_kv")
        .values({ key, value, expires_at: expiresAt })
        .onConflict((oc) => oc.column("key").doUpdateSet({ value, expires_at: expiresAt }))
        .execute();
    },
    async delete(key: string): Promise<void> {
      await k.deleteFrom("fedi_kv").where("key", "=", key).execute();
    },
    /** Set only if the live value is `expected` (or, with `expected` null, if there is none). */
    async swap(key: string, expected: string | null, value: string, expiresAt: string | null, now: string) {
      if (expected === null) {
        // An expired row is as good as none: clear it, then insert unless someone else did.
        await k
          .deleteFrom("fedi_kv")
          .where("key", "=", key)
          .where(sql<boolean>`NOT ${live(now)}`)
          .execute();
        const r = await k
          .insertInto("fedi_kv")
          .values({ key, value, expires_at: expiresAt })
          .onConflict((oc) => oc.column("key").doNothing())
          .executeTakeFirst();
        return Number(r.numInsertedOrUpdatedRows ?? 0) > 0;
      }
      const r = await k
        .updateTable("fedi_kv")
        .set({ value, expires_at: expiresAt })
        .where("key", "=", key)
        .where("value", "=", expected)
        .where(live(now))
        .executeTakeFirst();
      return Number(r.numUpdatedRows) > 0;
    },
    /** Live entries whose key text starts with `prefix`, in key order. */
    list: (prefix: string, now: string) =>
      k
        .selectFrom("fedi_kv")
        .select(["key", "value"])
        .where(sql<boolean>`key LIKE ${likePrefix(prefix)} ESCAPE '\\'`)
        .where(live(now))
        .orderBy("key")
        .execute(),
    /** Forget expired entries; how many. */
    async sweep(now: string): Promise<number> {
      const r = await k.deleteFrom("fedi_kv").where("expires_at", "<=", now).executeTakeFirst();
      return Number(r.numDeletedRows);
    },
  };
}
