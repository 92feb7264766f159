/**
 * The daily backup as a job chain: `backup.daily` makes a backup into the settings' folder at the
 * set time of day (in the owner's zone, so 03:00 stays 03:00 across daylight-saving changes),
 * removes the oldest past the number to keep, and queues itself for the next day. Saving the
 * settings queues the next run again, or cancels it when turned off.
 */
import path from "node:path";
import { z } from "zod";
import type { AppContext } from "../lib/context.ts";
import { handle, jobKind } from "../lib/jobs/kinds.ts";
import { getTimeZone } from "../lib/settings/time-zone.ts";
import { backupSite } from "./backup.ts";
import {
  BackupFolderError,
  backupFolder,
  backupName,
  folderProblem,
  getBackupSettings,
  nextDailyRun,
  pruneBackups,
} from "./settings.ts";

/** Make the day's backup (one queued at a time: unique key `backup.daily`). */
export const DAILY_JOB = jobKind("backup.daily", z.object({ at: z.iso.datetime() }));

/** A backup the owner asked for ("Back up now"): made into the same folder, at once. */
export const NOW_JOB = jobKind("backup.now", z.object({}));

/** Queue a backup now (one at a time: a second click while one waits adds nothing). */
export async function queueBackupNow(ctx: AppContext): Promise<void> {
  if (await ctx.jobs.hasKey(NOW_JOB.name)) return;
  await ctx.jobs.enqueue(NOW_JOB, {}, { uniqueKey: NOW_JOB.name });
}

/** Queue the next daily backup for the saved settings (or cancel it when off). Idempotent. */
export async function scheduleNextBackup(ctx: AppContext, after: Date = ctx.now()): Promise<Date | null> {
  const s = await getBackupSettings(ctx);
  if (!s.enabled) {
    await ctx.jobs.cancel(DAILY_JOB.name);
    return null;
  }
  const at = nextDailyRun(after, s.time, await getTimeZone(ctx));
  await ctx.jobs.cancel(DAILY_JOB.name);
  await ctx.jobs.enqueue(DAILY_JOB, { at: at.toISOString() }, { uniqueKey: DAILY_JOB.name, runAt: at });
  return at;
}

/** Make a scheduled backup now and prune the folder; the new file's path. */
export async function runScheduledBackup(ctx: AppContext): Promise<string> {
  const s = await getBackupSettings(ctx);
  const folder = backupFolder(ctx, s);
  const problem = folderProblem(folder);
  // One line in the log (the runner logs the message), not the file system's words.
  if (problem) throw new BackupFolderError(`the daily backup cannot be made: ${problem}`);
  const file = path.join(folder, backupName(ctx.now()));
  const r = await backupSite(ctx, file);
  const removed = pruneBackups(folder, s.keep);
  ctx.log.info("backup made", { file, bytes: r.bytes, rows: r.rows, media: r.media, removed: removed.length });
  return file;
}

/** Register the backup jobs and make sure the next one is queued. */
export async function registerBackupJobs(ctx: AppContext): Promise<void> {
  ctx.runner.register(
    handle(DAILY_JOB, async (payload, job) => {
      await ctx.jobs.releaseKey(job.id);
      try {
        if ((await getBackupSettings(ctx)).enabled) await runScheduledBackup(ctx);
      } finally {
        await scheduleNextBackup(ctx, new Date(payload.at));
      }
    }),
  );
  ctx.runner.register(
    handle(NOW_JOB, async (_payload, job) => {
      await ctx.jobs.releaseKey(job.id);
      await runScheduledBackup(ctx);
    }),
  );
  if (!(await ctx.jobs.hasKey(DAILY_JOB.name))) await scheduleNextBackup(ctx);
}
