/**
 * Opens the database: SQLite (better-sqlite3, WAL) by default, PostgreSQL when DATABASE_URL is set.
 * Returns a Kysely instance plus the dialect name, which a few stores need (full-text search).
 */
import fs from "node:fs";
import path from "node:path";
import SQLite from "better-sqlite3";
import { Kysely, PostgresDialect, SqliteDialect } from "kysely";
import pg from "pg";
import type { Database } from "./schema.ts";

export type Dialect = "sqlite" | "postgres";

export interface Db {
  kysely: Kysely<Database>;
  dialect: Dialect;
  close(): Promise<void>;
  /** True for the handle of a transaction (see db/transaction.ts). */
  inTransaction?: boolean;
  /**
   * SQLite only: copy the database to `file` with SQLite's online backup API (a consistent copy
   * while others keep writing); `progress` gets the pages copied and the total. See db/dump.ts.
   */
  backupTo?(file: string, progress?: (done: number, total: number) => void): Promise<void>;
  /** How it was opened: another thread may open the same database (a file or a server) with them. */
  opened?: OpenOptions;
}

export interface OpenOptions {
  /** PostgreSQL URL; when absent, SQLite at `sqlitePath`. */
  databaseUrl?: string;
  /** Path of the SQLite file, or ":memory:". */
  sqlitePath?: string;
  /** PostgreSQL schema to use as search_path (tests use one schema each). */
  pgSchema?: string;
  /** Pool size for PostgreSQL. */
  poolSize?: number;
}

// PostgreSQL returns int8 (COUNT, SUM) as strings; our counts always fit in a JS number.
pg.types.setTypeParser(20, (v) => Number.parseInt(v, 10));

/** Open a database connection for the given options. */
export function openDb(opts: OpenOptions): Db {
  if (opts.databaseUrl) {
    const pool = new pg.Pool({
      connectionString: opts.databaseUrl,
      max: opts.poolSize ?? 10,
      options: opts.pgSchema ? `-c search_path=${opts.pgSchema}` : undefined,
    });
    const kysely = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
    return { kysely, dialect: "postgres", close: () => kysely.destroy(), opened: opts };
  }
  const file = opts.sqlitePath ?? ":memory:";
  if (file !== ":memory:") fs.mkdirSync(path.dirname(file), { recursive: true });
  const sqlite = new SQLite(file);
  sqlite.pragma("journal_mode = WAL");
  sqlite.pragma("synchronous = NORMAL");
  sqlite.pragma("foreign_keys = ON");
  sqlite.pragma("busy_timeout = 5000");
  const kysely = new Kysely<Database>({ dialect: new SqliteDialect({ database: cachedStatements(sqlite) }) });
  const backupTo = async (to: string, progress?: (done: number, total: number) => void) => {
    const { totalPages } = await sqlite.backup(to, {
      progress: ({ totalPages, remainingPages }) => {
        progress?.(totalPages - remainingPages, totalPages);
        return 1000; // pages per step: the connection serves others between steps
      },
    });
    progress?.(totalPages, totalPages);
  };
  return { kysely, dialect: "sqlite", close: () => kysely.destroy(), backupTo, opened: { sqlitePath: file } };
}

/**
 * Kysely prepares every SQLite statement anew; preparing was ~20% of an uncached page render.
 * better-sqlite3 runs statements synchronously, so reusing one prepared statement is safe
 * (we never stream results, the one case where two uses could overlap).
 */
function cachedStatements(sqlite: SQLite.Database, max = 500) {
  const cache = new Map<string, SQLite.Statement>();
  return {
    close: () => sqlite.close(),
    prepare(text: string): SQLite.Statement {
      let st = cache.get(text);
      if (!st) {
        st = sqlite.prepare(text);
        if (cache.size >= max) cache.delete(cache.keys().next().value as string);
        cache.set(text, st);
      }
      return st;
    },
  };
}
