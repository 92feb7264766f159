/**
 * Prefix search ("colum" finds "columnar", issue 12) on SQLite without a slow path: FTS5 answers
 * `"mosu"*` by merging the lists of every indexed term that starts with "mosu". A prefix index of
 * 4 characters (the shortest prefix searched, content/search.ts MIN_PREFIX) stores those merged
 * lists ready-made; longer prefixes match few terms and stay cheap without one. FTS5 cannot add
 * the option to an existing table, so the table is made again and rebuilt from `posts`; its
 * triggers name it, and keep working. PostgreSQL needs nothing: its GIN index takes `:*` queries.
 */
import { type Kysely, sql } from "kysely";
import type { Dialect } from "../index.ts";

export async function up(db: Kysely<unknown>, dialect: Dialect): Promise<void> {
  if (dialect === "postgres") return;
  await sql`DROP TABLE posts_fts`.execute(db);
  await sql`CREATE VIRTUAL TABLE posts_fts USING fts5(title, summary, body_text,
    content='posts', content_rowid='id', tokenize='porter unicode61 remove_diacritics 2', prefix='4')`.execute(db);
  await sql`INSERT INTO posts_fts(posts_fts) VALUES ('rebuild')`.execute(db);
}
