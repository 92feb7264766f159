/**
 * The backup file: a gzipped tar (lib/tar.ts; tar-stream, see docs/architecture.md) holding, in this order,
 *
 *   liner-backup.json   what it is: format and version, the app and schema versions, the dialect
 *   db/NNN_table.jsonl  every table as JSON lines, in load order (lib/db/dump.ts)
 *   media/...           the media folder as it was
 *   manifest.json       the header again, each table's row count, and the size and SHA-256 of
 *                       every entry above
 *
 * The manifest comes last so that a truncated file is missing it. Reading checks everything
 * before anything is used: the header first (so "not a backup" and "newer version" are said
 * before the rest is read), then every entry's hash and every table's row count. Entries are
 * streamed, never held whole (but the header and manifest), and only regular files under the
 * names a backup has are accepted.
 */
import { createHash } from "node:crypto";
import { once } from "node:events";
import fs from "node:fs";
import path from "node:path";
import { Transform } from "node:stream";
import { finished, pipeline } from "node:stream/promises";
import { createGunzip } from "node:zlib";
import { type Extract, extract } from "tar-stream";
import { tarGzWriter } from "../lib/tar.ts";

/** What the first entry says. */
export interface BackupHeader {
  format: typeof FORMAT;
  formatVersion: number;
  appVersion: string;
  /** The last migration the database had: the schema of the table dumps. */
  schemaVersion: string;
  dialect: "sqlite" | "postgres";
  createdAt: string;
}

/** The last entry: the header, the tables and every entry's size and hash. */
export interface Manifest extends BackupHeader {
  tables: { name: string; file: string; rows: number }[];
  entries: Record<string, { bytes: number; sha256: string }>;
}

export const FORMAT = "liner-notes-backup";
export const FORMAT_VERSION = 1;
export const HEADER = "liner-backup.json";
export const MANIFEST = "manifest.json";

/** A backup file that cannot be used, with a one-line reason that names the file. */
export class BackupFileError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = "BackupFileError";
  }
}

/** SHA-256 and size of a file. */
export async function hashFile(file: string): Promise<{ bytes: number; sha256: string }> {
  const h = createHash("sha256");
  let bytes = 0;
  for await (const chunk of fs.createReadStream(file)) {
    h.update(chunk as Buffer);
    bytes += (chunk as Buffer).length;
  }
  return { bytes, sha256: h.digest("hex") };
}

/** Every regular file under `dir`, as paths relative to it with "/" separators, sorted. */
export function filesUnder(dir: string): string[] {
  if (!fs.existsSync(dir)) return [];
  return fs
    .readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((d) => d.isFile())
    .map((d) => path.relative(dir, path.join(d.parentPath, d.name)).split(path.sep).join("/"))
    .sort();
}

/**
 * Pack `staging` (HEADER, db/, MANIFEST) and the media files of `mediaDir` (as media/) into
 * `file`: only the files `entries` lists, in its order, then MANIFEST (media uploaded while the
 * backup runs waits for the next one; one deleted since it was hashed is left out, and the check
 * that follows says so). `onEntry` is called for each file written.
 */
export async function writeArchive(
  staging: string,
  mediaDir: string,
  file: string,
  entries: Manifest["entries"],
  onEntry?: () => void,
): Promise<void> {
  const tar = tarGzWriter();
  // Owner-only from the first byte: a backup holds password hashes and subscribers' addresses.
  const written = pipeline(tar.stream, fs.createWriteStream(file, { mode: 0o600 }));
  written.catch(() => {}); // awaited below
  const from = (p: string) =>
    p.startsWith("media/") ? path.join(mediaDir, ...p.slice(6).split("/")) : path.join(staging, ...p.split("/"));
  try {
    for (const p of [...Object.keys(entries), MANIFEST]) {
      try {
        await tar.addFile(p, from(p));
      } catch (err) {
        if (p.startsWith("media/") && (err as NodeJS.ErrnoException).code === "ENOENT") continue;
        throw err;
      }
      onEntry?.();
    }
    tar.finish();
  } catch (err) {
    tar.fail(err as Error);
    // The file's own error (a full disk) is the cause when there is one.
    throw await written.then(
      () => err,
      (e) => e,
    );
  }
  await written;
}

/** Entry names a backup may hold: nothing else is read, nothing outside `dest` is written. */
const ALLOWED = /^(liner-backup\.json|manifest\.json|db\/\d{3}_[a-z0-9_]+\.jsonl|media\/[^\\]+)$/;
const safe = (p: string) => ALLOWED.test(p) && !p.split("/").some((s) => s === ".." || s === "." || s === "");

/**
 * Read a backup through, checking it: the header, then every entry against the manifest. With
 * `dest`, its entries are written there too (db/ and media/ under it). `progress` gets the
 * compressed bytes read and the file's size. Throws BackupFileError naming the file (as `shown`).
 */
export async function readArchive(
  file: string,
  opts: { dest?: string; progress?: (done: number, total: number) => void; shown?: string } = {},
): Promise<Manifest> {
  // The file as the user named it, in every message.
  const name = opts.shown ?? file;
  const size = fs.statSync(file).size;
  const magic = Buffer.alloc(2);
  const fd = fs.openSync(file, "r");
  fs.readSync(fd, magic, 0, 2, 0);
  fs.closeSync(fd);
  if (magic[0] !== 0x1f || magic[1] !== 0x8b) throw new BackupFileError(`${name} is not a backup (not a .tar.gz file)`);

  const seen = new Map<string, Seen>();
  const texts = new Map<string, string>();
  let header: BackupHeader | undefined;
  let read = 0;
  const counter = new Transform({
    transform(chunk: Buffer, _enc, done) {
      read += chunk.length;
      opts.progress?.(read, size);
      done(null, chunk);
    },
  });
  const entries = extract();
  const feeding = pipeline(fs.createReadStream(file), counter, createGunzip(), entries);
  feeding.catch(() => {}); // awaited below
  /** What was wrong with the entries themselves: said rather than the stream's error it causes. */
  let problem: unknown;
  try {
    for await (const entry of entries) {
      try {
        const got = await readEntry(entry, name, seen.size === 0, opts.dest);
        if (!got) continue;
        seen.set(got.path, got);
        if (got.text !== undefined) texts.set(got.path, got.text);
        if (got.path === HEADER) header = parseHeader(got.text ?? "", name);
      } catch (err) {
        // The entries' own faults, and a file that cannot be written under `dest` (a full disk),
        // are said as they are; anything else is the stream failing: the file is damaged.
        if (err instanceof BackupFileError || (err as NodeJS.ErrnoException).syscall) problem = err;
        throw err;
      }
    }
    await feeding;
  } catch (err) {
    if (problem) throw problem;
    const cause = (await feeding.then(
      () => err,
      (e) => e,
    )) as NodeJS.ErrnoException;
    const zlib = cause.code?.startsWith("Z_") ?? false;
    // A gzip that does not decompress is a damaged file; one that holds no tar, some other file.
    if (seen.size === 0 && !zlib)
      throw new BackupFileError(`${name} is not a backup (Unrecognized archive format)`, { cause });
    throw new BackupFileError(`${name} is corrupt (${reason(cause, zlib)})`, { cause });
  }
  if (seen.size === 0) throw new BackupFileError(`${name} is not a backup (Unrecognized archive format)`);
  if (!header) throw new BackupFileError(`${name} is not a Liner Notes backup (no ${HEADER})`);
  const raw = texts.get(MANIFEST);
  if (raw === undefined) throw new BackupFileError(`${name} is corrupt (no ${MANIFEST}: the file is cut short)`);
  let manifest: Manifest;
  try {
    manifest = JSON.parse(raw) as Manifest;
  } catch (err) {
    throw new BackupFileError(`${name} is corrupt (${MANIFEST} is not JSON)`, { cause: err });
  }
  checkEntries(manifest, seen, name);
  return { ...manifest, ...header };
}

/** One entry of an archive being read (tar-stream names its type only as what it yields). */
type Entry = Extract extends AsyncIterable<infer E> ? E : never;

/** The entry streamed through: hashed, its lines counted, written under `dest`; undefined for a folder. */
async function readEntry(
  entry: Entry,
  name: string,
  first: boolean,
  dest: string | undefined,
): Promise<(Seen & { path: string; text?: string }) | undefined> {
  const { name: p, type } = entry.header;
  if (type === "directory") {
    entry.resume();
    return undefined;
  }
  // Only regular files with the names a backup has: no links, devices, absolute paths or "..".
  if (type !== "file" || !safe(p))
    throw new BackupFileError(`${name} is not a Liner Notes backup (unexpected entry ${JSON.stringify(p)})`);
  if (first && p !== HEADER)
    throw new BackupFileError(`${name} is not a Liner Notes backup (it does not start with ${HEADER})`);
  const h = createHash("sha256");
  let bytes = 0;
  let lines = 0;
  const isTable = p.startsWith("db/");
  const keep = p === HEADER || p === MANIFEST;
  const chunks: Buffer[] = [];
  let out: fs.WriteStream | undefined;
  if (dest && !keep) {
    const to = path.join(dest, p);
    fs.mkdirSync(path.dirname(to), { recursive: true });
    out = fs.createWriteStream(to);
  }
  try {
    for await (const c of entry as AsyncIterable<Buffer>) {
      h.update(c);
      bytes += c.length;
      if (isTable) for (const b of c) if (b === 0x0a) lines++;
      if (keep) chunks.push(c);
      if (out && !out.write(c)) await once(out, "drain");
    }
    if (out) await finished(out.end());
  } finally {
    // Writes still pending when the entry failed end in errors of their own: not the reason.
    out?.on("error", () => {});
    out?.destroy();
  }
  const text = keep ? Buffer.concat(chunks).toString("utf8") : undefined;
  return { path: p, bytes, sha256: h.digest("hex"), lines, text };
}

/** The library's reason in the words backups have always used. */
function reason(err: Error, zlib: boolean): string {
  if (zlib) return `zlib: ${err.message}`;
  if (err.message === "Unexpected end of data") return "Truncated input";
  if (err.message.startsWith("Invalid tar header. Maybe")) return "checksum failure";
  return err.message;
}

function parseHeader(text: string, name: string): BackupHeader {
  let h: Partial<BackupHeader>;
  try {
    h = JSON.parse(text);
  } catch (err) {
    throw new BackupFileError(`${name} is not a Liner Notes backup (${HEADER} is not JSON)`, { cause: err });
  }
  return checkHeader(h, name);
}

function checkHeader(h: Partial<BackupHeader>, name: string): BackupHeader {
  if (h?.format !== FORMAT) throw new BackupFileError(`${name} is not a Liner Notes backup`);
  if (typeof h.formatVersion !== "number" || h.formatVersion > FORMAT_VERSION)
    throw new BackupFileError(
      `${name} was made by a newer Liner Notes (${h.appVersion ?? "?"}, backup format ${h.formatVersion}); upgrade Liner Notes to restore it`,
    );
  if (typeof h.schemaVersion !== "string" || (h.dialect !== "sqlite" && h.dialect !== "postgres"))
    throw new BackupFileError(`${name} is corrupt (${HEADER} lacks the schema version or dialect)`);
  return h as BackupHeader;
}

interface Seen {
  bytes: number;
  sha256: string;
  /** Rows of a table's file. */
  lines: number;
}

function checkEntries(m: Manifest, seen: Map<string, Seen>, name: string): void {
  if (typeof m.entries !== "object" || !Array.isArray(m.tables))
    throw new BackupFileError(`${name} is corrupt (${MANIFEST} lists no entries)`);
  for (const [p, want] of Object.entries(m.entries)) {
    const got = seen.get(p);
    if (!got) throw new BackupFileError(`${name} is corrupt (${p} is missing)`);
    if (got.sha256 !== want.sha256 || got.bytes !== want.bytes)
      throw new BackupFileError(`${name} is corrupt (${p} does not match its checksum)`);
  }
  for (const p of seen.keys()) {
    if (p !== MANIFEST && !m.entries[p]) throw new BackupFileError(`${name} is corrupt (${p} is not in the manifest)`);
  }
  for (const t of m.tables) {
    const got = seen.get(`db/${t.file}`);
    if (!got) throw new BackupFileError(`${name} is corrupt (db/${t.file} is missing)`);
    if (got.lines !== t.rows)
      throw new BackupFileError(
        `${name} is corrupt (table ${t.name} has ${got.lines} rows, the manifest says ${t.rows})`,
      );
  }
}
