/**
 * Loading what dump.ts wrote: every row of a database replaced by the JSON-lines files of a
 * dump, in one transaction (all of it or nothing), on SQLite or PostgreSQL whichever wrote them.
 * Rows go in parents first (dump.ts orders the tables by their foreign keys, and a table that
 * refers to itself gets its parent rows first); ids are kept, so PostgreSQL's sequences are moved
 * past the loaded ids afterwards. SQLite's full-text indexes follow through their triggers.
 */
import fs from "node:fs";
import path from "node:path";
import readline from "node:readline";
import { type Kysely, sql } from "kysely";
import { describeTables, type Row, type TableInfo } from "./dump.ts";
import type { Db } from "./index.ts";
import { inTransaction } from "./transaction.ts";

// Tables are only known at run time here.
type AnyDb = Kysely<any>;

/** A dumped table to load: its name and its file in the dump's folder. */
export interface DumpFile {
  name: string;
  file: string;
}

/**
 * Delete every row of every table of `db` and load the dump in `dir` instead, in one
 * transaction. `progress` counts rows loaded (of `total`, when given). Throws, loading nothing,
 * when the dump has a table the schema lacks or a row it cannot take.
 */
export async function replaceTables(
  db: Db,
  dir: string,
  files: DumpFile[],
  progress?: (done: number) => void,
): Promise<void> {
  await inTransaction(db, async (tx) => {
    const k = tx.kysely as AnyDb;
    const tables = await describeTables(tx);
    const known = new Map(tables.map((t) => [t.name, t]));
    for (const f of files) {
      if (!known.has(f.name)) throw new Error(`the backup has a table this database lacks: ${f.name}`);
    }
    for (const t of [...tables].reverse()) await k.deleteFrom(t.name).execute();
    if (tx.dialect === "sqlite") await sql`DELETE FROM sqlite_sequence`.execute(k);
    let done = 0;
    for (const t of tables) {
      const f = files.find((x) => x.name === t.name);
      if (!f) continue;
      for await (const batch of batches(path.join(dir, f.file), t)) {
        await k.insertInto(t.name).values(batch).execute();
        done += batch.length;
        progress?.(done);
      }
    }
    if (tx.dialect === "postgres") {
      for (const t of tables) {
        if (!t.serial) continue;
        const col = sql.ref(t.serial);
        await sql`SELECT setval(pg_get_serial_sequence(${t.name}, ${t.serial}),
          coalesce((SELECT max(${col}) FROM ${sql.table(t.name)}), 0) + 1, false)`.execute(k);
      }
    }
  });
}

/** The rows of one dump file, in insert-sized batches of the table's columns. */
async function* batches(file: string, t: TableInfo): AsyncGenerator<Row[]> {
  // SQLite takes 32,766 parameters in a statement, PostgreSQL 65,535.
  const size = Math.max(1, Math.min(500, Math.floor(30_000 / t.columns.length)));
  const rows = t.selfRefs.length ? parentsFirst(await allRows(file, t), t) : undefined;
  if (rows) {
    for (let i = 0; i < rows.length; i += size) yield rows.slice(i, i + size);
    return;
  }
  let batch: Row[] = [];
  for await (const row of readRows(file, t)) {
    batch.push(row);
    if (batch.length === size) {
      yield batch;
      batch = [];
    }
  }
  if (batch.length) yield batch;
}

async function allRows(file: string, t: TableInfo): Promise<Row[]> {
  const out: Row[] = [];
  for await (const row of readRows(file, t)) out.push(row);
  return out;
}

/** One row per line, keeping only the table's columns. */
async function* readRows(file: string, t: TableInfo): AsyncGenerator<Row> {
  const lines = readline.createInterface({ input: fs.createReadStream(file), crlfDelay: Infinity });
  let n = 0;
  for await (const line of lines) {
    n++;
    if (line === "") continue;
    let parsed: unknown;
    try {
      parsed = JSON.parse(line);
    } catch (err) {
      throw new Error(`${t.name}, row ${n}: not JSON`, { cause: err });
    }
    if (typeof parsed !== "object" || parsed === null) throw new Error(`${t.name}, row ${n}: not a row`);
    const row: Row = {};
    for (const c of t.columns) {
      const v = (parsed as Record<string, unknown>)[c];
      if (v === undefined) continue;
      if (v !== null && typeof v !== "string" && typeof v !== "number")
        throw new Error(`${t.name}, row ${n}: column ${c} is neither text, a number nor null`);
      row[c] = v;
    }
    yield row;
  }
}

/** Rows of a table that refers to itself, each after the row it refers to. */
function parentsFirst(rows: Row[], t: TableInfo): Row[] {
  const placed = new Set<string>();
  const keyOf = (v: unknown) => JSON.stringify(v);
  const out: Row[] = [];
  let left = rows;
  while (left.length) {
    const waiting: Row[] = [];
    for (const r of left) {
      const ready = t.selfRefs.every((s) => r[s.column] === null || placed.has(keyOf(r[s.column])));
      if (!ready) {
        waiting.push(r);
        continue;
      }
      out.push(r);
      for (const s of t.selfRefs) placed.add(keyOf(r[s.references]));
    }
    // A reference to a missing row (or a cycle) cannot be ordered: let the database judge it.
    if (waiting.length === left.length) return [...out, ...waiting];
    left = waiting;
  }
  return out;
}
