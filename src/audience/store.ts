/** SQL for lists, subscribers and subscriptions (the consent records), and the audience settings. */
import type { Insertable, Selectable } from "kysely";
import type { Db } from "../lib/db/index.ts";
import type { ListsTable, SubscriptionsTable } from "../lib/db/schema.ts";

export type ListRow = Selectable<ListsTable>;
export type SubscriptionRow = Selectable<SubscriptionsTable>;

export function audienceStore(db: Db) {
  const k = db.kysely;
  return {
    async createList(row: Insertable<ListsTable>): Promise<ListRow> {
      return k.insertInto("lists").values(row).returningAll().executeTakeFirstOrThrow();
    },
    listById: (id: number) => k.selectFrom("lists").selectAll().where("id", "=", id).executeTakeFirst(),
    async updateList(id: number, patch: Partial<Omit<ListRow, "id" | "slug" | "created_at">>): Promise<void> {
      await k.updateTable("lists").set(patch).where("id", "=", id).execute();
    },
    listBySlug: (slug: string) => k.selectFrom("lists").selectAll().where("slug", "=", slug).executeTakeFirst(),
    listsByIds: (ids: number[]) =>
      ids.length
        ? k.selectFrom("lists").selectAll().where("id", "in", ids).orderBy("id").execute()
        : Promise.resolve([]),
    allLists: () => k.selectFrom("lists").selectAll().orderBy("id").execute(),
    publicLists: () => k.selectFrom("lists").selectAll().where("is_public", "=", 1).orderBy("id").execute(),
    /** Confirmed, not erased subscribers per list id. */
    async confirmedCounts(): Promise<Map<number, number>> {
      const rows = await k
        .selectFrom("subscriptions as s")
        .innerJoin("subscribers as p", "p.id", "s.subscriber_id")
        .select(["s.list_id", (eb) => eb.fn.countAll<string | number>().as("n")])
        .where("s.status", "=", "confirmed")
        .where("p.email", "is not", null)
        .groupBy("s.list_id")
        .execute();
      return new Map(rows.map((r) => [r.list_id, Number(r.n)]));
    },

    /** Distinct confirmed, not erased subscribers of these lists: the size of a send to them. */
    async recipientCount(listIds: number[]): Promise<number> {
      if (listIds.length === 0) return 0;
      const row = await k
        .selectFrom("subscriptions as s")
        .innerJoin("subscribers as p", "p.id", "s.subscriber_id")
        .select((eb) => eb.fn.count<string | number>("s.subscriber_id").distinct().as("n"))
        .where("s.list_id", "in", listIds)
        .where("s.status", "=", "confirmed")
        .where("p.email", "is not", null)
        .executeTakeFirst();
      return Number(row?.n ?? 0);
    },

    /** The subscriber for an address, created when new. */
    async subscriberFor(email: string, name: string, at: string): Promise<number> {
      const found = await k.selectFrom("subscribers").select("id").where("email", "=", email).executeTakeFirst();
      if (found) return found.id;
      const row = await k
        .insertInto("subscribers")
        .values({ email, name, created_at: at })
        .onConflict((oc) => oc.column("email").doNothing())
        .returning("id")
        .executeTakeFirst();
      if (row) return row.id;
      // Inserted by a concurrent request between the two statements.
      return (await k.selectFrom("subscribers").select("id").where("email", "=", email).executeTakeFirstOrThrow()).id;
    },
    subscriberById: (id: number) => k.selectFrom("subscribers").selectAll().where("id", "=", id).executeTakeFirst(),

    subscription: (subscriberId: number, listId: number) =>
      k
        .selectFrom("subscriptions")
        .selectAll()
        .where("subscriber_id", "=", subscriberId)
        .where("list_id", "=", listId)
        .executeTakeFirst(),
    subscriptionById: (id: number) => k.selectFrom("subscriptions").selectAll().where("id", "=", id).executeTakeFirst(),
    subscriptionsOf: (subscriberId: number) =>
      k.selectFrom("subscriptions").selectAll().where("subscriber_id", "=", subscriberId).orderBy("list_id").execute(),

    async putSubscription(row: Insertable<SubscriptionsTable>): Promise<number> {
      const existing = await this.subscription(row.subscriber_id, row.list_id);
      if (!existing) {
        return (await k.insertInto("subscriptions").values(row).returning("id").executeTakeFirstOrThrow()).id;
      }
      await k.updateTable("subscriptions").set(row).where("id", "=", existing.id).execute();
      return existing.id;
    },
    async setStatus(ids: number[], patch: Partial<SubscriptionRow>): Promise<void> {
      if (ids.length) await k.updateTable("subscriptions").set(patch).where("id", "in", ids).execute();
    },

    /** Confirmed, not erased subscribers of a list, for a send. */
    confirmedOf: (listId: number) =>
      k
        .selectFrom("subscriptions as s")
        .innerJoin("subscribers as p", "p.id", "s.subscriber_id")
        .select(["s.id as subscription_id", "p.id as subscriber_id", "p.email", "p.name"])
        .where("s.list_id", "=", listId)
        .where("s.status", "=", "confirmed")
        .where("p.email", "is not", null)
        .orderBy("p.id")
        .execute(),

    /** Is per-subscriber click counting on (`audience_settings`; off when never set)? */
    perSubscriberClicks: async (): Promise<boolean> =>
      (await k.selectFrom("audience_settings").select("per_subscriber_clicks").where("id", "=", 1).executeTakeFirst())
        ?.per_subscriber_clicks === 1,
    async setPerSubscriberClicks(on: boolean): Promise<void> {
      const per_subscriber_clicks = on ? 1 : 0;
      await k
        .insertInto("audience_settings")
        .values({ id: 1, per_subscriber_clicks })
        .onConflict((oc) => oc.column("id").doUpdateSet({ per_subscriber_clicks }))
        .execute();
    },
  };
}
