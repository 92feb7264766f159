/**
 * SQL for posts, themes, revisions and redirects, and the content module's own state. Search,
 * media and the batch importer have their own store files (`*-store.ts`).
 */
import type { Selectable } from "kysely";
import type { Db } from "../lib/db/index.ts";
import type { PostKind, PostStatus, PostsTable, RevisionsTable, ThemesTable } from "../lib/db/schema.ts";

export type PostRow = Selectable<PostsTable>;
/** A new post's columns; the link-post columns are optional (they default to none). */
export type NewPostRow = Omit<PostRow, "id" | "link_url" | "credits" | "save_id" | "cover_alt" | "feed_id"> &
  Partial<Pick<PostRow, "link_url" | "credits" | "save_id" | "cover_alt" | "feed_id">>;
export type ThemeRow = Selectable<ThemesTable>;
export type RevisionRow = Selectable<RevisionsTable>;

export interface ListFilter {
  status?: PostStatus;
  kinds?: PostKind[];
  themeId?: number;
  authorId?: number;
  year?: number;
  limit?: number;
  offset?: number;
  /** Only posts published at or before this time (public listings). */
  publishedBefore?: string;
}

/** Read and write posts. */
export function postStore(db: Db) {
  const k = db.kysely;
  return {
    /** The owner's own posts published in [start, end), oldest first (not link posts, pages or digests). */
    ownPublishedBetween: (start: string, end: string) =>
      k
        .selectFrom("posts")
        .select(["id", "slug", "kind", "title", "summary", "published_at"])
        .where("status", "=", "published")
        .where("kind", "in", ["article", "presentation", "note", "event"])
        .where("published_at", ">=", start)
        .where("published_at", "<", end)
        .orderBy("published_at")
        .execute(),
    /** Has the database any post at all (one row read, however large the site)? */
    hasAny: async () => (await k.selectFrom("posts").select("id").limit(1).executeTakeFirst()) !== undefined,
    byId: (id: number) => k.selectFrom("posts").selectAll().where("id", "=", id).executeTakeFirst(),
    bySlug: (slug: string) => k.selectFrom("posts").selectAll().where("slug", "=", slug).executeTakeFirst(),
    /** Only what says where a post is and whether it is public (no bodies): cheap for hot paths. */
    stateBySlug: (slug: string) =>
      k
        .selectFrom("posts")
        .select(["id", "slug", "kind", "status", "published_at"])
        .where("slug", "=", slug)
        .executeTakeFirst(),

    async list(f: ListFilter = {}): Promise<PostRow[]> {
      let q = k.selectFrom("posts").selectAll("posts");
      if (f.status) q = q.where("status", "=", f.status);
      if (f.kinds?.length) q = q.where("kind", "in", f.kinds);
      if (f.authorId !== undefined) q = q.where("author_id", "=", f.authorId);
      if (f.publishedBefore) q = q.where("published_at", "<=", f.publishedBefore);
      if (f.year !== undefined) {
        q = q.where("published_at", ">=", `${f.year}-01-01`).where("published_at", "<", `${f.year + 1}-01-01`);
      }
      if (f.themeId !== undefined) {
        const themeId = f.themeId;
        q = q.where("id", "in", (eb) => eb.selectFrom("post_themes").select("post_id").where("theme_id", "=", themeId));
      }
      return q
        .orderBy("published_at", "desc")
        .orderBy("updated_at", "desc")
        .orderBy("id", "desc")
        .limit(f.limit ?? 50)
        .offset(f.offset ?? 0)
        .execute();
    },

    async count(f: Pick<ListFilter, "status" | "kinds">): Promise<number> {
      let q = k.selectFrom("posts").select((eb) => eb.fn.countAll<number>().as("n"));
      if (f.status) q = q.where("status", "=", f.status);
      if (f.kinds?.length) q = q.where("kind", "in", f.kinds);
      const r = await q.executeTakeFirstOrThrow();
      return Number(r.n);
    },

    /** Distinct years with published posts, newest first. */
    async years(publishedBefore: string): Promise<number[]> {
      const rows = await k
        .selectFrom("posts")
        .select("published_at")
        .where("status", "=", "published")
        .where("kind", "!=", "page")
        .where("published_at", "<=", publishedBefore)
        .execute();
      const set = new Set(rows.map((r) => Number(r.published_at?.slice(0, 4))));
      return [...set].filter(Number.isFinite).sort((a, b) => b - a);
    },

    insert: (values: NewPostRow) => k.insertInto("posts").values(values).returningAll().executeTakeFirstOrThrow(),

    update: (id: number, values: Partial<Omit<PostRow, "id">>) =>
      k.updateTable("posts").set(values).where("id", "=", id).returningAll().executeTakeFirstOrThrow(),

    delete: (id: number) => k.deleteFrom("posts").where("id", "=", id).execute(),

    /** Set a link post's link columns (savePost does not know them). */
    setLinkColumns: (postId: number, v: Pick<PostRow, "link_url" | "credits" | "save_id">) =>
      k.updateTable("posts").set(v).where("id", "=", postId).execute(),

    async setThemes(postId: number, themeIds: number[]): Promise<void> {
      await k.deleteFrom("post_themes").where("post_id", "=", postId).execute();
      if (themeIds.length) {
        await k
          .insertInto("post_themes")
          .values([...new Set(themeIds)].map((theme_id) => ({ post_id: postId, theme_id })))
          .execute();
      }
    },

    /** Theme ids for many posts at once (avoids one query per post in listings). */
    async themesOf(postIds: number[]): Promise<Map<number, ThemeRow[]>> {
      const map = new Map<number, ThemeRow[]>();
      if (!postIds.length) return map;
      const rows = await k
        .selectFrom("post_themes")
        .innerJoin("themes", "themes.id", "post_themes.theme_id")
        .select([
          "post_themes.post_id",
          "themes.id",
          "themes.slug",
          "themes.name",
          "themes.description",
          "themes.position",
          "themes.created_at",
        ])
        .where("post_themes.post_id", "in", postIds)
        .orderBy("themes.position")
        .orderBy("themes.name")
        .execute();
      for (const { post_id, ...theme } of rows) {
        const list = map.get(post_id) ?? [];
        list.push(theme);
        map.set(post_id, list);
      }
      return map;
    },

    /** Published posts due at `now` that are still marked scheduled. */
    dueScheduled: (now: string) =>
      k.selectFrom("posts").selectAll().where("status", "=", "scheduled").where("published_at", "<=", now).execute(),

    /** Slugs of all posts (for uniqueness checks when generating). */
    slugExists: async (slug: string, exceptId?: number) => {
      let q = k.selectFrom("posts").select("id").where("slug", "=", slug);
      if (exceptId !== undefined) q = q.where("id", "!=", exceptId);
      return (await q.executeTakeFirst()) !== undefined;
    },
  };
}

/** Read and write themes. */
export function themeStore(db: Db) {
  const k = db.kysely;
  return {
    all: () => k.selectFrom("themes").selectAll().orderBy("position").orderBy("name").execute(),
    bySlug: (slug: string) => k.selectFrom("themes").selectAll().where("slug", "=", slug).executeTakeFirst(),
    byId: (id: number) => k.selectFrom("themes").selectAll().where("id", "=", id).executeTakeFirst(),
    insert: (v: Omit<ThemeRow, "id">) => k.insertInto("themes").values(v).returningAll().executeTakeFirstOrThrow(),
    update: (id: number, v: Partial<Omit<ThemeRow, "id">>) =>
      k.updateTable("themes").set(v).where("id", "=", id).returningAll().executeTakeFirstOrThrow(),
    delete: (id: number) => k.deleteFrom("themes").where("id", "=", id).execute(),
    /** Published post counts per theme id. */
    async counts(): Promise<Map<number, number>> {
      const rows = await k
        .selectFrom("post_themes")
        .innerJoin("posts", "posts.id", "post_themes.post_id")
        .select(["post_themes.theme_id", (eb) => eb.fn.countAll<number>().as("n")])
        .where("posts.status", "=", "published")
        .groupBy("post_themes.theme_id")
        .execute();
      return new Map(rows.map((r) => [r.theme_id, Number(r.n)]));
    },
    /** Number of posts (any status) per theme id. */
    async postCounts(): Promise<Map<number, number>> {
      const rows = await k
        .selectFrom("post_themes")
        .select(["theme_id", (eb) => eb.fn.countAll<number>().as("n")])
        .groupBy("theme_id")
        .execute();
      return new Map(rows.map((r) => [r.theme_id, Number(r.n)]));
    },
    /** Published and scheduled posts whose only theme is `themeId` (deleting it would leave them without one). */
    postsOnlyIn: (themeId: number): Promise<{ id: number; title: string }[]> =>
      k
        .selectFrom("posts")
        .select(["posts.id", "posts.title"])
        .where("posts.status", "in", ["published", "scheduled"])
        .where("posts.kind", "!=", "page")
        .where((eb) =>
          eb.exists(
            eb
              .selectFrom("post_themes")
              .select("post_themes.post_id")
              .whereRef("post_themes.post_id", "=", "posts.id")
              .where("post_themes.theme_id", "=", themeId),
          ),
        )
        .where((eb) =>
          eb.not(
            eb.exists(
              eb
                .selectFrom("post_themes")
                .select("post_themes.post_id")
                .whereRef("post_themes.post_id", "=", "posts.id")
                .where("post_themes.theme_id", "!=", themeId),
            ),
          ),
        )
        .orderBy("posts.title")
        .execute(),
  };
}

/** Revisions and redirects. */
export function historyStore(db: Db) {
  const k = db.kysely;
  return {
    addRevision: (v: Omit<RevisionRow, "id">) => k.insertInto("revisions").values(v).execute(),
    revisions: (postId: number) =>
      k.selectFrom("revisions").selectAll().where("post_id", "=", postId).orderBy("id", "desc").execute(),
    revision: (id: number) => k.selectFrom("revisions").selectAll().where("id", "=", id).executeTakeFirst(),
    async addRedirect(fromPath: string, postId: number, at: string): Promise<void> {
      await k
        .insertInto("redirects")
        .values({ from_path: fromPath, post_id: postId, created_at: at })
        .onConflict((oc) => oc.column("from_path").doUpdateSet({ post_id: postId, created_at: at }))
        .execute();
    },
    removeRedirect: async (fromPath: string) => {
      await k.deleteFrom("redirects").where("from_path", "=", fromPath).execute();
      // A post at an address that was a deleted post's: it is not gone any more.
      await k.deleteFrom("post_tombstones").where("path", "=", fromPath).execute();
    },
    async addTombstone(path: string, at: string): Promise<void> {
      await k
        .insertInto("post_tombstones")
        .values({ path, deleted_at: at })
        .onConflict((oc) => oc.column("path").doUpdateSet({ deleted_at: at }))
        .execute();
    },
    tombstone: (path: string) =>
      k.selectFrom("post_tombstones").selectAll().where("path", "=", path).executeTakeFirst(),
    redirect: (fromPath: string) =>
      k.selectFrom("redirects").select("post_id").where("from_path", "=", fromPath).executeTakeFirst(),
  };
}

/**
 * The content module's own state (`content_state`, one row; missing means version 0 and no
 * demo yet): the version every content change moves, and when the demo content was added.
 */
export function contentStateStore(db: Db) {
  const k = db.kysely;
  return {
    /** Move the content version on (a counter, so it moves even when the clock does not). */
    async bumpVersion(): Promise<void> {
      await k
        .insertInto("content_state")
        .values({ id: 1, version: 1 })
        .onConflict((oc) => oc.column("id").doUpdateSet({ version: (eb) => eb("content_state.version", "+", 1) }))
        .execute();
    },
    /** When the demo content was first added, or null. */
    demoSeededAt: async (): Promise<string | null> =>
      (await k.selectFrom("content_state").select("demo_seeded_at").where("id", "=", 1).executeTakeFirst())
        ?.demo_seeded_at ?? null,
    /** Record that the demo was added (the first time is kept). */
    async markDemoSeeded(at: string): Promise<void> {
      await k
        .insertInto("content_state")
        .values({ id: 1, demo_seeded_at: at })
        .onConflict((oc) =>
          oc
            .column("id")
            .doUpdateSet({ demo_seeded_at: (eb) => eb.fn.coalesce("content_state.demo_seeded_at", eb.val(at)) }),
        )
        .execute();
    },
  };
}
