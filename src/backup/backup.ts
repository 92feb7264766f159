/**
 * `backupSite`: a consistent backup of a running site in one file. The database is read from
 * one snapshot (lib/db/dump.ts `withSnapshot`: SQLite's online backup API, or one REPEATABLE
 * READ transaction on PostgreSQL) and written as portable JSON lines, so a backup of either
 * database restores onto either; then the media folder; then the manifest. The file is written
 * under a temporary name, read through again and checked against the manifest, and only then
 * given its name: a file with the name is a verified backup.
 */
import fs from "node:fs";
import path from "node:path";
import type { AppContext } from "../lib/context.ts";
import { dumpTables, schemaVersion, withSnapshot } from "../lib/db/dump.ts";
import {
  type BackupHeader,
  FORMAT,
  FORMAT_VERSION,
  filesUnder,
  HEADER,
  hashFile,
  MANIFEST,
  type Manifest,
  readArchive,
  writeArchive,
} from "./archive.ts";

/** Draws one progress bar per step (a terminal's, or nothing). */
export type Steps = (label: string) => (done: number, total: number) => void;
const noSteps: Steps = () => () => {};

/** What a backup wrote: the file, its size, and how much went into it. */
export interface BackupResult {
  file: string;
  bytes: number;
  tables: number;
  rows: number;
  media: number;
  schemaVersion: string;
}

/** The app's version, from package.json. */
export function appVersion(): string {
  const pkg = JSON.parse(fs.readFileSync(new URL("../../package.json", import.meta.url), "utf8")) as {
    version: string;
  };
  return pkg.version;
}

/** The folder of uploaded media (content's `mediaDir`: the one folder of files a site has). */
export function mediaFolder(ctx: AppContext): string {
  return path.join(ctx.config.dataDir, "media");
}

/** Back the site up into `file` (which must not exist yet) and verify it. */
export async function backupSite(ctx: AppContext, file: string, steps: Steps = noSteps): Promise<BackupResult> {
  const dir = path.dirname(path.resolve(file));
  fs.mkdirSync(dir, { recursive: true });
  const staging = fs.mkdtempSync(path.join(dir, ".liner-backup-"));
  const partial = `${file}.partial`;
  try {
    const { tables, schema } = await withSnapshot(
      ctx.db,
      staging,
      async (snap) => ({
        tables: await dumpTables(snap, path.join(staging, "db"), steps("Reading the database")),
        schema: await schemaVersion(snap),
      }),
      steps("Copying the database"),
    );
    if (!schema) throw new Error("the database has no schema version (it was never migrated)");
    const header: BackupHeader = {
      format: FORMAT,
      formatVersion: FORMAT_VERSION,
      appVersion: appVersion(),
      schemaVersion: schema,
      dialect: ctx.db.dialect,
      createdAt: ctx.now().toISOString(),
    };
    fs.writeFileSync(path.join(staging, HEADER), `${JSON.stringify(header, null, 2)}\n`);
    const media = filesUnder(mediaFolder(ctx));
    const entries: Manifest["entries"] = { [HEADER]: await hashFile(path.join(staging, HEADER)) };
    for (const t of tables) entries[`db/${t.file}`] = await hashFile(path.join(staging, "db", t.file));
    const hashing = steps("Reading media");
    for (const [i, m] of media.entries()) {
      entries[`media/${m}`] = await hashFile(path.join(mediaFolder(ctx), m));
      hashing(i + 1, media.length);
    }
    const manifest: Manifest = { ...header, tables, entries };
    fs.writeFileSync(path.join(staging, MANIFEST), `${JSON.stringify(manifest, null, 2)}\n`);

    const writing = steps("Writing the backup");
    const total = Object.keys(entries).length + 1;
    let written = 0;
    await writeArchive(staging, mediaFolder(ctx), partial, entries, () => writing(++written, total));
    await readArchive(partial, { progress: steps("Verifying") });
    fs.renameSync(partial, file);
    return {
      file,
      bytes: fs.statSync(file).size,
      tables: tables.length,
      rows: tables.reduce((a, t) => a + t.rows, 0),
      media: media.length,
      schemaVersion: schema,
    };
  } finally {
    fs.rmSync(staging, { recursive: true, force: true });
    fs.rmSync(partial, { force: true });
  }
}
