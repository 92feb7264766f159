/** SQL of the fediverse account: its key pairs and its settings. */
import type { Db } from "../lib/db/index.ts";
import type { FediKeysTable } from "../lib/db/schema.ts";

export function accountStore(db: Db) {
  const k = db.kysely;
  return {
    keys: () => k.selectFrom("fedi_keys").selectAll().orderBy("kind", "desc").execute(),
    /** Store a key pair unless one of its kind exists (two processes making keys at once keep one). */
    async addKey(row: FediKeysTable): Promise<void> {
      await k
        .insertInto("fedi_keys")
        .values(row)
        .onConflict((oc) => oc.column("kind").doNothing())
        .execute();
    },
    settings: async () => {
      const r = await k.selectFrom("fedi_settings").selectAll().where("id", "=", 1).executeTakeFirst();
      return { handle: r?.handle ?? "owner", approveFollowers: r?.approve_followers === 1 };
    },
    async saveSettings(v: { handle: string; approveFollowers: boolean }): Promise<void> {
      const row = { handle: v.handle, approve_followers: v.approveFollowers ? 1 : 0 };
      await k
        .insertInto("fedi_settings")
        .values({ id: 1, ...row })
        .onConflict((oc) => oc.column("id").doUpdateSet(row))
        .execute();
    },
  };
}
