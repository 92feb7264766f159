/** Table types: the daily backup's settings (backup). */
import type { Generated } from "kysely";

export interface BackupSettingsTable {
  id: number;
  /** 1: a backup every day at `time`. */
  enabled: Generated<number>;
  /** HH:MM in the owner's time zone. */
  time: Generated<string>;
  /** How many scheduled backups to keep in `folder`. */
  keep: Generated<number>;
  /** Where scheduled backups go; empty: <dataDir>/backups. */
  folder: Generated<string>;
}
