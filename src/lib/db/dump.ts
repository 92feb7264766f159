/**
 * Every table of the migrated schema as portable data, for backups (src/backup/): the tables
 * listed from the live schema on either dialect, ordered so that a table comes after the tables
 * its foreign keys point to, and dumped as JSON lines (one object per row, keyed by column name)
 * from one consistent snapshot. The same files load into SQLite or PostgreSQL (dump-load.ts),
 * because every column is text or integer on both (timestamps are ISO strings, booleans 0/1).
 *
 * Left out: Kysely's bookkeeping (the schema version travels as a migration name instead),
 * SQLite's FTS5 tables and their shadow tables (the triggers on posts, items and saves fill them
 * again as rows load) and PostgreSQL's generated tsvector columns (computed again).
 *
 * This is the one place besides migrations that reads every module's tables: a generic copy,
 * never a query of a module's data.
 */
import fs from "node:fs";
import path from "node:path";
import { type Kysely, sql } from "kysely";
import { type Db, openDb } from "./index.ts";

/** A table as the dump sees it. */
export interface TableInfo {
  name: string;
  /** Columns to copy (generated ones left out), in the table's order. */
  columns: string[];
  /** Primary key columns: the order rows are read in. */
  key: string[];
  /** Tables its foreign keys point to (itself excepted). */
  parents: string[];
  /** Columns pointing at the table's own key (folders.parent_id): parents are loaded first. */
  selfRefs: { column: string; references: string }[];
  /** PostgreSQL: the column whose sequence must follow the loaded ids. */
  serial?: string;
}

/** A row: column name to a text, integer or null value. */
export type Row = Record<string, string | number | null>;

// Tables are only known at run time here.
type AnyDb = Kysely<any>;

/** The tables of `db`'s schema, each after the tables it refers to (ties by name). */
export async function describeTables(db: Db): Promise<TableInfo[]> {
  const k = db.kysely as AnyDb;
  const tables = db.dialect === "sqlite" ? await sqliteTables(k) : await pgTables(k);
  return dependencyOrder(tables);
}

async function sqliteTables(k: AnyDb): Promise<TableInfo[]> {
  // table_list's type is "virtual" for FTS5 tables and "shadow" for their storage.
  const names = await sql<{ name: string }>`SELECT name FROM pragma_table_list
    WHERE schema = 'main' AND type = 'table' AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\'
      AND name NOT LIKE 'kysely\\_%' ESCAPE '\\'`.execute(k);
  const out: TableInfo[] = [];
  for (const { name } of names.rows) {
    const cols = await sql<{ name: string; pk: number; hidden: number }>`SELECT name, pk, hidden
      FROM pragma_table_xinfo(${name}) ORDER BY cid`.execute(k);
    const fks = await sql<{ table: string; from: string; to: string | null }>`SELECT "table", "from", "to"
      FROM pragma_foreign_key_list(${name})`.execute(k);
    const key = cols.rows
      .filter((c) => c.pk > 0)
      .sort((a, b) => a.pk - b.pk)
      .map((c) => c.name);
    out.push(
      info(
        name,
        cols.rows.filter((c) => c.hidden === 0).map((c) => c.name),
        key,
        fks.rows,
      ),
    );
  }
  return out;
}

async function pgTables(k: AnyDb): Promise<TableInfo[]> {
  const cols = await sql<{ table: string; column: string; serial: string | null }>`
    SELECT table_name AS "table", column_name AS "column",
      pg_get_serial_sequence(quote_ident(table_name), column_name) AS serial
    FROM information_schema.columns
    WHERE table_schema = current_schema() AND is_generated = 'NEVER' AND table_name NOT LIKE 'kysely\\_%'
      AND table_name IN (SELECT tablename FROM pg_tables WHERE schemaname = current_schema())
    ORDER BY table_name, ordinal_position`.execute(k);
  const cons = await sql<{ table: string; type: string; from: string; to_table: string; to: string }>`
    SELECT rel.relname AS "table", con.contype AS type, a.attname AS "from",
      coalesce(frel.relname, '') AS to_table, coalesce(fa.attname, '') AS "to"
    FROM pg_constraint con
    JOIN pg_class rel ON rel.oid = con.conrelid
    JOIN pg_namespace ns ON ns.oid = rel.relnamespace AND ns.nspname = current_schema()
    CROSS JOIN LATERAL unnest(con.conkey) WITH ORDINALITY AS ck(attnum, n)
    JOIN pg_attribute a ON a.attrelid = con.conrelid AND a.attnum = ck.attnum
    LEFT JOIN pg_class frel ON frel.oid = con.confrelid
    LEFT JOIN pg_attribute fa ON fa.attrelid = con.confrelid AND fa.attnum = con.confkey[ck.n]
    WHERE con.contype IN ('p', 'f')
    ORDER BY rel.relname, con.conname, ck.n`.execute(k);
  const byTable = new Map<string, { columns: string[]; serial?: string }>();
  for (const c of cols.rows) {
    const t = byTable.get(c.table) ?? { columns: [] };
    t.columns.push(c.column);
    if (c.serial) t.serial = c.column;
    byTable.set(c.table, t);
  }
  return [...byTable].map(([name, t]) => {
    const mine = cons.rows.filter((c) => c.table === name);
    const key = mine.filter((c) => c.type === "p").map((c) => c.from);
    const fks = mine.filter((c) => c.type === "f").map((c) => ({ table: c.to_table, from: c.from, to: c.to }));
    return { ...info(name, t.columns, key, fks), serial: t.serial };
  });
}

function info(
  name: string,
  columns: string[],
  key: string[],
  fks: { table: string; from: string; to: string | null }[],
) {
  const parents = [...new Set(fks.filter((f) => f.table !== name).map((f) => f.table))];
  // SQLite leaves `to` null for a reference to the primary key.
  const selfRefs = fks
    .filter((f) => f.table === name)
    .map((f) => ({ column: f.from, references: f.to ?? key[0] ?? "id" }));
  return { name, columns, key: key.length ? key : columns, parents, selfRefs } satisfies TableInfo;
}

/** Kahn's algorithm; a cycle between tables (none today) would fall back to name order. */
function dependencyOrder(tables: TableInfo[]): TableInfo[] {
  const left = new Map(tables.map((t) => [t.name, t]));
  const out: TableInfo[] = [];
  while (left.size > 0) {
    const ready = [...left.values()].filter((t) => t.parents.every((p) => !left.has(p)));
    const next = (ready.length ? ready : [...left.values()]).sort((a, b) => a.name.localeCompare(b.name))[0];
    out.push(next);
    left.delete(next.name);
  }
  return out;
}

/** The last migration applied to `db` (the schema version of what it holds), or undefined. */
export async function schemaVersion(db: Db): Promise<string | undefined> {
  const r = await sql<{ name: string | null }>`SELECT max(name) AS name FROM kysely_migration`
    .execute(db.kysely)
    .catch(() => undefined);
  return r?.rows[0]?.name ?? undefined;
}

/** The number of rows of each named table. */
export async function countRows(db: Db, names: string[]): Promise<Record<string, number>> {
  const out: Record<string, number> = {};
  for (const name of names) {
    const r = await sql<{ n: number }>`SELECT count(*) AS n FROM ${sql.table(name)}`.execute(db.kysely);
    out[name] = Number(r.rows[0]?.n ?? 0);
  }
  return out;
}

/**
 * Run `fn` on a consistent, read-only view of `db` while others keep writing: on PostgreSQL one
 * REPEATABLE READ READ ONLY transaction; on SQLite a copy made with the online backup API in
 * `scratchDir` (reading the live file for long would hold its one connection).
 */
export async function withSnapshot<T>(
  db: Db,
  scratchDir: string,
  fn: (snapshot: Db) => Promise<T>,
  progress?: (done: number, total: number) => void,
): Promise<T> {
  if (db.dialect === "postgres") {
    return db.kysely
      .transaction()
      .setIsolationLevel("repeatable read")
      .setAccessMode("read only")
      .execute((trx) => fn({ ...db, kysely: trx, inTransaction: true }));
  }
  if (!db.backupTo) throw new Error("this SQLite database has no online backup (opened without better-sqlite3?)");
  const file = path.join(scratchDir, "snapshot.db");
  await db.backupTo(file, progress);
  const snapshot = openDb({ sqlitePath: file });
  try {
    return await fn(snapshot);
  } finally {
    await snapshot.close();
    for (const f of [file, `${file}-wal`, `${file}-shm`]) fs.rmSync(f, { force: true });
  }
}

/**
 * A table's rows in key order, a page at a time: after the last key seen for a one-column key
 * (every page costs the same however far in), by offset for a composite one.
 */
export async function* tableRows(db: Db, t: TableInfo, pageSize = 1000): AsyncGenerator<Row[]> {
  const k = db.kysely as AnyDb;
  const single = t.key.length === 1 ? t.key[0] : undefined;
  let last: string | number | null = null;
  for (let offset = 0; ; offset += pageSize) {
    let q = k.selectFrom(t.name).select(t.columns);
    if (single && last !== null) q = q.where(single, ">", last);
    for (const c of t.key) q = q.orderBy(c);
    const rows = (await q
      .limit(pageSize)
      .offset(single ? 0 : offset)
      .execute()) as Row[];
    if (rows.length) yield rows;
    if (rows.length < pageSize) return;
    if (single) last = rows[rows.length - 1][single];
  }
}

/** What `dumpTables` wrote for one table. */
export interface DumpedTable {
  name: string;
  /** File name inside the folder: NNN_table.jsonl, NNN its place in the load order. */
  file: string;
  rows: number;
}

/**
 * Write every table of `db` (a snapshot: see `withSnapshot`) to `dir` as JSON lines, in
 * dependency order; `progress` counts rows.
 */
export async function dumpTables(
  db: Db,
  dir: string,
  progress?: (done: number, total: number) => void,
): Promise<DumpedTable[]> {
  const tables = await describeTables(db);
  const counts = await countRows(
    db,
    tables.map((t) => t.name),
  );
  const total = Object.values(counts).reduce((a, b) => a + b, 0);
  fs.mkdirSync(dir, { recursive: true });
  const out: DumpedTable[] = [];
  let done = 0;
  for (const [i, t] of tables.entries()) {
    const file = `${String(i + 1).padStart(3, "0")}_${t.name}.jsonl`;
    const fd = fs.openSync(path.join(dir, file), "w");
    let rows = 0;
    try {
      for await (const page of tableRows(db, t)) {
        fs.writeSync(fd, page.map((r) => `${JSON.stringify(r)}\n`).join(""));
        rows += page.length;
        done += page.length;
        progress?.(done, total);
      }
    } finally {
      fs.closeSync(fd);
    }
    out.push({ name: t.name, file, rows });
  }
  return out;
}
