/** SQL of the fediverse account: its key pairs and its settings. */
import type { Db } from "../lib/db/index.ts";
import type { FediKeysTable } from "../lib/db/schema.ts";

/** The account's settings. */
export interface AccountSettings {
  /** The name in @handle@host. */
  handle: string;
  /** Follow requests wait for the owner. */
  approveFollowers: boolean;
  /** Actor URIs of the owner's other accounts (a move in needs the new account to name the old). */
  alsoKnownAs: string[];
  /** The actor URI the account moved to, if it did. */
  movedTo: string | null;
}

function parseList(json: string | undefined): string[] {
  try {
    const v = JSON.parse(json ?? "[]");
    return Array.isArray(v) ? v.filter((x): x is string => typeof x === "string") : [];
  } catch {
    return [];
  }
}

/** SQL of the account itself: its key pairs and settings. */
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
      return {
        handle: r?.handle ?? "owner",
        approveFollowers: r?.approve_followers === 1,
        alsoKnownAs: parseList(r?.also_known_as),
        movedTo: r?.moved_to ?? null,
      };
    },
    async saveSettings(v: AccountSettings): Promise<void> {
      const row = {
        handle: v.handle,
        approve_followers: v.approveFollowers ? 1 : 0,
        also_known_as: JSON.stringify(v.alsoKnownAs),
        moved_to: v.movedTo,
      };
      await k
        .insertInto("fedi_settings")
        .values({ id: 1, ...row })
        .onConflict((oc) => oc.column("id").doUpdateSet(row))
        .execute();
    },
  };
}
