/**
 * The application context: config, database, logger, jobs and caches, created once per process
 * (or per test) and passed to every module. Nothing reaches for globals.
 */
import { randomBytes } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import type { Config } from "./config.ts";
import { schemaVersion } from "./db/dump.ts";
import { type Db, openDb } from "./db/index.ts";
import { migrate } from "./db/migrate.ts";
import { NotFoundError } from "./errors.ts";
import { PageCache } from "./http/cache.ts";
import { JobQueue } from "./jobs/queue.ts";
import { JobRunner } from "./jobs/runner.ts";
import { createLogger, type Logger } from "./log.ts";
import { type ModuleHost, moduleHost } from "./module.ts";
import { createFetcher } from "./net/fetcher.ts";
import type { Fetcher } from "./net/types.ts";
import { settingsStore } from "./settings/store.ts";

export interface AppContext {
  config: Config;
  db: Db;
  log: Logger;
  jobs: JobQueue;
  runner: JobRunner;
  /** Rendered public pages; cleared whenever content changes. */
  cache: PageCache;
  /** Secret for signing tokens (config, else generated once and kept in settings). */
  secret: string;
  /** Injected clock, so tests can move time. */
  now: () => Date;
  /** The one SSRF-guarded outbound fetcher; every outbound request goes through it. */
  fetcher: Fetcher;
  /**
   * The app's modules (blocks on shared pages, erasure, editor parts), as the shell assembled
   * them; empty until the shell installs them (`createApp`, the CLI).
   */
  host: ModuleHost;
}

export interface ContextOptions {
  now?: () => Date;
  log?: Logger;
  pgSchema?: string;
  /** Override the SQLite path (tests use ":memory:" or a temp file). */
  sqlitePath?: string;
  /** The app's modules; the shell passes them (see `AppContext.host`). */
  host?: ModuleHost;
  /**
   * Refuse (NotFoundError) a database that is not a site yet, rather than create and migrate it:
   * for commands that read a site (`liner backup`), where a mistyped LINER_DATA or DATABASE_URL
   * would otherwise back up an empty new one.
   */
  mustExist?: boolean;
  /** The database is known to be migrated (a test's copy of the migrated template): skip the check. */
  migrated?: boolean;
}

/** Open the database, run migrations and build the context. */
export async function createContext(config: Config, opts: ContextOptions = {}): Promise<AppContext> {
  const log = opts.log ?? createLogger(config.logLevel);
  if (
    opts.mustExist &&
    !config.databaseUrl &&
    !opts.sqlitePath &&
    !fs.existsSync(path.join(config.dataDir, "liner.db"))
  )
    throw new NotFoundError(`no site at ${config.dataDir} (no liner.db there): check LINER_DATA`);
  const db = openDb({
    databaseUrl: config.databaseUrl,
    sqlitePath: opts.sqlitePath ?? path.join(config.dataDir, "liner.db"),
    pgSchema: opts.pgSchema,
  });
  try {
    if (opts.mustExist && config.databaseUrl && !(await schemaVersion(db))) {
      const u = new URL(config.databaseUrl);
      u.password = "";
      throw new NotFoundError(`no site in the database ${u} (no migrations applied): check DATABASE_URL`);
    }
    if (!opts.migrated) await migrate(db);
  } catch (err) {
    await db.close();
    throw err;
  }
  const now = opts.now ?? (() => new Date());
  const jobs = new JobQueue(db, now);
  const runner = new JobRunner(jobs, log);
  const secret = config.secret ?? (await storedSecret(db));
  const cache = new PageCache();
  const fetcher = createFetcher({
    allowPrivate: config.allowPrivateFetch,
    userAgent: `LinerNotes/0.1 (+${config.baseUrl})`,
  });
  return { config, db, log, jobs, runner, cache, secret, now, fetcher, host: opts.host ?? moduleHost([]) };
}

/** Release the database and stop the job runner. */
export async function closeContext(ctx: AppContext): Promise<void> {
  await ctx.runner.stop();
  const hooks = closing.get(ctx.db) ?? [];
  closing.delete(ctx.db);
  for (const hook of hooks) await hook();
  ctx.fetcher.close?.();
  await ctx.db.close();
}

/** What must run before a context's database closes (a module writing what it holds in memory). */
const closing = new WeakMap<Db, (() => Promise<void>)[]>();

/**
 * Run `hook` when the context on this database closes, before the database does: keyed by the
 * database, which every copy of a context (a test's) shares.
 */
export function beforeClose(ctx: Pick<AppContext, "db">, hook: () => Promise<void>): void {
  closing.set(ctx.db, [...(closing.get(ctx.db) ?? []), hook]);
}

async function storedSecret(db: Db): Promise<string> {
  const settings = settingsStore(db);
  const stored = await settings.get<string>("secret");
  if (stored) return stored;
  // Two processes starting together may race; the loser reads the winner's value.
  await settings.putIfAbsent("secret", randomBytes(32).toString("base64url"));
  return (await settings.get<string>("secret")) as string;
}
