/** `liner backup FILE` and `liner restore FILE [--force]`. */
import fs from "node:fs";
import path from "node:path";
import { CliError, lineWriter, parseCommand, withContext } from "../lib/cli.ts";
import { loadConfig } from "../lib/config.ts";
import type { CliIo } from "../lib/module.ts";
import { runningProcesses } from "../lib/pid-file.ts";
import { createProgress } from "../lib/progress.ts";
import { BackupFileError } from "./archive.ts";
import { backupSite, type Steps } from "./backup.ts";
import { checkBackup, databaseLabel, restoreSite, TargetNotEmptyError } from "./restore.ts";
import { backupName } from "./settings.ts";
import { formatBytes } from "./views.ts";

/** A progress bar per step on the terminal (nothing when stderr is not one). */
function terminalSteps(io: CliIo): Steps {
  return (label) => {
    let bar: ReturnType<typeof createProgress> | undefined;
    let last = -1;
    return (done, total) => {
      if (total !== last) {
        bar?.finish();
        bar = createProgress(label, total, io.stderr);
        last = total;
      }
      bar?.update(done);
      if (done >= total) bar?.finish();
    };
  };
}

/** `liner backup FILE`. */
export async function backupCommand(args: string[], io: CliIo): Promise<number> {
  const say = lineWriter(io.stdout);
  const { positionals } = parseCommand("backup", args, {}, ["FILE"]);
  const given = positionals[0];
  // Said before anything is opened or made: a typo must not create folders or a database.
  const st = fs.statSync(given, { throwIfNoEntry: false });
  if (!st?.isDirectory()) {
    if (!given.endsWith(".tar.gz")) throw new CliError(`${given}: a backup's name ends in .tar.gz`);
    const folder = path.dirname(given);
    const up = fs.statSync(folder, { throwIfNoEntry: false });
    if (!up) throw new CliError(`folder ${folder} does not exist`);
    if (!up.isDirectory()) throw new CliError(`${folder} is a file, not a folder`);
  }
  return withContext(
    io,
    async (ctx) => {
      let file = path.resolve(given);
      if (fs.existsSync(file) && fs.statSync(file).isDirectory()) file = path.join(file, backupName(ctx.now()));
      if (fs.existsSync(file)) throw new CliError(`${file} already exists; choose another name`);
      const r = await backupSite(ctx, file, terminalSteps(io));
      say(
        `Backed up ${r.tables} tables (${r.rows} rows) and ${r.media} media file${r.media === 1 ? "" : "s"} to ${r.file} (${formatBytes(r.bytes)}); verified.`,
      );
      return 0;
    },
    { mustExist: true },
  );
}

/** `liner restore FILE [--force]`. */
export async function restoreCommand(args: string[], io: CliIo): Promise<number> {
  const say = lineWriter(io.stdout);
  const { values, positionals } = parseCommand("restore", args, { force: { type: "boolean" } }, ["FILE"]);
  const file = path.resolve(positionals[0]);
  // Said before a context opens (which would create an empty database for a typo).
  if (!fs.existsSync(file) || !fs.statSync(file).isFile()) throw new CliError(`${positionals[0]}: no such file`);
  const dataDir = loadConfig(io.env, io.config).dataDir;
  // A running site would go on serving (and writing) what it holds in memory over the restore.
  const [running] = runningProcesses(dataDir);
  if (running)
    throw new CliError(
      `a Liner Notes ${running.command} (pid ${running.pid}) is running on ${dataDir}: stop it first (if it is not running, remove ${path.join(dataDir, `liner.${running.pid}.pid`)})`,
    );
  const steps = terminalSteps(io);
  // The file is checked before the database is opened (which would create an empty one).
  const checked = await checkBackup(file, dataDir, steps, positionals[0]).catch((err) => {
    throw err instanceof BackupFileError ? new CliError(err.message) : err;
  });
  try {
    return await withContext(io, async (ctx) => {
      try {
        const r = await restoreSite(ctx, file, { force: values.force === true, steps, checked });
        const from = r.upgradedFrom ? `, upgraded from schema ${r.upgradedFrom}` : "";
        say(
          `Restored ${r.manifest.tables.length} tables (${r.rows} rows) and ${r.media} media file${r.media === 1 ? "" : "s"} from ${path.basename(file)} (made ${r.manifest.createdAt} on ${r.manifest.dialect}${from}) into ${databaseLabel(ctx)}.`,
        );
        return 0;
      } catch (err) {
        if (err instanceof BackupFileError || err instanceof TargetNotEmptyError) throw new CliError(err.message);
        throw err;
      }
    });
  } finally {
    checked.discard();
  }
}
