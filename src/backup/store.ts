/** SQL of the backup module: its one settings row (`backup_settings`; missing means the defaults). */
import type { Selectable } from "kysely";
import type { Db } from "../lib/db/index.ts";
import type { BackupSettingsTable } from "../lib/db/schema.ts";

export type BackupSettingsRow = Selectable<BackupSettingsTable>;

/** The backup settings row's reads and writes on `db`. */
export function backupStore(db: Db) {
  const k = db.kysely;
  return {
    /** The saved settings, or undefined when the owner never saved them. */
    settings: (): Promise<BackupSettingsRow | undefined> =>
      k.selectFrom("backup_settings").selectAll().where("id", "=", 1).executeTakeFirst(),
    async putSettings(s: Omit<BackupSettingsRow, "id">): Promise<void> {
      await k
        .insertInto("backup_settings")
        .values({ id: 1, ...s })
        .onConflict((oc) => oc.column("id").doUpdateSet(s))
        .execute();
    },
  };
}
