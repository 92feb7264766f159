/**
 * Test support: storage failures on demand, since CI runs as root (chmod does not stop root) and
 * cannot mount a small disk. The failures are the databases' own, through their real drivers:
 *
 * - a full disk: on SQLite a `max_page_count` just above the file's size, so a write that needs
 *   new pages meets a genuine SQLITE_FULL (with SQLite's automatic rollback); on PostgreSQL a
 *   trigger on `table` raising SQLSTATE 53100 (disk_full), as the server does when it cannot
 *   extend a file.
 * - a read-only database: on SQLite `PRAGMA query_only` (a genuine SQLITE_READONLY on a write); on
 *   PostgreSQL a trigger raising 25006 (read_only_sql_transaction).
 *
 * On SQLite the limit applies to the given connection and to every connection that runs a
 * statement until the returned `undo` runs, such as the one `liner` opens when a test runs a
 * command in-process; `faults-read-only.ts` does the same in a child process (`--import`).
 */
import SQLite from "better-sqlite3";
import { sql } from "kysely";
import type { Db } from "./index.ts";

/** Which failure to cause. */
export type Fault = "full" | "read-only";

const errors: Record<Fault, [string, string]> = {
  full: ["53100", "could not extend file: No space left on device"],
  "read-only": ["25006", "cannot execute a write in a read-only transaction"],
};

/** Make writes to `db` (on PostgreSQL: to `table`) fail as on a full disk or a read-only database. */
export async function injectFault(db: Db, fault: Fault, table = "posts"): Promise<() => Promise<void>> {
  if (db.dialect === "postgres") {
    const [state, text] = errors[fault];
    await sql
      .raw(`CREATE OR REPLACE FUNCTION liner_fault() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN RAISE EXCEPTION '${text}' USING ERRCODE = '${state}'; END $$`)
      .execute(db.kysely);
    await sql
      .raw(
        `CREATE TRIGGER liner_fault BEFORE INSERT OR UPDATE OR DELETE ON ${table} FOR EACH ROW EXECUTE FUNCTION liner_fault()`,
      )
      .execute(db.kysely);
    return async () => {
      await sql.raw(`DROP TRIGGER IF EXISTS liner_fault ON ${table}`).execute(db.kysely);
      await sql.raw("DROP FUNCTION IF EXISTS liner_fault()").execute(db.kysely);
    };
  }
  // This connection: through Kysely, so the pragma runs on the very connection the app uses.
  if (fault === "read-only") await sql`PRAGMA query_only = ON`.execute(db.kysely);
  else {
    const pages = (await sql<{ page_count: number }>`PRAGMA page_count`.execute(db.kysely)).rows[0].page_count;
    await sql.raw(`PRAGMA max_page_count = ${pages + 1}`).execute(db.kysely);
  }
  const restore = limitSqliteConnections(fault);
  return async () => {
    restore();
    if (fault === "read-only") await sql`PRAGMA query_only = OFF`.execute(db.kysely);
    else await sql.raw("PRAGMA max_page_count = 4294967294").execute(db.kysely);
  };
}

/** Every SQLite connection of this process gets the fault before its next statement; returns the undo. */
export function limitSqliteConnections(fault: Fault): () => void {
  const proto = SQLite.prototype as unknown as { prepare: (this: SQLite.Database, text: string) => unknown };
  const original = proto.prepare;
  const limited = new WeakSet<object>();
  proto.prepare = function (this: SQLite.Database, text: string) {
    if (!limited.has(this)) {
      limited.add(this);
      if (fault === "read-only") this.pragma("query_only = ON");
      else this.pragma(`max_page_count = ${(this.pragma("page_count", { simple: true }) as number) + 1}`);
    }
    return original.call(this, text);
  };
  return () => {
    proto.prepare = original;
  };
}
