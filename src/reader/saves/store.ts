/**
 * SQL for saves, their credits and themes, the deleted-saves trash used by undo (`saves_trash`),
 * and search over saves. The only file in `saves` with SQL.
 */
import { type Selectable, sql } from "kysely";
import { fts5Query, markSnippet, queryTerms } from "../../content/index.ts";
import type { Db } from "../../lib/db/index.ts";
import type { ItemsTable, SavesTable, SourcesTable } from "../../lib/db/schema.ts";
import type { Credit } from "./credits.ts";

export type SaveRow = Selectable<SavesTable>;
export type NewSaveRow = Omit<SaveRow, "id"> & { id?: number };

/** Every column but PostgreSQL's generated search vector. */
const columns = [
  "id",
  "url",
  "canonical_url",
  "title",
  "description",
  "author_name",
  "site_name",
  "blurb_md",
  "blurb_html",
  "page_text",
  "item_id",
  "publish",
  "post_id",
  "user_id",
  "created_at",
  "updated_at",
] as const;

/** A deleted save kept for undo. */
export interface TrashedSave {
  deletedAt: string;
  save: SaveRow;
  credits: Credit[];
  themeIds: number[];
}

/** Reads and writes of saves. */
/** A save of a period (what a digest is drafted from). */
export interface SaveOfPeriod {
  id: number;
  url: string;
  title: string;
  blurb_md: string;
  description: string;
  site_name: string;
  created_at: string;
}

export function saveStore(db: Db) {
  const k = db.kysely;
  return {
    /** Saves made in [start, end), oldest first. */
    savesBetween: (start: string, end: string): Promise<SaveOfPeriod[]> =>
      k
        .selectFrom("saves")
        .select(["id", "url", "title", "blurb_md", "description", "site_name", "created_at"])
        .where("created_at", ">=", start)
        .where("created_at", "<", end)
        .orderBy("created_at")
        .orderBy("id")
        .execute(),
    /** Each save's first theme (id, name, position) by theme position. */
    async firstThemesOf(ids: number[]): Promise<Map<number, { id: number; name: string; position: number }>> {
      const out = new Map<number, { id: number; name: string; position: number }>();
      for (let i = 0; i < ids.length; i += 500) {
        const rows = await k
          .selectFrom("save_themes as st")
          .innerJoin("themes as t", "t.id", "st.theme_id")
          .select(["st.save_id", "t.id", "t.name", "t.position"])
          .where("st.save_id", "in", ids.slice(i, i + 500))
          .orderBy("t.position")
          .orderBy("t.id")
          .execute();
        for (const r of rows)
          if (!out.has(r.save_id)) out.set(r.save_id, { id: r.id, name: r.name, position: r.position });
      }
      return out;
    },
    byId: (id: number) => k.selectFrom("saves").select(columns).where("id", "=", id).executeTakeFirst(),

    /** The newest save of a URL (to say "you saved this before"). */
    byUrl: (url: string) =>
      k.selectFrom("saves").select(columns).where("url", "=", url).orderBy("id", "desc").executeTakeFirst(),

    /** Newest first. */
    list: (limit: number, offset = 0) =>
      k
        .selectFrom("saves")
        .select(columns)
        .orderBy("created_at", "desc")
        .orderBy("id", "desc")
        .limit(limit)
        .offset(offset)
        .execute(),

    async count(): Promise<number> {
      const r = await k
        .selectFrom("saves")
        .select((eb) => eb.fn.countAll<number>().as("n"))
        .executeTakeFirstOrThrow();
      return Number(r.n);
    },

    insert: (values: NewSaveRow) => k.insertInto("saves").values(values).returning(columns).executeTakeFirstOrThrow(),

    update: (id: number, values: Partial<Omit<SaveRow, "id">>) =>
      k.updateTable("saves").set(values).where("id", "=", id).returning(columns).executeTakeFirstOrThrow(),

    delete: (id: number) => k.deleteFrom("saves").where("id", "=", id).execute(),

    /** Credits of a save, nearest first. */
    async credits(saveId: number): Promise<Credit[]> {
      return k
        .selectFrom("save_credits")
        .select(["name", "url"])
        .where("save_id", "=", saveId)
        .orderBy("position")
        .execute();
    },

    /** Credits of several saves (for lists). */
    async creditsOf(ids: number[]): Promise<Map<number, Credit[]>> {
      const out = new Map<number, Credit[]>();
      if (!ids.length) return out;
      const rows = await k
        .selectFrom("save_credits")
        .select(["save_id", "name", "url"])
        .where("save_id", "in", ids)
        .orderBy("save_id")
        .orderBy("position")
        .execute();
      for (const r of rows) out.set(r.save_id, [...(out.get(r.save_id) ?? []), { name: r.name, url: r.url }]);
      return out;
    },

    async setCredits(saveId: number, credits: Credit[]): Promise<void> {
      await k.deleteFrom("save_credits").where("save_id", "=", saveId).execute();
      if (!credits.length) return;
      await k
        .insertInto("save_credits")
        .values(credits.map((c, position) => ({ save_id: saveId, position, name: c.name, url: c.url })))
        .execute();
    },

    async themeIds(saveId: number): Promise<number[]> {
      const rows = await k.selectFrom("save_themes").select("theme_id").where("save_id", "=", saveId).execute();
      return rows.map((r) => r.theme_id).sort((a, b) => a - b);
    },

    /** Theme ids of several saves (for the export), by save id. */
    async themeIdsOf(ids: number[]): Promise<Map<number, number[]>> {
      const out = new Map<number, number[]>();
      for (let i = 0; i < ids.length; i += 500) {
        const rows = await k
          .selectFrom("save_themes")
          .select(["save_id", "theme_id"])
          .where("save_id", "in", ids.slice(i, i + 500))
          .orderBy("theme_id")
          .execute();
        for (const r of rows) out.set(r.save_id, [...(out.get(r.save_id) ?? []), r.theme_id]);
      }
      return out;
    },

    async setThemes(saveId: number, themeIds: number[]): Promise<void> {
      await k.deleteFrom("save_themes").where("save_id", "=", saveId).execute();
      const ids = [...new Set(themeIds)];
      if (ids.length) {
        await k
          .insertInto("save_themes")
          .values(ids.map((theme_id) => ({ save_id: saveId, theme_id })))
          .execute();
      }
    },

    /** An inbox item with the source it came from. */
    async itemWithSource(
      itemId: number,
    ): Promise<{ item: Selectable<ItemsTable>; source: Selectable<SourcesTable> } | undefined> {
      const item = await k.selectFrom("items").selectAll().where("id", "=", itemId).executeTakeFirst();
      if (!item) return undefined;
      const source = await k.selectFrom("sources").selectAll().where("id", "=", item.source_id).executeTakeFirst();
      if (!source) return undefined;
      const { search_tsv: _s, ...plain } = item as typeof item & { search_tsv?: unknown };
      return { item: plain, source };
    },

    itemExists: async (itemId: number) =>
      !!(await k.selectFrom("items").select("id").where("id", "=", itemId).executeTakeFirst()),

    /** A followed source for a site key (see siteKeyOf; for naming a credit given only as a URL). */
    sourceOnHost: (host: string) =>
      k
        .selectFrom("sources")
        .select(["title", "custom_title", "site_url"])
        .where("site_host", "=", host)
        .orderBy("id")
        .executeTakeFirst(),

    /** Keep a deleted save for undo (in `saves_trash`). */
    async putTrash(entry: TrashedSave): Promise<void> {
      const { deletedAt, ...rest } = entry;
      const data = JSON.stringify(rest);
      await k
        .insertInto("saves_trash")
        .values({ save_id: entry.save.id, deleted_at: deletedAt, data })
        .onConflict((oc) => oc.column("save_id").doUpdateSet({ deleted_at: deletedAt, data }))
        .execute();
    },

    async trashed(saveId: number): Promise<TrashedSave | undefined> {
      const row = await k
        .selectFrom("saves_trash")
        .select(["deleted_at", "data"])
        .where("save_id", "=", saveId)
        .executeTakeFirst();
      return row
        ? { deletedAt: row.deleted_at, ...(JSON.parse(row.data) as Omit<TrashedSave, "deletedAt">) }
        : undefined;
    },

    dropTrash: (saveId: number) => k.deleteFrom("saves_trash").where("save_id", "=", saveId).execute(),

    /** Forget deleted saves older than `before` (ISO time). */
    async purgeTrash(before: string): Promise<void> {
      await k.deleteFrom("saves_trash").where("deleted_at", "<", before).execute();
    },
  };
}

export interface SaveSearchHit {
  save: SaveRow;
  /** Safe HTML: escaped text with <mark> around matches. */
  snippet: string;
  rank: number;
}

const OPEN = "\uE000";
const CLOSE = "\uE001";

/**
 * Full-text search over saves (title, blurb, description, page text): FTS5 with bm25 and
 * snippet() on SQLite, a weighted tsvector with ts_rank_cd and ts_headline on PostgreSQL.
 * Every word is required; an empty query finds nothing.
 */
export async function searchSaves(
  db: Db,
  query: { q: string; limit?: number; offset?: number },
): Promise<{ total: number; hits: SaveSearchHit[] }> {
  const terms = queryTerms(query.q);
  if (!terms.length) return { total: 0, hits: [] };
  const limit = query.limit ?? 20;
  const offset = query.offset ?? 0;
  let ranked: { id: number; score: number; total: number }[];
  let snippets: Map<number, string>;
  if (db.dialect === "sqlite") {
    const match = fts5Query(terms);
    // bm25 cannot share a query with a window function, so it is scored in its own CTE.
    ranked = (
      await sql<{ id: number; score: number; total: number }>`
        WITH hits AS MATERIALIZED (
          SELECT rowid AS id, bm25(saves_fts, 10.0, 4.0, 4.0, 1.0) AS score FROM saves_fts WHERE saves_fts MATCH ${match}
        )
        SELECT id, score, count(*) OVER () AS total FROM hits ORDER BY score, id DESC LIMIT ${limit} OFFSET ${offset}`.execute(
        db.kysely,
      )
    ).rows;
    if (!ranked.length) return { total: 0, hits: [] };
    // Snippets only for this page's rows.
    const snips = await sql<{ id: number; snip: string }>`
      SELECT rowid AS id, snippet(saves_fts, -1, ${OPEN}, ${CLOSE}, '…', 24) AS snip FROM saves_fts
      WHERE saves_fts MATCH ${match} AND rowid IN (${sql.join(ranked.map((r) => r.id))})`.execute(db.kysely);
    snippets = new Map(snips.rows.map((r) => [r.id, r.snip]));
  } else {
    const tsq = sql`plainto_tsquery('english', ${terms.join(" ")})`;
    ranked = (
      await sql<{ id: number; score: number; total: number }>`
        SELECT id, ts_rank_cd(search_tsv, ${tsq}) AS score, count(*) OVER () AS total
        FROM saves WHERE search_tsv @@ ${tsq}
        ORDER BY score DESC, created_at DESC, id DESC LIMIT ${limit} OFFSET ${offset}`.execute(db.kysely)
    ).rows;
    if (!ranked.length) return { total: 0, hits: [] };
    const snips = await sql<{ id: number; snip: string }>`
      SELECT id, ts_headline('english',
        concat_ws(' … ', nullif(blurb_md, ''), nullif(description, ''), left(page_text, 50000)), ${tsq},
        ${`StartSel=${OPEN}, StopSel=${CLOSE}, MaxWords=30, MinWords=12, ShortWord=2, MaxFragments=1, FragmentDelimiter=…`}) AS snip
      FROM saves WHERE id IN (${sql.join(ranked.map((r) => r.id))})`.execute(db.kysely);
    snippets = new Map(snips.rows.map((r) => [r.id, r.snip]));
  }
  const rows = await db.kysely
    .selectFrom("saves")
    .select(columns)
    .where(
      "id",
      "in",
      ranked.map((r) => r.id),
    )
    .execute();
  const byId = new Map(rows.map((r) => [r.id, r]));
  const hits: SaveSearchHit[] = [];
  for (const r of ranked) {
    const save = byId.get(r.id);
    if (save) {
      hits.push({
        save,
        snippet: markSnippet(snippets.get(r.id) ?? ""),
        rank: db.dialect === "sqlite" ? -r.score : Number(r.score),
      });
    }
  }
  return { total: Number(ranked[0]?.total ?? 0), hits };
}
