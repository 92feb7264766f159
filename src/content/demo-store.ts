/**
 * SQL of the demo content's removal and undo, and of the first-run checklist's state: which posts,
 * themes and media came with the demo, a snapshot of their rows, putting the rows back with their
 * ids, and the `content_state` columns that remember a removal and a dismissed checklist.
 */
import type { Insertable, Selectable } from "kysely";
import type { Db } from "../lib/db/index.ts";
import type {
  MediaTable,
  PostsTable,
  PostThemesTable,
  RedirectsTable,
  RevisionsTable,
  ThemesTable,
} from "../lib/db/schema.ts";

/** The revision note the demo's posts were saved with (see demo.ts). */
export const DEMO_NOTE = "Demo content";

// Named columns (never selectAll): PostgreSQL's generated search column cannot be inserted back.
const POST_COLUMNS = [
  "id",
  "kind",
  "status",
  "slug",
  "title",
  "summary",
  "body_md",
  "body_html",
  "body_text",
  "render_extra",
  "cover_media_id",
  "pdf_media_id",
  "author_id",
  "published_at",
  "created_at",
  "updated_at",
  "word_count",
  "link_url",
  "credits",
  "save_id",
  "cover_alt",
  "feed_id",
] as const;

/** Rows of the demo's posts, themes and media, as removed (JSON-able). */
export interface DemoRows {
  posts: Insertable<PostsTable>[];
  postThemes: PostThemesTable[];
  revisions: Insertable<RevisionsTable>[];
  redirects: RedirectsTable[];
  themes: Selectable<ThemesTable>[];
  media: Selectable<MediaTable>[];
}

export function demoStore(db: Db) {
  const k = db.kysely;
  return {
    /**
     * The demo's posts nobody has edited: saved by the system with the demo's note and with no
     * revision by a person since. A demo post the owner rewrote is theirs now and is kept.
     */
    async untouchedDemoPostIds(): Promise<number[]> {
      const rows = await k
        .selectFrom("posts")
        .select("posts.id")
        .where("posts.author_id", "is", null)
        .where((eb) =>
          eb.exists(
            eb
              .selectFrom("revisions")
              .select("revisions.id")
              .whereRef("revisions.post_id", "=", "posts.id")
              .where("revisions.note", "=", DEMO_NOTE),
          ),
        )
        .where((eb) =>
          eb.not(
            eb.exists(
              eb
                .selectFrom("revisions")
                .select("revisions.id")
                .whereRef("revisions.post_id", "=", "posts.id")
                .where("revisions.author_id", "is not", null),
            ),
          ),
        )
        .execute();
      return rows.map((r) => r.id);
    },

    /** The rows of these posts and of everything that belongs to them. */
    async postRows(ids: number[]): Promise<Pick<DemoRows, "posts" | "postThemes" | "revisions" | "redirects">> {
      if (ids.length === 0) return { posts: [], postThemes: [], revisions: [], redirects: [] };
      const [posts, postThemes, revisions, redirects] = await Promise.all([
        k.selectFrom("posts").select(POST_COLUMNS).where("id", "in", ids).orderBy("id").execute(),
        k.selectFrom("post_themes").selectAll().where("post_id", "in", ids).execute(),
        k.selectFrom("revisions").selectAll().where("post_id", "in", ids).orderBy("id").execute(),
        k.selectFrom("redirects").selectAll().where("post_id", "in", ids).execute(),
      ]);
      return { posts, postThemes, revisions, redirects };
    },

    /** Themes with these slugs that no post outside `exceptPosts` uses. */
    async unusedThemes(slugs: string[], exceptPosts: number[]): Promise<Selectable<ThemesTable>[]> {
      if (slugs.length === 0) return [];
      let q = k.selectFrom("themes").selectAll().where("slug", "in", slugs);
      q = q.where((eb) => {
        let used = eb
          .selectFrom("post_themes")
          .select("post_themes.post_id")
          .whereRef("post_themes.theme_id", "=", "themes.id");
        if (exceptPosts.length > 0) used = used.where("post_themes.post_id", "not in", exceptPosts);
        return eb.not(eb.exists(used));
      });
      return q.orderBy("id").execute();
    },

    /** Media the system uploaded that only these posts use (their covers and PDFs). */
    async mediaOnlyOf(postIds: number[]): Promise<Selectable<MediaTable>[]> {
      if (postIds.length === 0) return [];
      const used = await k
        .selectFrom("posts")
        .select(["cover_media_id", "pdf_media_id"])
        .where("id", "in", postIds)
        .execute();
      const ids = [...new Set(used.flatMap((r) => [r.cover_media_id, r.pdf_media_id]).filter((x) => x !== null))];
      if (ids.length === 0) return [];
      return k
        .selectFrom("media")
        .selectAll()
        .where("id", "in", ids)
        .where("uploader_id", "is", null)
        .where((eb) =>
          eb.not(
            eb.exists(
              eb
                .selectFrom("posts")
                .select("posts.id")
                .where("posts.id", "not in", postIds)
                .where((w) =>
                  w.or([
                    w("posts.cover_media_id", "=", w.ref("media.id")),
                    w("posts.pdf_media_id", "=", w.ref("media.id")),
                  ]),
                ),
            ),
          ),
        )
        .execute();
    },

    /** Delete the rows (a post's themes, revisions and redirects go with it: ON DELETE CASCADE). */
    async deleteRows(postIds: number[], themeIds: number[], mediaIds: number[]): Promise<void> {
      if (postIds.length > 0) await k.deleteFrom("posts").where("id", "in", postIds).execute();
      if (themeIds.length > 0) await k.deleteFrom("themes").where("id", "in", themeIds).execute();
      if (mediaIds.length > 0) await k.deleteFrom("media").where("id", "in", mediaIds).execute();
    },

    /** Slugs of posts and themes that exist now (a restored row must not clash with them). */
    async takenSlugs(): Promise<{ posts: Set<string>; themes: Map<string, number> }> {
      const [p, t] = await Promise.all([
        k.selectFrom("posts").select("slug").execute(),
        k.selectFrom("themes").select(["slug", "id"]).execute(),
      ]);
      return { posts: new Set(p.map((r) => r.slug)), themes: new Map(t.map((r) => [r.slug, r.id])) };
    },

    /** Put rows back with their ids, parents first. */
    async insertRows(rows: DemoRows): Promise<void> {
      if (rows.themes.length > 0) await k.insertInto("themes").values(rows.themes).execute();
      if (rows.media.length > 0) await k.insertInto("media").values(rows.media).execute();
      if (rows.posts.length > 0) await k.insertInto("posts").values(rows.posts).execute();
      if (rows.postThemes.length > 0) await k.insertInto("post_themes").values(rows.postThemes).execute();
      if (rows.revisions.length > 0) await k.insertInto("revisions").values(rows.revisions).execute();
      if (rows.redirects.length > 0) await k.insertInto("redirects").values(rows.redirects).execute();
    },

    /** Themes (slug, description) and whether a person has written a post (checklist). */
    allThemes: () => k.selectFrom("themes").select(["slug", "description"]).execute(),
    async hasOwnPost(): Promise<boolean> {
      const row = await k
        .selectFrom("posts")
        .select("id")
        .where("author_id", "is not", null)
        .where("kind", "!=", "digest")
        .limit(1)
        .executeTakeFirst();
      return row !== undefined;
    },

    /** The onboarding columns of `content_state` (a missing row: nothing dismissed or removed). */
    async state(): Promise<{ dismissedAt: string | null; demoRemoved: string | null }> {
      const row = await k
        .selectFrom("content_state")
        .select(["checklist_dismissed_at", "demo_removed"])
        .where("id", "=", 1)
        .executeTakeFirst();
      return { dismissedAt: row?.checklist_dismissed_at ?? null, demoRemoved: row?.demo_removed ?? null };
    },
    async setDismissed(at: string | null): Promise<void> {
      await k
        .insertInto("content_state")
        .values({ id: 1, checklist_dismissed_at: at })
        .onConflict((oc) => oc.column("id").doUpdateSet({ checklist_dismissed_at: at }))
        .execute();
    },
    async setDemoRemoved(json: string | null): Promise<void> {
      await k
        .insertInto("content_state")
        .values({ id: 1, demo_removed: json })
        .onConflict((oc) => oc.column("id").doUpdateSet({ demo_removed: json }))
        .execute();
    },
  };
}
