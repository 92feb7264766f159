/**
 * The `settings` table: site-wide settings only (the signing secret, the owner's time zone, the
 * site's title and author, the address `liner serve` last served). Values are JSON. A module's own state lives in its own tables.
 */
import type { Db } from "../db/index.ts";

/** Keys of the site-wide settings; nothing else belongs in the table. */
export type SettingKey = "secret" | "admin_timezone" | "site" | "served_base_url";

export function settingsStore(db: Db) {
  const k = db.kysely;
  return {
    /** The parsed value of a setting, or undefined. */
    async get<T>(key: SettingKey): Promise<T | undefined> {
      const row = await k.selectFrom("settings").select("value").where("key", "=", key).executeTakeFirst();
      return row ? (JSON.parse(row.value) as T) : undefined;
    },
    /** Set a setting. */
    async put(key: SettingKey, value: unknown): Promise<void> {
      const json = JSON.stringify(value);
      await k
        .insertInto("settings")
        .values({ key, value: json })
        .onConflict((oc) => oc.column("key").doUpdateSet({ value: json }))
        .execute();
    },
    /** Set a setting unless it is set already (two processes starting together: the first wins). */
    async putIfAbsent(key: SettingKey, value: unknown): Promise<void> {
      await k
        .insertInto("settings")
        .values({ key, value: JSON.stringify(value) })
        .onConflict((oc) => oc.column("key").doNothing())
        .execute();
    },
  };
}
