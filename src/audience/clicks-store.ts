/**
 * SQL for new-post email clicks (each link of a send, with its count: `post_email_links`) and
 * opens (of the sends that count them: `post_email_opens`).
 */
import type { Db } from "../lib/db/index.ts";

export interface PostEmailLink {
  id: number;
  send_id: number | null;
  url: string;
  clicks: number;
}

/** The click store of new-post emails. */
export function postClicksStore(db: Db) {
  const k = db.kysely;
  return {
    /** New links (no send yet), in order; returns their ids. */
    async addLinks(urls: string[], at: string): Promise<number[]> {
      if (!urls.length) return [];
      const rows = await k
        .insertInto("post_email_links")
        .values(urls.map((url) => ({ send_id: null, url, created_at: at })))
        .returning("id")
        .execute();
      return rows.map((r) => r.id);
    },

    /** Tie links written before their send to it. */
    async attach(ids: number[], sendId: number): Promise<void> {
      if (ids.length) await k.updateTable("post_email_links").set({ send_id: sendId }).where("id", "in", ids).execute();
    },

    link: (id: number): Promise<PostEmailLink | undefined> =>
      k
        .selectFrom("post_email_links")
        .select(["id", "send_id", "url", "clicks"])
        .where("id", "=", id)
        .executeTakeFirst(),

    /** Count one click on a link. */
    async click(id: number): Promise<void> {
      await k
        .updateTable("post_email_links")
        .set((eb) => ({ clicks: eb("clicks", "+", 1) }))
        .where("id", "=", id)
        .execute();
    },

    /** Clicks per send, for the given sends (sends with no links are left out). */
    async clicksOfSends(sendIds: number[]): Promise<Map<number, number>> {
      if (!sendIds.length) return new Map();
      const rows = await k
        .selectFrom("post_email_links")
        .select(["send_id", (eb) => eb.fn.sum<string | number>("clicks").as("clicks")])
        .where("send_id", "in", sendIds)
        .groupBy("send_id")
        .execute();
      return new Map(rows.map((r) => [Number(r.send_id), Number(r.clicks ?? 0)]));
    },

    /** The links of a send, most clicked first. */
    linksOfSend: (sendId: number): Promise<PostEmailLink[]> =>
      k
        .selectFrom("post_email_links")
        .select(["id", "send_id", "url", "clicks"])
        .where("send_id", "=", sendId)
        .orderBy("clicks", "desc")
        .orderBy("id")
        .execute(),

    /** A new open counter (no send yet); returns its id. */
    async addOpenCounter(at: string): Promise<number> {
      const row = await k
        .insertInto("post_email_opens")
        .values({ send_id: null, created_at: at })
        .returning("id")
        .executeTakeFirstOrThrow();
      return row.id;
    },

    async attachOpenCounter(id: number, sendId: number): Promise<void> {
      await k.updateTable("post_email_opens").set({ send_id: sendId }).where("id", "=", id).execute();
    },

    /** Count one open; false when there is no such counter. */
    async open(id: number): Promise<boolean> {
      const r = await k
        .updateTable("post_email_opens")
        .set((eb) => ({ opens: eb("opens", "+", 1) }))
        .where("id", "=", id)
        .executeTakeFirst();
      return Number(r.numUpdatedRows) > 0;
    },

    /** Opens per send, for the sends that count them. */
    async opensOfSends(sendIds: number[]): Promise<Map<number, number>> {
      if (!sendIds.length) return new Map();
      const rows = await k
        .selectFrom("post_email_opens")
        .select(["send_id", "opens"])
        .where("send_id", "in", sendIds)
        .execute();
      return new Map(rows.map((r) => [Number(r.send_id), Number(r.opens)]));
    },
  };
}
