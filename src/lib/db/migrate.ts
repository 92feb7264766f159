/**
 * Ordered migrations, run at start-up. Each migration is a module with `up(db, dialect)`;
 * the list below is the order. Kysely's Migrator records what ran in `kysely_migration`
 * and takes a lock, so several processes starting at once apply each migration exactly once.
 */
import { type Kysely, sql } from "kysely";
import { type Migration, Migrator } from "kysely/migration";
import type { Db, Dialect } from "./index.ts";
import * as m001 from "./migrations/001_initial.ts";
import * as m002 from "./migrations/002_reader.ts";
import * as m003 from "./migrations/003_mail.ts";
import * as m004 from "./migrations/004_audience.ts";
import * as m005 from "./migrations/005_events_inquiries.ts";
import * as m006 from "./migrations/006_digests.ts";
import * as m007 from "./migrations/007_module_tables.ts";
import * as m008 from "./migrations/008_mail_templates.ts";
import * as m009 from "./migrations/009_rate_counters.ts";
import * as m010 from "./migrations/010_onboarding.ts";
import * as m012 from "./migrations/012_editor.ts";
import * as m013 from "./migrations/013_post_feed_ids.ts";
import * as m014 from "./migrations/014_discover.ts";
import * as m015 from "./migrations/015_post_email_clicks.ts";
import * as m016 from "./migrations/016_search_prefix.ts";
import * as m017 from "./migrations/017_auth_recovery.ts";
import * as m019 from "./migrations/019_backups.ts";
import * as m020 from "./migrations/020_outbox_expiry.ts";
import * as m021 from "./migrations/021_conversation.ts";
import * as m022 from "./migrations/022_fediverse_kv.ts";
import * as m023 from "./migrations/023_fediverse_social.ts";
import * as m024 from "./migrations/024_source_kinds.ts";
import * as m025 from "./migrations/025_jobs_lease_index.ts";
import * as m026 from "./migrations/026_fedi_notes.ts";
import * as m027 from "./migrations/027_syndication.ts";
import * as m028 from "./migrations/028_synd_copy_options.ts";
import * as m029 from "./migrations/029_insights.ts";
import * as m030 from "./migrations/030_insight_daily_key.ts";

type MigrationModule = { up(db: Kysely<unknown>, dialect: Dialect): Promise<void> };

const migrations = {
  "001_initial": m001,
  "002_reader": m002,
  "003_mail": m003,
  "004_audience": m004,
  "005_events_inquiries": m005,
  "006_digests": m006,
  "007_module_tables": m007,
  "008_mail_templates": m008,
  "009_rate_counters": m009,
  "010_onboarding": m010,
  "012_editor": m012,
  "013_post_feed_ids": m013,
  "014_discover": m014,
  "015_post_email_clicks": m015,
  "016_search_prefix": m016,
  "017_auth_recovery": m017,
  "019_backups": m019,
  "020_outbox_expiry": m020,
  "021_conversation": m021,
  "022_fediverse_kv": m022,
  "023_fediverse_social": m023,
  "024_source_kinds": m024,
  "025_jobs_lease_index": m025,
  "026_fedi_notes": m026,
  "027_syndication": m027,
  "028_synd_copy_options": m028,
  "029_insights": m029,
  "030_insight_daily_key": m030,
} satisfies Record<string, MigrationModule>;

/** The names of the migrations, in order. */
export type MigrationName = keyof typeof migrations;

/** Every migration's name, in order (a backup's schema version is one of them). */
export const migrationNames = Object.keys(migrations) as MigrationName[];

export interface MigrateOptions {
  /**
   * Stop after this migration instead of applying all (tests of a migration start from the
   * database the one before it made).
   */
  to?: MigrationName;
}

/**
 * On SQLite Kysely runs migrations outside any transaction and takes no lock. So the whole run is
 * one `BEGIN IMMEDIATE` transaction on the (single) connection: a migration that fails part-way
 * leaves nothing behind, and a second process starting at the same time (`liner serve` and
 * `liner worker` after an upgrade) waits for the first and then finds nothing left to do.
 * PostgreSQL needs none of this: Kysely runs each migration in a transaction, under its lock.
 */
async function inOneSqliteTransaction<T extends { error?: unknown }>(db: Db, run: () => Promise<T>): Promise<T> {
  await sql`BEGIN IMMEDIATE`.execute(db.kysely);
  let result: T;
  try {
    result = await run();
  } catch (err) {
    await sql`ROLLBACK`.execute(db.kysely);
    throw err;
  }
  await sql`${sql.raw(result.error ? "ROLLBACK" : "COMMIT")}`.execute(db.kysely);
  return result;
}

/** Apply pending migrations (all, or up to `opts.to`); throws with the failing migration's name. */
export async function migrate(db: Db, opts: MigrateOptions = {}): Promise<void> {
  const provided: Record<string, Migration> = {};
  for (const [name, mod] of Object.entries(migrations) as [string, MigrationModule][]) {
    provided[name] = { up: (k) => mod.up(k, db.dialect) };
  }
  // Kysely looks for its bookkeeping tables in every schema; pin them to ours so that several
  // databases sharing one PostgreSQL database (tests, staging) never see each other's.
  const schema =
    db.dialect === "postgres"
      ? (await sql<{ s: string }>`SELECT current_schema() AS s`.execute(db.kysely)).rows[0]?.s
      : undefined;
  const migrator = new Migrator({
    db: db.kysely,
    provider: { getMigrations: async () => provided },
    migrationTableSchema: schema,
  });
  const run = () => (opts.to ? migrator.migrateTo(opts.to) : migrator.migrateToLatest());
  const { error, results } = db.dialect === "sqlite" ? await inOneSqliteTransaction(db, run) : await run();
  if (error) {
    const failed = results?.find((r) => r.status === "Error");
    throw new Error(`migration ${failed?.migrationName ?? "?"} failed: ${String(error)}`, { cause: error });
  }
}
