/**
 * The backup module's public surface: other modules import only this file. A backup of the
 * whole site (`backupSite`) and its restore (`restoreSite`), for a module that offers them.
 */
export { BackupFileError } from "./archive.ts";
export { type BackupResult, backupSite } from "./backup.ts";
export { type RestoreResult, restoreSite, TargetNotEmptyError } from "./restore.ts";
