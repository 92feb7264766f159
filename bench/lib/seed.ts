/**
 * Fill a database with generated posts straight through Kysely: big multi-row inserts inside
 * large transactions. The FTS5 triggers (SQLite) and the generated tsvector column (PostgreSQL)
 * index the rows as they land, exactly as they would for posts saved through the app.
 */
import fs from "node:fs";
import path from "node:path";
import { sql } from "kysely";
import pg from "pg";
import { type Db, openDb } from "../../src/lib/db/index.ts";
import { migrate } from "../../src/lib/db/migrate.ts";
import { type GeneratedPost, makeTemplate, makeVocabulary, postGenerator, themeNames } from "./corpus.ts";

export interface SeedOptions {
  /** SQLite file (ignored when databaseUrl is set). */
  sqlitePath?: string;
  databaseUrl?: string;
  posts: number;
  /** Word slots per generated post. */
  words?: number;
  /** Extra posts inserted first, e.g. the page under test. */
  extra?: GeneratedPost[];
  /** Progress callback (posts done). */
  onProgress?: (done: number) => void;
}

/** Create the schema and insert `posts` generated posts (plus `extra`). Returns elapsed ms. */
export async function seedDatabase(opts: SeedOptions): Promise<number> {
  const started = performance.now();
  if (opts.sqlitePath) fs.mkdirSync(path.dirname(opts.sqlitePath), { recursive: true });
  const db = openDb({ databaseUrl: opts.databaseUrl, sqlitePath: opts.sqlitePath, poolSize: 3 });
  try {
    await migrate(db);
    const themeIds = await insertThemes(db);
    const gen = postGenerator(makeTemplate(opts.words ?? 600), makeVocabulary());
    const extra = opts.extra ?? [];
    const total = extra.length + opts.posts;
    const at = (i: number) => (i < extra.length ? extra[i] : gen(i - extra.length));
    const pg = db.dialect === "postgres";
    // Bulk-load settings that do not outlive this connection: a big page cache helps FTS5 merge
    // its segments in memory; nothing here needs to survive a power cut.
    if (!pg) {
      await sql`PRAGMA cache_size = -262144`.execute(db.kysely);
      await sql`PRAGMA synchronous = OFF`.execute(db.kysely);
    }
    // PostgreSQL: computing the tsvector is the cost (~1.4 ms a post), so two connections share it,
    // and the GIN index is built once at the end (same definition) instead of row by row.
    const indexDef = pg ? await dropSearchIndex(db) : undefined;
    const lanes = pg ? 2 : 1;
    const txRows = pg ? 2_000 : 10_000;
    const batch = 500;
    let done = 0;
    const chunks: [number, number][] = [];
    for (let start = 0; start < total; start += txRows) chunks.push([start, Math.min(total, start + txRows)]);
    const lane = async (l: number) => {
      for (let c = l; c < chunks.length; c += lanes) {
        const [start, stop] = chunks[c];
        await db.kysely.transaction().execute(async (t) => {
          for (let b = start; b < stop; b += batch) {
            const posts: GeneratedPost[] = [];
            for (let i = b; i < Math.min(stop, b + batch); i++) posts.push(at(i));
            const ids = await t.insertInto("posts").values(posts.map(postRow)).returning("id").execute();
            const links = posts.flatMap((p, k) =>
              p.themes.map((th) => ({ post_id: ids[k].id, theme_id: themeIds[th] })),
            );
            await t.insertInto("post_themes").values(links).execute();
          }
        });
        done += stop - start;
        opts.onProgress?.(done);
      }
    };
    await Promise.all(Array.from({ length: lanes }, (_, l) => lane(l)));
    if (indexDef) {
      await db.kysely.transaction().execute(async (t) => {
        await sql`SET LOCAL maintenance_work_mem = '256MB'`.execute(t);
        await sql.raw(indexDef).execute(t);
      });
    }
    if (pg) {
      // A live site's autovacuum would have analyzed these tables; give the planner the same statistics.
      await sql`ANALYZE`.execute(db.kysely);
    }
  } finally {
    await db.close();
  }
  return performance.now() - started;
}

/** Drop the full-text GIN index, returning its exact definition to recreate it after loading. */
async function dropSearchIndex(db: Db): Promise<string | undefined> {
  const r = await sql<{ def: string }>`SELECT indexdef AS def FROM pg_indexes
    WHERE schemaname = current_schema() AND indexname = 'posts_search_tsv'`.execute(db.kysely);
  const def = r.rows[0]?.def;
  if (def) await sql`DROP INDEX posts_search_tsv`.execute(db.kysely);
  return def;
}

async function insertThemes(db: Db): Promise<number[]> {
  const ts = new Date(Date.UTC(2017, 0, 1)).toISOString();
  const rows = await db.kysely
    .insertInto("themes")
    .values(
      themeNames.map((name, i) => ({
        name,
        slug: name.toLowerCase().replace(/\s+/g, "-"),
        description: `Posts about ${name.toLowerCase()}.`,
        position: i,
        created_at: ts,
      })),
    )
    .returning("id")
    .execute();
  return rows.map((r) => r.id);
}

function postRow(p: GeneratedPost) {
  return {
    kind: "article" as const,
    status: "published" as const,
    slug: p.slug,
    title: p.title,
    summary: p.summary,
    body_md: p.bodyMd,
    body_html: p.bodyHtml,
    body_text: p.bodyText,
    render_extra: "{}",
    cover_media_id: null,
    pdf_media_id: null,
    author_id: null,
    published_at: p.publishedAt,
    created_at: p.publishedAt,
    updated_at: p.publishedAt,
    word_count: p.wordCount,
  };
}

/** Admin URL for PostgreSQL: DATABASE_URL if set, else the local test server. */
export function pgAdminUrl(): string {
  return process.env.DATABASE_URL || "postgres://postgres@127.0.0.1:5432/test";
}

/** The same server URL with another database name. */
export function pgUrlFor(database: string): string {
  const u = new URL(pgAdminUrl());
  u.pathname = `/${database}`;
  u.search = "";
  return u.toString();
}

async function adminQuery(sqlText: string): Promise<void> {
  const client = new pg.Client({ connectionString: pgAdminUrl() });
  await client.connect();
  try {
    await client.query(sqlText);
  } finally {
    await client.end();
  }
}

/** Create a throwaway database (dropping a leftover of the same name first). Returns its URL. */
export async function createPgDatabase(name: string): Promise<string> {
  if (!/^[a-z_][a-z0-9_]*$/.test(name)) throw new Error(`bad database name ${name}`);
  await adminQuery(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
  await adminQuery(`CREATE DATABASE ${name}`);
  return pgUrlFor(name);
}

/** Drop a throwaway database, closing any connection still open to it. */
export async function dropPgDatabase(name: string): Promise<void> {
  if (!/^[a-z_][a-z0-9_]*$/.test(name)) throw new Error(`bad database name ${name}`);
  await adminQuery(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
}

/** Is a PostgreSQL server reachable at the admin URL? */
export async function pgAvailable(): Promise<boolean> {
  const client = new pg.Client({ connectionString: pgAdminUrl(), connectionTimeoutMillis: 2000 });
  try {
    await client.connect();
    await client.end();
    return true;
  } catch {
    return false;
  }
}

/** Server version string, e.g. "PostgreSQL 15.20". */
export async function pgVersion(): Promise<string> {
  const client = new pg.Client({ connectionString: pgAdminUrl() });
  await client.connect();
  try {
    const r = await client.query<{ v: string }>("SELECT current_setting('server_version') AS v");
    return `PostgreSQL ${r.rows[0].v.split(" ")[0]}`;
  } finally {
    await client.end();
  }
}
