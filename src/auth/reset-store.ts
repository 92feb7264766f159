/** SQL for `password_resets`: one-time password reset links, by the SHA-256 of their token. */
import type { Insertable, Selectable } from "kysely";
import type { Db } from "../lib/db/index.ts";
import type { PasswordResetsTable } from "../lib/db/schema.ts";

export type ResetRow = Selectable<PasswordResetsTable>;

export function resetStore(db: Db) {
  const k = db.kysely;
  return {
    insert: (row: Insertable<PasswordResetsTable>) => k.insertInto("password_resets").values(row).execute(),

    byHash: (hash: string): Promise<ResetRow | undefined> =>
      k.selectFrom("password_resets").selectAll().where("token_hash", "=", hash).executeTakeFirst(),

    /** Mark a live link used; false when it was used already, has expired or does not exist. */
    async consume(hash: string, now: string): Promise<boolean> {
      const r = await k
        .updateTable("password_resets")
        .set({ used_at: now })
        .where("token_hash", "=", hash)
        .where("used_at", "is", null)
        .where("expires_at", ">", now)
        .executeTakeFirst();
      return Number(r.numUpdatedRows) === 1;
    },

    /** Void a user's unused links (a newer one was requested, or one was just used). */
    voidUnused: (userId: number) =>
      k.deleteFrom("password_resets").where("user_id", "=", userId).where("used_at", "is", null).execute(),

    /** Delete links that can no longer be used: expired by `now`. */
    sweep: (now: string) => k.deleteFrom("password_resets").where("expires_at", "<=", now).execute(),
  };
}
