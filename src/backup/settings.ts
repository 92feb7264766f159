/**
 * The daily backup's settings (on or off, the time of day in the owner's zone, how many to keep,
 * the folder), the next time it runs, and the backups in its folder: listed for the admin page,
 * and the oldest removed past the number to keep. Only files named like the scheduled ones are
 * listed or removed, so a folder shared with other files is safe.
 */
import fs from "node:fs";
import path from "node:path";
import { z } from "zod";
import type { AppContext } from "../lib/context.ts";
import { ValidationError } from "../lib/errors.ts";
import { fromLocalInput, toLocalInput } from "../lib/time.ts";
import { backupStore } from "./store.ts";

/** The daily backup's settings, as the admin page edits them. */
export interface BackupSettings {
  enabled: boolean;
  /** HH:MM in the owner's time zone. */
  time: string;
  keep: number;
  /** As saved; empty means `<dataDir>/backups` (see `backupFolder`). */
  folder: string;
}

/** The settings before the owner saves any: off, 03:00, keep 7, <dataDir>/backups. */
export const DEFAULTS: BackupSettings = { enabled: false, time: "03:00", keep: 7, folder: "" };

const KEEP = "keep: a whole number of backups from 1 to 365";
const schema = z.object({
  enabled: z.boolean(),
  time: z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, { error: "time: use HH:MM, e.g. 03:00" }),
  keep: z.number({ error: KEEP }).int({ error: KEEP }).min(1, { error: KEEP }).max(365, { error: KEEP }),
  folder: z
    .string()
    .trim()
    .refine((f) => f === "" || path.isAbsolute(f), { error: "folder: give a full path (from /), or leave it empty" }),
});

/** The saved settings, or the defaults. */
export async function getBackupSettings(ctx: AppContext): Promise<BackupSettings> {
  const row = await backupStore(ctx.db).settings();
  return row ? { enabled: row.enabled === 1, time: row.time, keep: row.keep, folder: row.folder } : DEFAULTS;
}

/** Validate and save the settings; a ValidationError names the field. */
export async function saveBackupSettings(ctx: AppContext, input: BackupSettings): Promise<BackupSettings> {
  const r = schema.safeParse(input);
  if (!r.success) {
    const message = r.error.issues[0]?.message ?? "settings: invalid";
    throw new ValidationError(message, { field: message.split(":")[0] });
  }
  const s = r.data;
  if (s.folder) {
    const problem = folderProblem(s.folder);
    if (problem) throw new ValidationError(`folder: ${problem}`, { field: "folder" });
  }
  await backupStore(ctx.db).putSettings({ enabled: s.enabled ? 1 : 0, time: s.time, keep: s.keep, folder: s.folder });
  return s;
}

/**
 * Why `folder` cannot take backups, or undefined: it must be a folder, or not exist yet with a
 * parent folder that does (it is created on the first backup).
 */
export function folderProblem(folder: string): string | undefined {
  const st = fs.statSync(folder, { throwIfNoEntry: false });
  if (st) return st.isDirectory() ? undefined : `${folder} is a file, not a folder`;
  const parent = path.dirname(folder);
  const up = fs.statSync(parent, { throwIfNoEntry: false });
  if (!up) return `${folder} does not exist, nor does ${parent}: create it first`;
  if (!up.isDirectory()) return `${parent} is a file, not a folder`;
  return undefined;
}

/** Where scheduled backups go. */
export function backupFolder(ctx: AppContext, s: BackupSettings): string {
  return s.folder || path.join(ctx.config.dataDir, "backups");
}

/** The first `time` of day strictly after `after`, in `tz`. Pure. */
export function nextDailyRun(after: Date, time: string, tz: string): Date {
  const [y, m, d] = toLocalInput(after.toISOString(), tz).slice(0, 10).split("-").map(Number);
  for (let i = 0; i <= 2; i++) {
    const day = new Date(Date.UTC(y, m - 1, d + i)).toISOString().slice(0, 10);
    const at = fromLocalInput(`${day}T${time}`, tz);
    if (at && at > after) return at;
  }
  throw new Error("unreachable: a time of day recurs within two days");
}

/** Names of scheduled backups: liner-backup-YYYYMMDD-HHMMSS.tar.gz (UTC), so names sort by time. */
export const BACKUP_NAME = /^liner-backup-\d{8}-\d{6}\.tar\.gz$/;

/** The file name of a scheduled backup made at `at`. */
export function backupName(at: Date): string {
  const s = at.toISOString().replace(/[-:]/g, "").replace("T", "-").slice(0, 15);
  return `liner-backup-${s}.tar.gz`;
}

/** The backup folder cannot be used (the message names it). */
export class BackupFolderError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = "BackupFolderError";
  }
}

/** A backup in the folder, for the admin's list. */
export interface BackupFile {
  name: string;
  bytes: number;
  modifiedAt: string;
}

/** The scheduled backups in `folder`, newest first; one that is not a folder is a BackupFolderError. */
export function listBackups(folder: string): BackupFile[] {
  const st = fs.statSync(folder, { throwIfNoEntry: false });
  if (!st) return [];
  if (!st.isDirectory()) throw new BackupFolderError(`Could not read ${folder}: not a folder`);
  return fs
    .readdirSync(folder)
    .filter((n) => BACKUP_NAME.test(n))
    .sort()
    .reverse()
    .map((name) => {
      const st = fs.statSync(path.join(folder, name));
      return { name, bytes: st.size, modifiedAt: st.mtime.toISOString() };
    });
}

/** Remove the oldest scheduled backups in `folder` past the newest `keep`; their names. */
export function pruneBackups(folder: string, keep: number): string[] {
  const old = listBackups(folder).slice(keep);
  for (const f of old) fs.rmSync(path.join(folder, f.name), { force: true });
  return old.map((f) => f.name);
}
