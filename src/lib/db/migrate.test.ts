/**
 * Migrating one SQLite file from four threads at once (two processes starting together after an
 * upgrade): both finish, every migration runs once, and a failed run leaves nothing behind.
 */
import assert from "node:assert/strict";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { test } from "node:test";
import { Worker } from "node:worker_threads";
import { sql } from "kysely";
import { openDb } from "./index.ts";
import { migrate } from "./migrate.ts";

const dialect = process.env.DATABASE_URL ? "postgres" : "sqlite";

/** Run `migrate` on `file` in a worker thread (its own connection); resolves with its error, if any. */
function migrateInThread(file: string): Promise<string | null> {
  const code = `
    const { workerData, parentPort } = require("node:worker_threads");
    import(workerData.db).then(async ({ openDb }) => {
      const { migrate } = await import(workerData.migrate);
      const db = openDb({ sqlitePath: workerData.file });
      try { await migrate(db); parentPort.postMessage(null); }
      catch (err) { parentPort.postMessage(String(err)); }
      finally { await db.close(); }
    });`;
  const worker = new Worker(code, {
    eval: true,
    workerData: {
      file,
      db: new URL("./index.ts", import.meta.url).href,
      migrate: new URL("./migrate.ts", import.meta.url).href,
    },
  });
  return new Promise((resolve, reject) => {
    worker.once("message", resolve);
    worker.once("error", reject);
  });
}

test("four connections migrating one SQLite file at once: all succeed, each migration runs once", {
  skip: dialect !== "sqlite" && "SQLite only (PostgreSQL migrations run under Kysely's lock)",
}, async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "liner-migrate-"));
  try {
    const file = path.join(dir, "liner.db");
    const results = await Promise.all(Array.from({ length: 4 }, () => migrateInThread(file)));
    assert.deepEqual(results, [null, null, null, null]);
    const db = openDb({ sqlitePath: file });
    try {
      const ran = await sql<{ name: string; n: number }>`
        SELECT name, count(*) AS n FROM kysely_migration GROUP BY name ORDER BY name`.execute(db.kysely);
      assert.ok(ran.rows.length >= 9);
      assert.ok(
        ran.rows.every((r) => Number(r.n) === 1),
        JSON.stringify(ran.rows),
      );
    } finally {
      await db.close();
    }
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test("a SQLite migration that fails part-way leaves no table and no record behind", {
  skip: dialect !== "sqlite" && "SQLite only",
}, async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "liner-migrate-"));
  const db = openDb({ sqlitePath: path.join(dir, "liner.db") });
  try {
    await migrate(db, { to: "006_digests" });
    // 007 creates content_state first; a table of the same name as a later one it creates makes it fail after that.
    await sql`CREATE TABLE reader_state (x integer)`.execute(db.kysely);
    await assert.rejects(migrate(db), /migration 007_module_tables failed/);
    const tables = await sql<{ name: string }>`SELECT name FROM sqlite_master WHERE name = 'content_state'`.execute(
      db.kysely,
    );
    assert.deepEqual(tables.rows, [], "the tables 007 created before it failed are gone");
    const ran = await sql<{ name: string }>`SELECT name FROM kysely_migration WHERE name = '007_module_tables'`.execute(
      db.kysely,
    );
    assert.deepEqual(ran.rows, []);
    await sql`DROP TABLE reader_state`.execute(db.kysely);
    await migrate(db);
  } finally {
    await db.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
