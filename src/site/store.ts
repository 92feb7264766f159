/**
 * Read-only SQL for the public site: light listings (no bodies), archive and theme counts,
 * media rows and the content version. Full post rows come from `content/store.ts`.
 */
import { type Selectable, sql } from "kysely";
import type { ThemeRow } from "../content/index.ts";
import type { Db } from "../lib/db/index.ts";
import type { MediaTable, PostKind, PostsTable } from "../lib/db/schema.ts";

export type MediaRow = Selectable<MediaTable>;

/** A post as listings show it: everything but the bodies. */
export interface ListedPost {
  id: number;
  kind: PostKind;
  slug: string;
  title: string;
  summary: string;
  published_at: string | null;
  updated_at: string;
  word_count: number;
  /** Link posts: the bookmarked URL, the credits JSON and the blurb's HTML ("" for other kinds). */
  link_url: string | null;
  credits: string;
  link_html: string;
  /** The cover image's media id (the home listing shows a thumbnail). */
  cover_media_id: number | null;
}

const listed = [
  "id",
  "kind",
  "slug",
  "title",
  "summary",
  "published_at",
  "updated_at",
  "word_count",
  "link_url",
  "credits",
  "cover_media_id",
  // A link post's body is its short blurb, which listings show; other bodies stay out of listings.
  sql<string>`CASE WHEN kind = 'link' THEN body_html ELSE '' END`.as("link_html"),
] as const;

/** Kinds that appear in listings and feeds (pages stand alone). */
export const listedKinds: PostKind[] = ["article", "presentation", "note", "link", "digest"];

export interface PublicListFilter {
  now: string;
  themeId?: number;
  year?: number;
  limit: number;
  offset?: number;
}

/** Columns the post page needs (not the Markdown source, which can be large). */
const pageColumns = [
  "id",
  "kind",
  "status",
  "slug",
  "title",
  "summary",
  "body_html",
  "body_text",
  "render_extra",
  "cover_media_id",
  "cover_alt",
  "pdf_media_id",
  "published_at",
  "updated_at",
  "word_count",
  "link_url",
  "credits",
] as const;

/** A post as its public page needs it. */
export type PagePost = Pick<Selectable<PostsTable>, (typeof pageColumns)[number]>;

const stores = new WeakMap<Db, ReturnType<typeof createSiteStore>>();

/** Queries for the public site (one instance per database, so hot queries are compiled once). */
export function siteStore(db: Db) {
  let s = stores.get(db);
  if (!s) {
    s = createSiteStore(db);
    stores.set(db, s);
  }
  return s;
}

function createSiteStore(db: Db) {
  const k = db.kysely;
  // The post page's one query (the post and its themes as JSON), compiled once per database.
  const themesJson =
    db.dialect === "sqlite"
      ? sql<string>`(SELECT json_group_array(json_object('id', t.id, 'slug', t.slug, 'name', t.name,
          'description', t.description, 'position', t.position, 'created_at', t.created_at))
          FROM (SELECT t.* FROM post_themes pt JOIN themes t ON t.id = pt.theme_id
                WHERE pt.post_id = posts.id ORDER BY t.position, t.name) t)`
      : sql<string>`(SELECT coalesce(json_agg(t ORDER BY t.position, t.name), '[]'::json)
          FROM post_themes pt JOIN themes t ON t.id = pt.theme_id WHERE pt.post_id = posts.id)`;
  const postBySlug = k
    .selectFrom("posts")
    .select([...pageColumns, themesJson.as("themes_json")])
    .where("slug", "=", "")
    .compile();
  const visible = (now: string) =>
    k
      .selectFrom("posts")
      .where("status", "=", "published")
      .where("published_at", "<=", now)
      .where("kind", "in", listedKinds);

  return {
    /** A post by slug with the columns its page shows and its themes (callers check visibility). */
    async postBySlug(slug: string): Promise<{ post: PagePost; themes: ThemeRow[] } | undefined> {
      const row = (
        await k.executeQuery<PagePost & { themes_json: string | ThemeRow[] }>({ ...postBySlug, parameters: [slug] })
      ).rows[0];
      if (!row) return undefined;
      const { themes_json, ...post } = row;
      const themes = typeof themes_json === "string" ? (JSON.parse(themes_json) as ThemeRow[]) : themes_json;
      return { post, themes };
    },

    /** Published posts, newest first, without bodies. */
    async list(f: PublicListFilter): Promise<ListedPost[]> {
      let q = visible(f.now).select([...listed]);
      if (f.year !== undefined) {
        q = q.where("published_at", ">=", `${f.year}-01-01`).where("published_at", "<", `${f.year + 1}-01-01`);
      }
      if (f.themeId !== undefined) {
        const themeId = f.themeId;
        q = q.where("id", "in", (eb) => eb.selectFrom("post_themes").select("post_id").where("theme_id", "=", themeId));
      }
      return q
        .orderBy("published_at", "desc")
        .orderBy("id", "desc")
        .limit(f.limit)
        .offset(f.offset ?? 0)
        .execute();
    },

    /** Light rows for given ids (order not guaranteed). */
    byIds: async (ids: number[]): Promise<ListedPost[]> =>
      ids.length
        ? k
            .selectFrom("posts")
            .select([...listed])
            .where("id", "in", ids)
            .execute()
        : [],

    /** Post counts per year, newest year first. */
    async years(now: string): Promise<{ year: number; count: number }[]> {
      const rows = await visible(now)
        .select([(eb) => eb.fn<string>("substr", ["published_at", eb.val(1), eb.val(4)]).as("y")])
        .select((eb) => eb.fn.countAll<number>().as("n"))
        .groupBy("y")
        .orderBy("y", "desc")
        .execute();
      return rows.map((r) => ({ year: Number(r.y), count: Number(r.n) })).filter((r) => Number.isFinite(r.year));
    },

    /** Visible post counts per theme id. */
    async themeCounts(now: string): Promise<Map<number, number>> {
      const rows = await k
        .selectFrom("post_themes")
        .innerJoin("posts", "posts.id", "post_themes.post_id")
        .select(["post_themes.theme_id", (eb) => eb.fn.countAll<number>().as("n")])
        .where("posts.status", "=", "published")
        .where("posts.published_at", "<=", now)
        .where("posts.kind", "in", listedKinds)
        .groupBy("post_themes.theme_id")
        .execute();
      return new Map(rows.map((r) => [r.theme_id, Number(r.n)]));
    },

    /** Everything public for the sitemap: paths and dates only. */
    sitemapPosts: (now: string) =>
      k
        .selectFrom("posts")
        .select(["slug", "kind", "updated_at"])
        .where("status", "=", "published")
        .where("published_at", "<=", now)
        .orderBy("published_at", "desc")
        .execute(),

    mediaById: (id: number) => k.selectFrom("media").selectAll().where("id", "=", id).executeTakeFirst(),

    /** Media rows by id, in one query (the covers of a listing). */
    mediaByIds: async (ids: number[]): Promise<MediaRow[]> =>
      ids.length ? k.selectFrom("media").selectAll().where("id", "in", ids).execute() : [],

    /** The content version that every content change moves (content's `content_state`, shared by all processes). */
    async contentVersion(): Promise<number> {
      const row = await k.selectFrom("content_state").select("version").where("id", "=", 1).executeTakeFirst();
      return row?.version ?? 0;
    },

    /** The earliest publication time after `now` of a published post (it becomes visible then). */
    async nextRelease(now: string): Promise<string | null> {
      const row = await k
        .selectFrom("posts")
        .select((eb) => eb.fn.min<string>("published_at").as("t"))
        .where("status", "=", "published")
        .where("published_at", ">", now)
        .executeTakeFirst();
      return row?.t ?? null;
    },
  };
}
