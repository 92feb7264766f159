/**
 * `restoreSite`: a backup put back into this site's database and data folder. Everything is
 * checked before anything changes: the file (readArchive: format, every entry's hash, every
 * table's row count), its schema version (a newer one is refused; an older one is brought up to
 * this version through the migrations, in a scratch SQLite database), and that the site is empty
 * (no posts, users, subscribers, saves or media files) unless `force`. Then every table is
 * replaced in one transaction, and the media folder is swapped for the backup's.
 */
import fs from "node:fs";
import path from "node:path";
import type { AppContext } from "../lib/context.ts";
import { countRows, dumpTables, schemaVersion } from "../lib/db/dump.ts";
import { type DumpFile, replaceTables } from "../lib/db/dump-load.ts";
import { openDb } from "../lib/db/index.ts";
import { type MigrationName, migrate, migrationNames } from "../lib/db/migrate.ts";
import { BackupFileError, filesUnder, type Manifest, readArchive } from "./archive.ts";
import { mediaFolder, type Steps } from "./backup.ts";

/** The site is not empty and `force` was not given. */
export class TargetNotEmptyError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "TargetNotEmptyError";
  }
}

/** What a restore put back. */
export interface RestoreResult {
  manifest: Manifest;
  rows: number;
  media: number;
  /** The schema version the backup was upgraded from, when it was older. */
  upgradedFrom?: string;
}

/** "12 posts and 1 user" */
function listed(parts: string[]): string {
  return parts.length > 1 ? `${parts.slice(0, -1).join(", ")} and ${parts.at(-1)}` : (parts[0] ?? "");
}

/**
 * What the site already holds, as "the database at X already has 12 posts and 1 user" and/or
 * "the media folder Y already has 2 files" (empty when nothing): the two are named apart, as
 * they may be apart (a PostgreSQL database, a data folder on this machine).
 */
async function contents(ctx: AppContext): Promise<string> {
  const counts = await countRows(ctx.db, ["posts", "users", "subscribers", "saves"]);
  const media = filesUnder(mediaFolder(ctx)).length;
  const parts: string[] = [];
  const say = (n: number, one: string, many: string) => n > 0 && parts.push(`${n} ${n === 1 ? one : many}`);
  say(counts.posts, "post", "posts");
  say(counts.users, "user", "users");
  say(counts.subscribers, "subscriber", "subscribers");
  say(counts.saves, "save", "saves");
  const out: string[] = [];
  if (parts.length) out.push(`the database at ${databaseLabel(ctx)} already has ${listed(parts)}`);
  if (media) out.push(`the media folder ${mediaFolder(ctx)} already has ${media} file${media === 1 ? "" : "s"}`);
  return out.join(", and ");
}

/** Where the site's database is, for messages (a PostgreSQL URL without its password). */
export function databaseLabel(ctx: AppContext): string {
  if (!ctx.config.databaseUrl) return path.join(ctx.config.dataDir, "liner.db");
  const u = new URL(ctx.config.databaseUrl);
  u.password = "";
  return u.toString();
}

/** Check that the backup's schema is one this version knows; the migration to load it at. */
function schemaOf(m: Manifest, file: string): MigrationName {
  const known = migrationNames as readonly string[];
  if (known.includes(m.schemaVersion)) return m.schemaVersion as MigrationName;
  const latest = known[known.length - 1];
  const n = (s: string) => Number.parseInt(s, 10);
  if (n(m.schemaVersion) > n(latest))
    throw new BackupFileError(
      `${file} was made by a newer Liner Notes (${m.appVersion}, schema ${m.schemaVersion}; this one has ${latest}); upgrade Liner Notes to restore it`,
    );
  throw new BackupFileError(`${file} has a schema this Liner Notes does not know (${m.schemaVersion})`);
}

/** A backup read through and checked, its entries unpacked in a staging folder (see `checkBackup`). */
export interface CheckedBackup {
  file: string;
  manifest: Manifest;
  /** The migration the backup's tables are at. */
  schema: MigrationName;
  staging: string;
  /** Remove the staging folder (and the data folder, when checking made it and it is empty). */
  discard(): void;
}

/**
 * Read and check `file`, unpacking it into a staging folder in `dataDir` (so that the media
 * folder moves into place with a rename), before any database is opened: a bad file leaves
 * nothing behind, not even the data folder when there was none.
 */
export async function checkBackup(file: string, dataDir: string, steps?: Steps, shown = file): Promise<CheckedBackup> {
  if (!fs.existsSync(file) || !fs.statSync(file).isFile()) throw new BackupFileError(`${shown}: no such file`);
  const made = fs.mkdirSync(dataDir, { recursive: true });
  const staging = fs.mkdtempSync(path.join(dataDir, ".restore-"));
  const discard = () => {
    fs.rmSync(staging, { recursive: true, force: true });
    if (made && fs.readdirSync(dataDir).length === 0) fs.rmSync(made, { recursive: true, force: true });
  };
  try {
    const progress = (steps ?? (() => () => {}))("Checking the backup");
    const manifest = await readArchive(file, { dest: staging, progress, shown });
    return { file, manifest, schema: schemaOf(manifest, shown), staging, discard };
  } catch (err) {
    discard();
    throw err;
  }
}

/** Restore `file` (or the backup `opts.checked` already checked) into the site of `ctx` (see the module comment). */
export async function restoreSite(
  ctx: AppContext,
  file: string,
  opts: { force?: boolean; steps?: Steps; checked?: CheckedBackup } = {},
): Promise<RestoreResult> {
  const steps = opts.steps ?? (() => () => {});
  const checked = opts.checked ?? (await checkBackup(file, ctx.config.dataDir, steps));
  const { manifest, schema, staging } = checked;
  try {
    const current = await schemaVersion(ctx.db);
    const there = await contents(ctx);
    if (there && !opts.force) throw new TargetNotEmptyError(`${there}; use --force to replace them`);

    let dir = path.join(staging, "db");
    let tables: DumpFile[] = manifest.tables;
    let upgradedFrom: string | undefined;
    if (schema !== current) {
      ({ dir, tables } = await upgrade(staging, dir, tables, schema));
      upgradedFrom = schema;
    }
    const total = manifest.tables.reduce((a, t) => a + t.rows, 0);
    const loading = steps("Loading the database");
    await replaceTables(ctx.db, dir, tables, (done) => loading(done, total));

    const media = mediaFolder(ctx);
    const old = path.join(staging, "media-before");
    if (fs.existsSync(media)) fs.renameSync(media, old);
    const restored = path.join(staging, "media");
    if (fs.existsSync(restored)) fs.renameSync(restored, media);
    else fs.mkdirSync(media, { recursive: true });
    ctx.cache.clear();
    return { manifest, rows: total, media: filesUnder(media).length, upgradedFrom };
  } finally {
    checked.discard();
  }
}

/**
 * Bring tables dumped at an older schema up to this version: load them into a scratch SQLite
 * database migrated to that schema, run the later migrations over them, and dump them again.
 */
async function upgrade(
  staging: string,
  dir: string,
  tables: DumpFile[],
  schema: MigrationName,
): Promise<{ dir: string; tables: DumpFile[] }> {
  const scratch = openDb({ sqlitePath: path.join(staging, "upgrade.db") });
  try {
    await migrate(scratch, { to: schema });
    await replaceTables(scratch, dir, tables);
    await migrate(scratch);
    const out = path.join(staging, "db-upgraded");
    return { dir: out, tables: await dumpTables(scratch, out) };
  } finally {
    await scratch.close();
  }
}
