/**
 * Test support: a fresh, migrated context per test on whichever database the environment
 * selects (SQLite in memory by default; a throwaway PostgreSQL schema when DATABASE_URL is set).
 */
import { randomBytes } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import pg from "pg";
import { type Config, loadConfig } from "./config.ts";
import { type AppContext, closeContext, createContext } from "./context.ts";

export interface TestContext extends AppContext {
  /** Drop the database (PostgreSQL schema or temp folder) and close connections. */
  cleanup(): Promise<void>;
  /** Move the injected clock. */
  setNow(d: Date): void;
}

/** Create an isolated, migrated context for one test. */
export async function createTestContext(overrides: Partial<Config> = {}): Promise<TestContext> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "liner-test-"));
  const base = loadConfig({ ...process.env, LINER_DATA: dataDir, LINER_LOG: "silent" });
  // Tests talk to feed, mail and federation peers on loopback, so the SSRF guard is lifted here;
  // the guard's own tests pass `allowPrivateFetch: false`.
  const config: Config = {
    ...base,
    baseUrl: "http://127.0.0.1:4321",
    secret: "test-secret-0123456789",
    allowPrivateFetch: true,
    ...overrides,
  };
  let current: Date | null = null;
  const now = () => current ?? new Date();
  let schema: string | undefined;
  if (config.databaseUrl) {
    schema = `t_${randomBytes(6).toString("hex")}`;
    const client = new pg.Client({ connectionString: config.databaseUrl });
    await client.connect();
    await client.query(`CREATE SCHEMA ${schema}`);
    await client.end();
  }
  const ctx = await createContext(config, { now, pgSchema: schema, sqlitePath: path.join(dataDir, "test.db") });
  return {
    ...ctx,
    setNow(d: Date) {
      current = d;
    },
    async cleanup() {
      await closeContext(ctx);
      if (schema && config.databaseUrl) {
        const client = new pg.Client({ connectionString: config.databaseUrl });
        await client.connect();
        await client.query(`DROP SCHEMA ${schema} CASCADE`);
        await client.end();
      }
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
