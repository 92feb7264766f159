/**
 * The owner's Backups page: the daily backup's settings (saving them queues the next run, or
 * cancels it) and the backups in the folder, downloadable. Owner only: a backup holds every
 * account's password hash and every subscriber's address.
 */
import fs from "node:fs";
import path from "node:path";
import { Readable } from "node:stream";
import type { Context, Hono } from "hono";
import type { AppContext } from "../lib/context.ts";
import { NotFoundError, ValidationError } from "../lib/errors.ts";
import type { AppEnv } from "../lib/http/env.ts";
import { formBody, one } from "../lib/http/request.ts";
import { requireUser } from "../lib/http/require-user.ts";
import { getTimeZone } from "../lib/settings/time-zone.ts";
import { queueBackupNow, scheduleNextBackup } from "./jobs.ts";
import {
  BACKUP_NAME,
  type BackupFile,
  BackupFolderError,
  type BackupSettings,
  backupFolder,
  getBackupSettings,
  listBackups,
  nextDailyRun,
  saveBackupSettings,
} from "./settings.ts";
import { backupsPage } from "./views.ts";

/** Register /admin/backups on the admin app. */
export function backupAdminRoutes(ctx: AppContext, app: Hono<AppEnv>): void {
  app.use("/backups", requireUser("owner"));
  app.use("/backups/*", requireUser("owner"));

  const render = async (
    c: Context<AppEnv>,
    extra: { settings?: BackupSettings; notice?: string; error?: string; field?: string; status?: number } = {},
  ) => {
    const saved = await getBackupSettings(ctx);
    const folder = backupFolder(ctx, saved);
    const timeZone = await getTimeZone(ctx);
    // A folder that cannot be read is said on the page, which stays usable to change it.
    let files: BackupFile[] = [];
    let listError: string | undefined;
    try {
      files = listBackups(folder);
    } catch (err) {
      if (!(err instanceof BackupFolderError) && !(err as NodeJS.ErrnoException).code) throw err;
      listError =
        err instanceof BackupFolderError ? err.message : `Could not read ${folder}: ${(err as Error).message}`;
    }
    return backupsPage(c, {
      settings: extra.settings ?? saved,
      folder,
      defaultFolder: backupFolder(ctx, { ...saved, folder: "" }),
      files,
      listError,
      timeZone,
      nextRun: saved.enabled ? nextDailyRun(ctx.now(), saved.time, timeZone).toISOString() : null,
      notice: extra.notice,
      error: extra.error,
      errors: extra.field && extra.error ? { [extra.field]: extra.error } : undefined,
      status: extra.status,
    });
  };

  const notices: Record<string, string> = {
    saved: "Saved.",
    started: "Backup started; it appears below when done.",
  };
  app.get("/backups", (c) => render(c, { notice: notices[c.req.query("msg") ?? ""] }));

  app.post("/backups/now", async (c) => {
    await queueBackupNow(ctx);
    return c.redirect("/admin/backups?msg=started", 303);
  });

  app.post("/backups", async (c) => {
    const body = await formBody(c);
    const keep = one(body, "keep").trim();
    const input: BackupSettings = {
      enabled: one(body, "enabled") === "1",
      time: one(body, "time").trim(),
      keep: /^\d+$/.test(keep) ? Number(keep) : Number.NaN,
      folder: one(body, "folder"),
    };
    try {
      await saveBackupSettings(ctx, input);
    } catch (err) {
      if (err instanceof ValidationError)
        return render(c, { settings: input, error: err.message, field: err.field, status: 400 });
      throw err;
    }
    await scheduleNextBackup(ctx);
    return c.redirect("/admin/backups?msg=saved", 303);
  });

  app.get("/backups/files/:name", async (c) => {
    const name = c.req.param("name");
    const file = path.join(backupFolder(ctx, await getBackupSettings(ctx)), name);
    if (!BACKUP_NAME.test(name) || !fs.existsSync(file)) throw new NotFoundError(`no backup named ${name}`);
    c.header("Content-Type", "application/gzip");
    c.header("Content-Disposition", `attachment; filename="${name}"`);
    c.header("Content-Length", String(fs.statSync(file).size));
    return c.body(Readable.toWeb(fs.createReadStream(file)) as ReadableStream);
  });
}
