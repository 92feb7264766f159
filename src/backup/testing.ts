/**
 * Test support for backups: a fresh, migrated site on a chosen database (SQLite, or PostgreSQL
 * even when the run is on SQLite: a backup must restore onto both), and every table and media
 * file of a site read back for comparison.
 */
import { createHash } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { pipeline } from "node:stream/promises";
import { createGunzip, createGzip } from "node:zlib";
import pg from "pg";
import { extract, type Header, pack } from "tar-stream";
import { loadConfig } from "../lib/config.ts";
import { type AppContext, closeContext, createContext } from "../lib/context.ts";
import { describeTables, tableRows } from "../lib/db/dump.ts";
import { tarGzWriter } from "../lib/tar.ts";
import { freshDatabase } from "../lib/testing.ts";
import { FORMAT, FORMAT_VERSION, filesUnder, HEADER, hashFile, MANIFEST, type Manifest } from "./archive.ts";

/** The PostgreSQL server of the tests: DATABASE_URL's, or the local one CI starts on both lanes. */
export const PG_BASE = process.env.DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/postgres";

/** Is the PostgreSQL server there? (CI always has it; a laptop may not.) */
export async function postgresReachable(): Promise<boolean> {
  const c = new pg.Client({ connectionString: PG_BASE, connectionTimeoutMillis: 2000 });
  try {
    await c.connect();
    await c.end();
    return true;
  } catch {
    return false;
  }
}

export interface Site {
  ctx: AppContext;
  cleanup(): Promise<void>;
}

/** A fresh, migrated, empty site with its own data folder, on `kind`. */
export async function freshSite(kind: "sqlite" | "postgres"): Promise<Site> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "liner-restore-"));
  const db = await freshDatabase(kind === "postgres" ? PG_BASE : undefined, dir);
  const env: Record<string, string> = { LINER_DATA: dir, LINER_LOG: "silent" };
  if (db.url) env.DATABASE_URL = db.url;
  const ctx = await createContext(loadConfig(env), { sqlitePath: db.sqlitePath });
  return {
    ctx,
    async cleanup() {
      await closeContext(ctx);
      await db.drop();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Every table's rows in key order, by table name. */
export async function allRows(ctx: AppContext): Promise<Record<string, unknown[]>> {
  const out: Record<string, unknown[]> = {};
  for (const t of await describeTables(ctx.db)) {
    const rows: unknown[] = [];
    for await (const page of tableRows(ctx.db, t)) rows.push(...page.map((r) => sortKeys(r)));
    out[t.name] = rows;
  }
  return out;
}

/** A row with its columns in name order (the dialects list them in different orders). */
function sortKeys(r: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(
    Object.keys(r)
      .sort()
      .map((k) => [k, r[k]]),
  );
}

/** Every media file of a site and its SHA-256. */
export function mediaFiles(ctx: AppContext): Record<string, string> {
  const dir = path.join(ctx.config.dataDir, "media");
  return Object.fromEntries(
    filesUnder(dir).map((f) => [
      f,
      createHash("sha256")
        .update(fs.readFileSync(path.join(dir, f)))
        .digest("hex"),
    ]),
  );
}

/**
 * A copy of the backup `from` at `to`, with `edit` applied to its unpacked files (a folder with
 * liner-backup.json, db/, media/ and manifest.json); with `rehash`, the manifest's hashes are
 * made to match the edit (a well-formed backup with other contents).
 */
export async function repack(
  from: string,
  to: string,
  edit: (dir: string) => void,
  opts: { rehash?: boolean } = {},
): Promise<string> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "liner-repack-"));
  try {
    await untarTo(from, dir);
    edit(dir);
    if (opts.rehash) {
      const manifestFile = path.join(dir, MANIFEST);
      const m = JSON.parse(fs.readFileSync(manifestFile, "utf8")) as Manifest;
      for (const name of Object.keys(m.entries)) m.entries[name] = await hashFile(path.join(dir, name));
      fs.writeFileSync(manifestFile, JSON.stringify(m));
    }
    const names = [HEADER, ...["db", "media"].flatMap((d) => filesUnder(path.join(dir, d)).map((f) => `${d}/${f}`))];
    const tar = tarGzWriter();
    const written = pipeline(tar.stream, fs.createWriteStream(to));
    for (const name of [...names, MANIFEST]) await tar.addFile(name, path.join(dir, name));
    tar.finish();
    await written;
    return to;
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** Every file of the .tar.gz `file`, written under `dir` (a backup of ours: no checks). */
async function untarTo(file: string, dir: string): Promise<void> {
  const ex = extract();
  const reading = pipeline(fs.createReadStream(file), createGunzip(), ex);
  for await (const entry of ex) {
    const chunks: Buffer[] = [];
    for await (const c of entry) chunks.push(c as Buffer);
    if (entry.header.type !== "file") continue;
    const to = path.join(dir, entry.header.name);
    fs.mkdirSync(path.dirname(to), { recursive: true });
    fs.writeFileSync(to, Buffer.concat(chunks));
  }
  await reading;
}

/**
 * A .tar.gz at `file` holding a valid backup header and then `entries` as given (names, types and
 * link targets no backup of ours has), to check what a restore refuses.
 */
export async function craftArchive(file: string, entries: (Partial<Header> & { name: string })[]): Promise<string> {
  const header = { format: FORMAT, formatVersion: FORMAT_VERSION, appVersion: "0.0.0", schemaVersion: "001_init" };
  const p = pack();
  const written = pipeline(p, createGzip(), fs.createWriteStream(file));
  p.entry({ name: HEADER }, JSON.stringify({ ...header, dialect: "sqlite", createdAt: "2026-01-01T00:00:00.000Z" }));
  for (const e of entries) p.entry(e, e.type === "file" ? "evil" : "");
  p.finalize();
  await written;
  return file;
}
