/**
 * Test support: a fresh, migrated context per test on whichever database the environment
 * selects (SQLite by default; PostgreSQL when DATABASE_URL is set).
 *
 * Migrating for every test was most of the suite's time, so each run migrates once into a
 * template and every test gets a copy: on PostgreSQL a database made with
 * `CREATE DATABASE … TEMPLATE` (about 30 ms), on SQLite a copy of a migrated file.
 */
import { createHash, randomBytes } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import pg from "pg";
import { type Config, loadConfig } from "./config.ts";
import { type AppContext, closeContext, createContext } from "./context.ts";
import { type Db, openDb } from "./db/index.ts";
import { migrate } from "./db/migrate.ts";

export interface TestContext extends AppContext {
  /** Drop the database (PostgreSQL database or temp folder) and close connections. */
  cleanup(): Promise<void>;
  /** Move the injected clock. */
  setNow(d: Date): void;
  /** The SQLite file (undefined on PostgreSQL, where `config.databaseUrl` names the database). */
  sqlitePath?: string;
}

/** Password hashing cost in tests: argon2id at its smallest. One test checks the real cost. */
export const TEST_PASSWORD_HASH = { memoryKib: 1024, passes: 1 } as const;

/** Create an isolated, migrated context for one test. */
export async function createTestContext(overrides: Partial<Config> = {}): Promise<TestContext> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "liner-test-"));
  const base = loadConfig({ ...process.env, LINER_DATA: dataDir, LINER_LOG: "silent" });
  const db = await freshDatabase(base.databaseUrl, dataDir);
  // Tests talk to feed, mail and federation peers on loopback, so the SSRF guard is lifted here;
  // the guard's own tests pass `allowPrivateFetch: false`.
  const config: Config = {
    ...base,
    databaseUrl: db.url,
    baseUrl: "http://127.0.0.1:4321",
    secret: "test-secret-0123456789",
    allowPrivateFetch: true,
    passwordHash: TEST_PASSWORD_HASH,
    ...overrides,
  };
  let current: Date | null = null;
  const now = () => current ?? new Date();
  const ctx = await createContext(config, { now, sqlitePath: db.sqlitePath, migrated: true });
  return {
    ...ctx,
    sqlitePath: db.sqlitePath,
    setNow(d: Date) {
      current = d;
    },
    async cleanup() {
      await closeContext(ctx);
      await db.drop();
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/**
 * A second context on a test context's database, as another web process would open it: its own
 * connection, page cache and job queue, on the same clock. Close it (closeContext) before the
 * test's cleanup. For what must hold across processes (rate limits, click de-duplication).
 */
export function anotherProcess(ctx: TestContext): Promise<AppContext> {
  return createContext(ctx.config, { now: ctx.now, sqlitePath: ctx.sqlitePath });
}

/** A database of one's own for a test: its URL (PostgreSQL) or file (SQLite), and how to give it back. */
export interface FreshDatabase {
  url?: string;
  sqlitePath?: string;
  /** Give the database back (PostgreSQL: for the next test of this process, emptied). */
  drop(): Promise<void>;
}

/**
 * A migrated database with nothing in it: on PostgreSQL (`baseUrl` set) one of this process's
 * databases, emptied, or a new copy of the run's template; on SQLite a copy of a migrated file
 * in `dir`. Copying a template costs ~300 ms on PostgreSQL (it writes the whole database to the
 * WAL), emptying one ~5 ms, so each test process keeps the databases its tests gave back.
 */
export async function freshDatabase(
  baseUrl: string | undefined,
  dir: string,
  opts: { migrated?: boolean } = {},
): Promise<FreshDatabase> {
  if (opts.migrated === false) return blankDatabase(baseUrl, dir);
  if (!baseUrl) {
    const sqlitePath = path.join(dir, "test.db");
    fs.copyFileSync(await sqliteTemplate(), sqlitePath);
    return { sqlitePath, drop: async () => {} };
  }
  const name = await acquirePg(baseUrl);
  return {
    url: fastCommits(withDatabase(baseUrl, name)),
    drop: async () => {
      freePg.push(name);
    },
  };
}

/** Databases this process made and tests gave back. */
const freePg: string[] = [];
const madePg: string[] = [];

async function acquirePg(baseUrl: string): Promise<string> {
  const reused = freePg.pop();
  if (reused) {
    if (await emptyDatabase(withDatabase(baseUrl, reused))) return reused;
    await withClient(baseUrl, (c) => dropDatabase(c, reused));
  }
  const template = await pgTemplate(baseUrl);
  const name = `liner_t_${process.pid}_${randomBytes(4).toString("hex")}`;
  await withClient(baseUrl, (c) => c.query(`CREATE DATABASE ${name} TEMPLATE ${template}`));
  if (madePg.length === 0) process.once("beforeExit", () => void dropMade(baseUrl));
  madePg.push(name);
  return name;
}

/** Drop this process's databases when its tests are done. */
async function dropMade(baseUrl: string): Promise<void> {
  const names = madePg.splice(0);
  await withClient(baseUrl, async (c) => {
    for (const n of names) await dropDatabase(c, n);
  });
}

/**
 * Delete every row (the migrations' bookkeeping excepted) and restart every sequence, once no
 * other connection is left (a test's closed pool may take a moment to hang up). False when one
 * stays: a test kept a connection open, so the database is not handed out again.
 */
async function emptyDatabase(url: string): Promise<boolean> {
  return withClient(url, async (c) => {
    for (let i = 0; ; i++) {
      const r = await c.query(
        "SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()",
      );
      if (r.rows[0].n === 0) break;
      if (i === 100) return false;
      await new Promise((res) => setTimeout(res, 10));
    }
    // Replica mode skips foreign-key triggers, so the order of the deletes does not matter.
    await c.query(`SET session_replication_role = replica;
DO $$ DECLARE r record; BEGIN
  FOR r IN SELECT tablename FROM pg_tables WHERE schemaname = current_schema() AND tablename NOT LIKE 'kysely\\_%' LOOP
    EXECUTE format('DELETE FROM %I', r.tablename);
  END LOOP;
  -- setval, not ALTER SEQUENCE ... RESTART: the same effect without a DDL lock per sequence.
  PERFORM setval(format('%I', sequencename)::regclass, 1, false) FROM pg_sequences WHERE schemaname = current_schema();
END $$;`);
    return true;
  });
}

/**
 * Drop a database once its connections are gone. A closed pool's last connections may still
 * be saying goodbye to the server for a moment; killing them (WITH (FORCE)) would surface as an
 * error in the closed pool, so that is kept for connections a test forgot to close.
 */
async function dropDatabase(c: pg.Client, name: string): Promise<void> {
  for (let i = 0; i < 100; i++) {
    try {
      await c.query(`DROP DATABASE IF EXISTS ${name}`);
      return;
    } catch (err) {
      if ((err as { code?: string }).code !== "55006") throw err; // 55006: still in use
      await new Promise((r) => setTimeout(r, 10));
    }
  }
  await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
}

const migrationsDir = fileURLToPath(new URL("./db/", import.meta.url));

/** A hash of every migration's source: a template is reused only while the migrations are the same. */
function migrationsHash(): string {
  const h = createHash("sha256");
  const files = fs.readdirSync(migrationsDir, { recursive: true, encoding: "utf8" }).filter((f) => f.endsWith(".ts"));
  for (const f of files.sort()) h.update(f).update(fs.readFileSync(path.join(migrationsDir, f)));
  return h.digest("hex").slice(0, 16);
}

let sqliteFile: Promise<string> | undefined;

/** A migrated SQLite file, made once per test process. */
function sqliteTemplate(): Promise<string> {
  sqliteFile ??= (async () => {
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "liner-tpl-")), "template.db");
    const db = openDb({ sqlitePath: file });
    await migrate(db);
    await db.close(); // closing checkpoints the WAL into the file
    process.once("exit", () => fs.rmSync(path.dirname(file), { recursive: true, force: true }));
    return file;
  })();
  return sqliteFile;
}

let pgTemplateName: Promise<string> | undefined;

/**
 * The name of a migrated template database for the current migrations, made by the first test
 * process that needs it. An advisory lock keeps two processes from making it at once, and it is
 * migrated under a temporary name and renamed when done, so nobody copies a half-made template.
 */
function pgTemplate(baseUrl: string): Promise<string> {
  pgTemplateName ??= withClient(baseUrl, async (c) => {
    const name = `liner_tpl_${migrationsHash()}`;
    const exists = async () => (await c.query("SELECT 1 FROM pg_database WHERE datname = $1", [name])).rowCount === 1;
    await dropOrphans(c);
    if (await exists()) return name;
    await c.query("SELECT pg_advisory_lock(hashtext('liner test template'))");
    try {
      if (await exists()) return name;
      const building = `${name}_new`;
      await c.query(`DROP DATABASE IF EXISTS ${building} WITH (FORCE)`);
      await c.query(`CREATE DATABASE ${building}`);
      const db = openDb({ databaseUrl: withDatabase(baseUrl, building), poolSize: 1 });
      try {
        await migrate(db);
      } finally {
        await db.close();
      }
      await c.query(`ALTER DATABASE ${building} RENAME TO ${name}`);
      return name;
    } finally {
      await c.query("SELECT pg_advisory_unlock(hashtext('liner test template'))");
    }
  });
  return pgTemplateName;
}

/** Drop test databases left by test processes that are gone (killed before they could). */
async function dropOrphans(c: pg.Client): Promise<void> {
  const rows = (await c.query("SELECT datname FROM pg_database WHERE datname LIKE 'liner\\_t\\_%'")).rows;
  for (const { datname } of rows as { datname: string }[]) {
    const pid = Number(/^liner_t_(\d+)_/.exec(datname)?.[1]);
    if (!pid || processAlive(pid)) continue;
    await dropDatabase(c, datname).catch(() => {}); // another process may be dropping it too
  }
}

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as { code?: string }).code === "EPERM";
  }
}

/**
 * A test database need not survive a crash: commits that do not wait for the WAL to reach the
 * disk (`synchronous_commit=off`) make the PostgreSQL suite faster, and change nothing else.
 */
function fastCommits(url: string): string {
  const u = new URL(url);
  u.searchParams.set("options", "-c synchronous_commit=off");
  return u.toString();
}

/** `url` with its database name replaced. */
export function withDatabase(url: string, database: string): string {
  const u = new URL(url);
  u.pathname = `/${database}`;
  return u.toString();
}

async function withClient<T>(url: string, fn: (c: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

/**
 * An empty database that no migration has touched, for tests of a migration (they migrate it
 * themselves, e.g. `migrate(db, { to: "006_digests" })`): a new file in `dir` on SQLite, a new
 * PostgreSQL database when `baseUrl` is set (named like the others, so a killed run's is dropped).
 */
export async function blankDatabase(baseUrl: string | undefined, dir: string): Promise<FreshDatabase> {
  if (!baseUrl) return { sqlitePath: path.join(dir, "blank.db"), drop: async () => {} };
  const name = `liner_t_${process.pid}_${randomBytes(4).toString("hex")}`;
  await withClient(baseUrl, (c) => c.query(`CREATE DATABASE ${name}`));
  return { url: withDatabase(baseUrl, name), drop: () => withClient(baseUrl, (c) => dropDatabase(c, name)) };
}

/** A blank database opened for a migration test, and how to close and drop it. */
export interface BlankDb {
  db: Db;
  close(): Promise<void>;
}

/**
 * `blankDatabase` on the configured kind (PostgreSQL when DATABASE_URL is set), opened: the
 * before/after of every migration test.
 */
export async function openBlankDatabase(): Promise<BlankDb> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "liner-migrate-"));
  const blank = await blankDatabase(loadConfig(process.env).databaseUrl, dir);
  const db = openDb({ databaseUrl: blank.url, sqlitePath: blank.sqlitePath, poolSize: 2 });
  return {
    db,
    async close() {
      await db.close();
      await blank.drop();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}
