/**
 * SQL for the subscribers admin: search with filters, counts per list, a subscriber's consents,
 * erasure, export rows and the batched writes of a CSV import. Pass a `Db` whose `kysely` is a
 * transaction (see `inTransaction` in lib/db/transaction.ts) to run several of these as one.
 */
import { type Insertable, sql } from "kysely";
import type { Db } from "../lib/db/index.ts";
import type { SubscriptionStatus, SubscriptionsTable } from "../lib/db/schema.ts";

/** Rows per statement: well under SQLite's and PostgreSQL's bound-parameter limits. */
const CHUNK = 500;

export interface SubscriberFilter {
  /** Substring of the address or the name. */
  q?: string;
  listId?: number;
  status?: SubscriptionStatus | "erased";
}

const chunks = <T>(xs: T[]) =>
  Array.from({ length: Math.ceil(xs.length / CHUNK) }, (_, i) => xs.slice(i * CHUNK, (i + 1) * CHUNK));

/** `%` and `_` in what someone typed are literal characters, not wildcards. */
const likePattern = (q: string) => `%${q.toLowerCase().replace(/[\\%_]/g, (ch) => `\\${ch}`)}%`;

export function subscribersStore(db: Db) {
  const k = db.kysely;
  const hasConfirmed = async (email: string): Promise<boolean> =>
    (await k
      .selectFrom("subscribers as p")
      .innerJoin("subscriptions as s", "s.subscriber_id", "p.id")
      .select("p.id")
      .where(sql<boolean>`lower(p.email) = ${email}`)
      .where("s.status", "=", "confirmed")
      .executeTakeFirst()) !== undefined;
  const filtered = (f: SubscriberFilter) => {
    let q = k.selectFrom("subscribers as p");
    if (f.q) {
      const pattern = likePattern(f.q);
      q = q.where((eb) =>
        eb.or([
          sql<boolean>`lower(p.email) like ${pattern} escape '\\'`,
          sql<boolean>`lower(p.name) like ${pattern} escape '\\'`,
        ]),
      );
    }
    if (f.status === "erased") q = q.where("p.erased_at", "is not", null);
    else if (f.status) q = q.where("p.erased_at", "is", null);
    if (f.listId !== undefined || (f.status && f.status !== "erased")) {
      q = q.where((eb) => {
        let sub = eb.selectFrom("subscriptions as s").select("s.id").whereRef("s.subscriber_id", "=", "p.id");
        if (f.listId !== undefined) sub = sub.where("s.list_id", "=", f.listId);
        if (f.status && f.status !== "erased") sub = sub.where("s.status", "=", f.status);
        return eb.exists(sub);
      });
    }
    return q;
  };
  return {
    /** Is the address (lower-cased) confirmed on some list? */
    hasConfirmed,
    async count(f: SubscriberFilter): Promise<number> {
      const row = await filtered(f)
        .select((eb) => eb.fn.countAll<number>().as("n"))
        .executeTakeFirst();
      return Number(row?.n ?? 0);
    },
    /** A page of subscribers, newest first. */
    page: (f: SubscriberFilter, limit: number, offset: number) =>
      filtered(f).selectAll("p").orderBy("p.id", "desc").limit(limit).offset(offset).execute(),

    /** Subscriptions of these subscribers with their list. */
    subscriptionsOf: (subscriberIds: number[]) =>
      subscriberIds.length
        ? k
            .selectFrom("subscriptions as s")
            .innerJoin("lists as l", "l.id", "s.list_id")
            .selectAll("s")
            .select(["l.slug as list_slug", "l.name as list_name"])
            .where("s.subscriber_id", "in", subscriberIds)
            .orderBy("s.subscriber_id")
            .orderBy("s.list_id")
            .execute()
        : Promise.resolve([]),

    /** Per list and status: subscriptions, and how many of them belong to erased subscribers. */
    countsByList: () =>
      k
        .selectFrom("subscriptions as s")
        .innerJoin("subscribers as p", "p.id", "s.subscriber_id")
        .select((eb) => [
          "s.list_id",
          "s.status",
          eb.fn.countAll<number>().as("n"),
          eb.fn.count<number>("p.erased_at").as("erased"),
        ])
        .groupBy(["s.list_id", "s.status"])
        .execute(),

    /** Remove the address and name; the row and its consents stay so counts and history add up. */
    async erase(id: number, at: string): Promise<void> {
      await k.updateTable("subscribers").set({ email: null, name: "", erased_at: at }).where("id", "=", id).execute();
      await k
        .updateTable("subscriptions")
        .set({ status: "unsubscribed", unsubscribed_at: at })
        .where("subscriber_id", "=", id)
        .where("status", "!=", "unsubscribed")
        .execute();
    },

    /** Rows of a list for the CSV export (erased subscribers left out). */
    exportRows: (listId: number) =>
      k
        .selectFrom("subscriptions as s")
        .innerJoin("subscribers as p", "p.id", "s.subscriber_id")
        .select(["p.email", "p.name", "s.status", "s.source", "s.requested_at", "s.confirmed_at"])
        .where("s.list_id", "=", listId)
        .where("p.email", "is not", null)
        .orderBy("p.id")
        .execute(),

    /** Subscriber ids by address, for the addresses that have one. */
    async idsByEmail(emails: string[]): Promise<Map<string, number>> {
      const out = new Map<string, number>();
      for (const part of chunks(emails)) {
        const rows = await k.selectFrom("subscribers").select(["id", "email"]).where("email", "in", part).execute();
        for (const r of rows) if (r.email) out.set(r.email, r.id);
      }
      return out;
    },

    /** Subscriptions to one list of these subscribers, by subscriber id. */
    async onList(listId: number, subscriberIds: number[]) {
      const out = new Map<number, { id: number; status: SubscriptionStatus; unsubscribed_at: string | null }>();
      for (const part of chunks(subscriberIds)) {
        const rows = await k
          .selectFrom("subscriptions")
          .select(["id", "subscriber_id", "status", "unsubscribed_at"])
          .where("list_id", "=", listId)
          .where("subscriber_id", "in", part)
          .execute();
        for (const r of rows) out.set(r.subscriber_id, r);
      }
      return out;
    },

    /** Create subscribers (an address taken meanwhile is skipped); returns ids by address. */
    async insertSubscribers(rows: { email: string; name: string }[], at: string): Promise<Map<string, number>> {
      for (const part of chunks(rows)) {
        await k
          .insertInto("subscribers")
          .values(part.map((r) => ({ email: r.email, name: r.name, created_at: at })))
          .onConflict((oc) => oc.column("email").doNothing())
          .execute();
      }
      return this.idsByEmail(rows.map((r) => r.email));
    },

    async insertSubscriptions(rows: Insertable<SubscriptionsTable>[]): Promise<void> {
      for (const part of chunks(rows)) await k.insertInto("subscriptions").values(part).execute();
    },

    /** Confirm a pending subscription as imported. */
    async confirmImported(id: number, patch: { source: string; promise_shown: string; confirmed_at: string }) {
      await k
        .updateTable("subscriptions")
        .set({ ...patch, status: "confirmed", unsubscribed_at: null })
        .where("id", "=", id)
        .where("status", "=", "pending")
        .execute();
    },
  };
}
