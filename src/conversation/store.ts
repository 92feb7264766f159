/**
 * SQL for conversation items (comments, received Webmentions, later fediverse and Bluesky
 * replies), the owner's blocklists and the comment settings. Webmentions received have their own
 * store (webmention/receive-store.ts); sent ones theirs (webmention/send-store.ts).
 */
import { type Insertable, type Selectable, sql, type Updateable } from "kysely";
import type { Db } from "../lib/db/index.ts";
import type {
  ConversationBlocksTable,
  ConversationItemsTable,
  ConversationStatus,
  ConversationVia,
} from "../lib/db/schema.ts";

export type ItemRow = Selectable<ConversationItemsTable>;
export type NewItem = Insertable<ConversationItemsTable>;
/** An item with its post's slug, title and kind, as the inbox and the CLI list it. */
export type ListedItem = ItemRow & { post_slug: string; post_title: string; post_kind: string };
export type BlockKind = ConversationBlocksTable["kind"];

/** What the inbox filters by. */
export interface ItemFilter {
  status?: ConversationStatus;
  postId?: number;
  via?: ConversationVia;
  /** A substring of the source URL, the author's URL or name (a domain, a person). */
  source?: string;
  limit: number;
  offset?: number;
}

const likePattern = (q: string) => `%${q.toLowerCase().replace(/[\\%_]/g, (ch) => `\\${ch}`)}%`;

/** Comment kinds that count as "comments" under a post (likes and reposts are face piles). */
export const THREAD_KINDS = ["comment", "reply", "mention", "bookmark"] as const;

export function itemStore(db: Db) {
  const k = db.kysely;
  /** Shown under its post: approved, and a top-level item or a reply to a shown one. */
  const shown = () =>
    sql<boolean>`(i.parent_id IS NULL OR i.parent_id IN (SELECT pa.id FROM conversation_items pa WHERE pa.status = 'approved'))`;
  const listed = () =>
    k
      .selectFrom("conversation_items as i")
      .innerJoin("posts as p", "p.id", "i.post_id")
      .selectAll("i")
      .select(["p.slug as post_slug", "p.title as post_title", "p.kind as post_kind"]);
  return {
    insert: (row: NewItem): Promise<ItemRow> =>
      k.insertInto("conversation_items").values(row).returningAll().executeTakeFirstOrThrow(),

    byId: (id: number): Promise<ItemRow | undefined> =>
      k.selectFrom("conversation_items").selectAll().where("id", "=", id).executeTakeFirst(),

    byIds: (ids: number[]): Promise<ItemRow[]> =>
      ids.length
        ? k.selectFrom("conversation_items").selectAll().where("id", "in", ids).execute()
        : Promise.resolve([]),

    byRemote: (via: ConversationVia, remoteId: string): Promise<ItemRow | undefined> =>
      k
        .selectFrom("conversation_items")
        .selectAll()
        .where("via", "=", via)
        .where("remote_id", "=", remoteId)
        .executeTakeFirst(),

    /** A post's replies and mentions from elsewhere, with their ids there (to find one that came twice). */
    remoteRepliesOf: (postId: number): Promise<Pick<ItemRow, "id" | "kind" | "remote_id" | "source_url">[]> =>
      k
        .selectFrom("conversation_items")
        .select(["id", "kind", "remote_id", "source_url"])
        .where("post_id", "=", postId)
        .where("kind", "in", ["reply", "mention"])
        .where("via", "!=", "site")
        .execute(),

    byAuthor: (authorKey: string): Promise<ItemRow[]> =>
      k.selectFrom("conversation_items").selectAll().where("author_key", "=", authorKey).execute(),

    update: (id: number, patch: Updateable<ConversationItemsTable>): Promise<ItemRow | undefined> =>
      k.updateTable("conversation_items").set(patch).where("id", "=", id).returningAll().executeTakeFirst(),

    async setStatus(ids: number[], status: ConversationStatus, at: string, note = ""): Promise<number> {
      if (!ids.length) return 0;
      const r = await k
        .updateTable("conversation_items")
        .set({ status, updated_at: at, status_note: note })
        .where("id", "in", ids)
        .executeTakeFirst();
      return Number(r.numUpdatedRows);
    },

    async remove(ids: number[]): Promise<number> {
      if (!ids.length) return 0;
      // Replies first: not every database honours the cascade within one statement's order.
      await k.deleteFrom("conversation_items").where("parent_id", "in", ids).execute();
      const r = await k.deleteFrom("conversation_items").where("id", "in", ids).executeTakeFirst();
      return Number(r.numDeletedRows);
    },

    /** A post's approved items, oldest first (the page threads them). */
    approvedOf: (postId: number): Promise<ItemRow[]> =>
      k
        .selectFrom("conversation_items")
        .selectAll()
        .where("post_id", "=", postId)
        .where("status", "=", "approved")
        .orderBy("published_at")
        .orderBy("id")
        .limit(2000)
        .execute(),

    /** Approved comments and replies per post (for listings). */
    async countsOf(postIds: number[]): Promise<Map<number, number>> {
      const out = new Map<number, number>();
      if (!postIds.length) return out;
      const rows = await k
        .selectFrom("conversation_items as i")
        .select(["i.post_id", (eb) => eb.fn.countAll<string | number>().as("n")])
        .where("i.post_id", "in", postIds)
        .where("i.status", "=", "approved")
        .where("i.kind", "in", [...THREAD_KINDS])
        .where(shown())
        .groupBy("i.post_id")
        .execute();
      for (const r of rows) out.set(r.post_id, Number(r.n));
      return out;
    },

    /** The inbox: newest first; held items whose author confirmed their address come first. */
    list(f: ItemFilter): Promise<ListedItem[]> {
      let q = listed();
      if (f.status) q = q.where("i.status", "=", f.status);
      if (f.postId !== undefined) q = q.where("i.post_id", "=", f.postId);
      if (f.via) q = q.where("i.via", "=", f.via);
      if (f.source) {
        const pattern = likePattern(f.source);
        q = q.where((eb) =>
          eb.or([
            sql<boolean>`lower(i.source_url) like ${pattern} escape '\\'`,
            sql<boolean>`lower(i.author_url) like ${pattern} escape '\\'`,
            sql<boolean>`lower(i.author_name) like ${pattern} escape '\\'`,
          ]),
        );
      }
      if (f.status === "pending") q = q.orderBy(sql`CASE WHEN i.confirmed_at IS NULL THEN 1 ELSE 0 END`);
      return q
        .orderBy("i.received_at", "desc")
        .orderBy("i.id", "desc")
        .limit(f.limit)
        .offset(f.offset ?? 0)
        .execute();
    },

    /** The posts that have items, with how many, newest activity first (the inbox's post filter). */
    postsWithItems: () =>
      k
        .selectFrom("conversation_items as i")
        .innerJoin("posts as p", "p.id", "i.post_id")
        .select(["p.id", "p.title", (eb) => eb.fn.countAll<string | number>().as("n")])
        .groupBy(["p.id", "p.title"])
        .orderBy((eb) => eb.fn.max("i.received_at"), "desc")
        .limit(200)
        .execute(),

    /** Items by status, for the inbox's filter tabs. */
    async countByStatus(): Promise<Record<ConversationStatus, number>> {
      const rows = await k
        .selectFrom("conversation_items")
        .select(["status", (eb) => eb.fn.countAll<string | number>().as("n")])
        .groupBy("status")
        .execute();
      const out: Record<ConversationStatus, number> = { pending: 0, approved: 0, spam: 0 };
      for (const r of rows) out[r.status] = Number(r.n);
      return out;
    },

    /** The site's recent approved comments and replies, newest first (its comments feed). */
    recentApproved: (limit: number, postId?: number): Promise<ListedItem[]> => {
      let q = listed()
        .where("i.status", "=", "approved")
        .where("i.kind", "in", [...THREAD_KINDS])
        .where(shown());
      if (postId !== undefined) q = q.where("i.post_id", "=", postId);
      return q.orderBy("i.published_at", "desc").orderBy("i.id", "desc").limit(limit).execute();
    },

    /** Held items received after `since` (the owner's next notification). */
    pendingSince: (since: string): Promise<ListedItem[]> =>
      listed()
        .where("i.status", "=", "pending")
        .where("i.received_at", ">", since)
        .orderBy("i.received_at")
        .limit(200)
        .execute(),

    /** Has this author already said exactly this under the post? */
    sameText: async (postId: number, authorKey: string, text: string): Promise<boolean> =>
      (await k
        .selectFrom("conversation_items")
        .select("id")
        .where("post_id", "=", postId)
        .where("author_key", "=", authorKey)
        .where("text", "=", text)
        .executeTakeFirst()) !== undefined,

    /** Is one of these items (a browser's own) approved and by this author? */
    approvedAmong: async (ids: number[], authorKey: string): Promise<boolean> =>
      ids.length > 0 &&
      (await k
        .selectFrom("conversation_items")
        .select("id")
        .where("id", "in", ids)
        .where("author_key", "=", authorKey)
        .where("status", "=", "approved")
        .executeTakeFirst()) !== undefined,

    /**
     * Has someone with this key had something they wrote approved before? Likes and reposts are
     * shown without moderation, so they vouch for nothing: a like first must not let a reply skip it.
     */
    approvedBefore: async (authorKey: string): Promise<boolean> =>
      (await k
        .selectFrom("conversation_items")
        .select("id")
        .where("author_key", "=", authorKey)
        .where("status", "=", "approved")
        .where("kind", "not in", ["like", "repost"])
        .executeTakeFirst()) !== undefined,

    /** Mark every item of these authors as spam (after the owner blocked them). */
    async spamAuthors(keys: string[], at: string, note: string): Promise<number> {
      if (!keys.length) return 0;
      const r = await k
        .updateTable("conversation_items")
        .set({ status: "spam", updated_at: at, status_note: note })
        .where("author_key", "in", keys)
        .executeTakeFirst();
      return Number(r.numUpdatedRows);
    },

    /** Erasure: a person's comments (by the address they gave) are deleted. */
    async eraseEmail(email: string): Promise<void> {
      const ids = (
        await k
          .selectFrom("conversation_items")
          .select("id")
          .where(sql<boolean>`lower(author_email) = ${email.trim().toLowerCase()}`)
          .execute()
      ).map((r) => r.id);
      if (ids.length) {
        await k.deleteFrom("conversation_items").where("parent_id", "in", ids).execute();
        await k.deleteFrom("conversation_items").where("id", "in", ids).execute();
      }
    },
  };
}

/** The owner's blocklists: words, domains and addresses (emails or client addresses). */
export function blockStore(db: Db) {
  const k = db.kysely;
  return {
    all: () => k.selectFrom("conversation_blocks").selectAll().orderBy("kind").orderBy("value").execute(),
    async add(kind: BlockKind, values: string[], at: string): Promise<void> {
      for (const value of values) {
        await k
          .insertInto("conversation_blocks")
          .values({ kind, value, created_at: at })
          .onConflict((oc) => oc.columns(["kind", "value"]).doNothing())
          .execute();
      }
    },
    /** Replace one kind's list with `values`. */
    async replace(kind: BlockKind, values: string[], at: string): Promise<void> {
      await k.deleteFrom("conversation_blocks").where("kind", "=", kind).execute();
      await this.add(kind, values, at);
    },
  };
}

/** The site's comment settings and the per-post overrides. */
export function settingsStore(db: Db) {
  const k = db.kysely;
  return {
    site: async () => {
      const r = await k.selectFrom("conversation_settings").selectAll().where("id", "=", 1).executeTakeFirst();
      return {
        comments: r?.comments ?? "on",
        closeAfterDays: r?.close_after_days ?? 0,
        notifiedAt: r?.notified_at ?? null,
      };
    },
    async saveSite(v: { comments: "on" | "off" | "closed"; closeAfterDays: number }): Promise<void> {
      const row = { comments: v.comments, close_after_days: v.closeAfterDays };
      await k
        .insertInto("conversation_settings")
        .values({ id: 1, ...row })
        .onConflict((oc) => oc.column("id").doUpdateSet(row))
        .execute();
    },
    async setNotifiedAt(at: string): Promise<void> {
      await k
        .insertInto("conversation_settings")
        .values({ id: 1, notified_at: at })
        .onConflict((oc) => oc.column("id").doUpdateSet({ notified_at: at }))
        .execute();
    },
    post: (postId: number) =>
      k.selectFrom("conversation_post_settings").selectAll().where("post_id", "=", postId).executeTakeFirst(),
    async savePost(postId: number, comments: "default" | "on" | "off", closeAfterDays: number | null): Promise<void> {
      const row = { comments, close_after_days: closeAfterDays };
      await k
        .insertInto("conversation_post_settings")
        .values({ post_id: postId, ...row })
        .onConflict((oc) => oc.column("post_id").doUpdateSet(row))
        .execute();
    },
  };
}
