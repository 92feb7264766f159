/**
 * SQL of the batch importer (bulk.ts): batch-shaped reads and writes (multi-row inserts, `IN`
 * lookups) that only the importer needs. `writeBatch` belongs in a transaction: call it with the
 * store of `transaction(ctx, (tx) => importStore(tx.db).writeBatch(...))`.
 */
import type { Insertable } from "kysely";
import type { Db } from "../lib/db/index.ts";
import type { RevisionsTable } from "../lib/db/schema.ts";
import type { NewPostRow, PostRow } from "./store.ts";

/** What the importer compares an item with. */
export type ExistingPost = Pick<
  PostRow,
  "id" | "slug" | "kind" | "status" | "title" | "summary" | "body_md" | "published_at" | "author_id"
>;

/** A post to insert, and its themes. */
export interface BatchInsert {
  values: NewPostRow;
  themeIds: number[];
}

/** A post to update (the columns an import sets), and its themes. */
export interface BatchUpdate {
  id: number;
  values: Omit<NewPostRow, "cover_media_id" | "pdf_media_id" | "author_id" | "created_at">;
  themeIds: number[];
}

/** A batch of writes: `newPaths` are the public paths of the inserted posts. */
export interface Batch {
  inserts: BatchInsert[];
  updates: BatchUpdate[];
  newPaths: string[];
  /** The author of the revisions. */
  authorId: number | null;
  note: string;
}

const INSERT_CHUNK = 100;

export function importStore(db: Db) {
  const k = db.kysely;
  return {
    /** Stored posts with these slugs and their theme ids, read 500 at a time. */
    async existing(slugs: string[]): Promise<Map<string, { post: ExistingPost; themeIds: number[] }>> {
      const map = new Map<string, { post: ExistingPost; themeIds: number[] }>();
      for (let i = 0; i < slugs.length; i += 500) {
        const rows = await k
          .selectFrom("posts")
          .select(["id", "slug", "kind", "status", "title", "summary", "body_md", "published_at", "author_id"])
          .where("slug", "in", slugs.slice(i, i + 500))
          .execute();
        if (!rows.length) continue;
        const links = await k
          .selectFrom("post_themes")
          .select(["post_id", "theme_id"])
          .where(
            "post_id",
            "in",
            rows.map((r) => r.id),
          )
          .execute();
        const byPost = new Map<number, number[]>();
        for (const l of links) byPost.set(l.post_id, [...(byPost.get(l.post_id) ?? []), l.theme_id]);
        for (const r of rows) map.set(r.slug, { post: r, themeIds: byPost.get(r.id) ?? [] });
      }
      return map;
    },

    /**
     * Write a batch: insert and update posts, set their themes, add a revision each, and drop
     * redirects from the new posts' paths. Returns the new posts' ids by slug.
     */
    async writeBatch(b: Batch): Promise<Map<string, number>> {
      const ids = new Map<string, number>();
      for (let i = 0; i < b.inserts.length; i += INSERT_CHUNK) {
        const chunk = b.inserts.slice(i, i + INSERT_CHUNK);
        // RETURNING order is not guaranteed on SQLite, so rows are matched back by their unique slug.
        const rows = await k
          .insertInto("posts")
          .values(chunk.map((x) => x.values))
          .returning(["id", "slug"])
          .execute();
        for (const r of rows) ids.set(r.slug, r.id);
      }
      // A new post takes over its path from any redirect an older slug left there.
      for (let i = 0; i < b.newPaths.length; i += 500) {
        await k
          .deleteFrom("redirects")
          .where("from_path", "in", b.newPaths.slice(i, i + 500))
          .execute();
      }
      for (const u of b.updates) {
        await k.updateTable("posts").set(u.values).where("id", "=", u.id).execute();
        await k.deleteFrom("post_themes").where("post_id", "=", u.id).execute();
      }
      const links: { post_id: number; theme_id: number }[] = [];
      const revisions: Insertable<RevisionsTable>[] = [];
      const all = [
        ...b.inserts.map((x) => ({ id: ids.get(x.values.slug)!, values: x.values, themeIds: x.themeIds })),
        ...b.updates.map((u) => ({ id: u.id, values: u.values, themeIds: u.themeIds })),
      ];
      for (const x of all) {
        for (const theme_id of new Set(x.themeIds)) links.push({ post_id: x.id, theme_id });
        revisions.push({
          post_id: x.id,
          kind: x.values.kind,
          slug: x.values.slug,
          title: x.values.title,
          summary: x.values.summary,
          body_md: x.values.body_md,
          theme_ids: JSON.stringify(x.themeIds),
          author_id: b.authorId,
          created_at: x.values.updated_at,
          note: b.note,
        });
      }
      for (let i = 0; i < links.length; i += 1000) {
        await k
          .insertInto("post_themes")
          .values(links.slice(i, i + 1000))
          .execute();
      }
      for (let i = 0; i < revisions.length; i += INSERT_CHUNK) {
        await k
          .insertInto("revisions")
          .values(revisions.slice(i, i + INSERT_CHUNK))
          .execute();
      }
      return ids;
    },
  };
}
