/**
 * Storage failures told the way an operator can act on them. A full disk or a read-only folder
 * reaches us as SQLite result codes (SQLITE_FULL, SQLITE_READONLY…), Node file system errors
 * (ENOSPC, EROFS, EACCES) or PostgreSQL SQLSTATEs (53100 disk_full, 25006 read_only_sql_transaction),
 * none of which say *where*. `storageErrorOf` turns them into a StorageError whose message is one
 * line naming the place ("the disk holding ./data is full", "./data/liner.db is read-only"); the
 * CLI prints it (exit 1) and the web app shows it on a 503 page.
 */
import fs from "node:fs";
import path from "node:path";
import type { Config } from "../config.ts";

/** What kind of storage failure: the operator's fix differs for each. */
export type StorageFailure = "full" | "read-only" | "cannot-open" | "io";

/** A storage failure with a one-line, user-facing message naming the place; `cause` is the original error. */
export class StorageError extends Error {
  readonly failure: StorageFailure;
  /** The original code: "SQLITE_FULL", "ENOSPC", "53100"… */
  readonly code: string;
  constructor(failure: StorageFailure, code: string, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = "StorageError";
    this.failure = failure;
    this.code = code;
  }
}

/** Where the data lives, as the operator configured it. */
export interface StoragePlace {
  /** The data folder (uploads, and the SQLite file unless PostgreSQL is used). */
  dataDir?: string;
  /** The SQLite file; undefined on PostgreSQL. */
  sqliteFile?: string;
  /** How to name the PostgreSQL database ("the PostgreSQL database liner on db.example"). */
  postgres?: string;
}

/** The place of a configuration: its data folder and its database. */
export function storagePlace(config: Pick<Config, "dataDir" | "databaseUrl">): StoragePlace {
  if (!config.databaseUrl) return { dataDir: config.dataDir, sqliteFile: path.join(config.dataDir, "liner.db") };
  let postgres = "the PostgreSQL database";
  try {
    const url = new URL(config.databaseUrl);
    const name = decodeURIComponent(url.pathname.slice(1));
    postgres = `the PostgreSQL database${name ? ` ${name}` : ""}${url.hostname ? ` on ${url.hostname}` : ""}`;
  } catch {
    // a connection string that is not a URL ("host=… dbname=…"): the generic name will do
  }
  return { dataDir: config.dataDir, postgres };
}

/** A path as the operator would type it: relative to the working folder ("./data") when inside it. */
export function shownPath(p: string): string {
  const rel = path.relative(process.cwd(), p);
  if (rel === "") return ".";
  return rel.startsWith("..") || path.isAbsolute(rel) ? p : `.${path.sep}${rel}`;
}

const SQLITE = /^SQLITE_(FULL|READONLY|CANTOPEN|IOERR)/;

/**
 * The StorageError for `err` (or for an error in its `cause` chain), or undefined when it is not a
 * storage failure. A StorageError passes through unchanged.
 */
export function storageErrorOf(err: unknown, place: StoragePlace): StorageError | undefined {
  for (let e = err, depth = 0; e && depth < 5; e = (e as { cause?: unknown }).cause, depth++) {
    if (e instanceof StorageError) return e;
    const found = classify(e as { code?: unknown; path?: unknown }, place);
    if (found) return found;
  }
  return undefined;
}

function classify(e: { code?: unknown; path?: unknown }, place: StoragePlace): StorageError | undefined {
  const code = typeof e.code === "string" ? e.code : undefined;
  if (!code) return undefined;
  const make = (failure: StorageFailure, message: string) => new StorageError(failure, code, message, { cause: e });
  const sqlite = SQLITE.exec(code)?.[1];
  if (sqlite) {
    const file = place.sqliteFile ? shownPath(place.sqliteFile) : "the database file";
    const dir = place.sqliteFile ? path.dirname(place.sqliteFile) : undefined;
    if (sqlite === "FULL") return make("full", `the disk holding ${dir ? shownPath(dir) : "the database"} is full`);
    if (sqlite === "READONLY") return make("read-only", `${file} is read-only`);
    if (sqlite === "CANTOPEN") {
      // SQLite cannot create its -wal and -shm files beside the database in a read-only folder.
      const problem = dir ? folderProblem(dir) : undefined;
      if (problem === "read-only")
        return make("read-only", `${shownPath(dir as string)} is read-only, so ${file} cannot be opened`);
      if (problem === "missing")
        return make("cannot-open", `${file} cannot be opened: ${shownPath(dir as string)} does not exist`);
      return make("cannot-open", `${file} cannot be opened`);
    }
    return make("io", `reading or writing ${file} failed (${code}: a disk or file system error)`);
  }
  if (code === "53100") return make("full", `the disk holding ${place.postgres ?? "the PostgreSQL database"} is full`);
  if (code === "25006") return make("read-only", `${place.postgres ?? "the PostgreSQL database"} is read-only`);
  const file = typeof e.path === "string" ? e.path : undefined;
  // A failed write() carries no path (only open() does): then the place is unknown.
  if (code === "ENOSPC")
    return make(
      "full",
      file ? `the disk holding ${folderOf(file, place)} is full` : "a disk is full (no space left on the device)",
    );
  if (code === "EROFS")
    return make("read-only", file ? `${folderOf(file, place)} is read-only` : "a file system is read-only");
  // Permission problems count only inside the data folder: elsewhere (a folder named on the
  // command line) they are the caller's to report.
  if ((code === "EACCES" || code === "EPERM") && file && place.dataDir && inside(file, place.dataDir)) {
    return make("read-only", `${shownPath(file)} cannot be written (permission denied)`);
  }
  return undefined;
}

/** The data folder when `file` is in it (the operator knows that name), else the file's folder. */
function folderOf(file: string, place: StoragePlace): string {
  return shownPath(place.dataDir && inside(file, place.dataDir) ? place.dataDir : path.dirname(file));
}

function inside(file: string, dir: string): boolean {
  const rel = path.relative(dir, path.resolve(file));
  return !rel.startsWith("..") && !path.isAbsolute(rel);
}

/** Why files cannot be created in `dir`, if it is the folder's fault. */
function folderProblem(dir: string): "read-only" | "missing" | undefined {
  try {
    fs.accessSync(dir, fs.constants.W_OK);
    return undefined;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === "ENOENT" ? "missing" : "read-only";
  }
}

/** Is this the database refusing a second row with the same unique key (PostgreSQL or SQLite)? */
export function isUniqueViolation(err: unknown): boolean {
  const code = (err as { code?: unknown } | null)?.code;
  return code === "23505" || code === "SQLITE_CONSTRAINT_UNIQUE" || code === "SQLITE_CONSTRAINT_PRIMARYKEY";
}
