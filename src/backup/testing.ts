/**
 * Test support for backups: a fresh, migrated site on a chosen database (SQLite, or PostgreSQL
 * even when the run is on SQLite: a backup must restore onto both), and every table and media
 * file of a site read back for comparison.
 */
import { createHash } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import pg from "pg";
import * as tar from "tar";
import { loadConfig } from "../lib/config.ts";
import { type AppContext, closeContext, createContext } from "../lib/context.ts";
import { describeTables, tableRows } from "../lib/db/dump.ts";
import { freshDatabase } from "../lib/testing.ts";
import { filesUnder, HEADER, hashFile, MANIFEST, type Manifest } from "./archive.ts";

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
    await tar.x({ file: from, cwd: dir });
    edit(dir);
    if (opts.rehash) {
      const manifestFile = path.join(dir, MANIFEST);
      const m = JSON.parse(fs.readFileSync(manifestFile, "utf8")) as Manifest;
      for (const name of Object.keys(m.entries)) m.entries[name] = await hashFile(path.join(dir, name));
      fs.writeFileSync(manifestFile, JSON.stringify(m));
    }
    const names = [HEADER, "db", ...(fs.existsSync(path.join(dir, "media")) ? ["media"] : []), MANIFEST];
    await tar.c({ gzip: true, cwd: dir, file: to, portable: true }, names);
    return to;
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
