/** SQL of the account's relations: followers, accounts followed, blocks and pinned posts. */
import type { Insertable, Selectable } from "kysely";
import { sql } from "kysely";
import type { Db } from "../lib/db/index.ts";
import type { FediFollowersTable, FediFollowingTable } from "../lib/db/schema.ts";

export type FollowerRow = Selectable<FediFollowersTable>;
export type NewFollower = Omit<Insertable<FediFollowersTable>, "id" | "removed_at" | "removed_reason">;
export type FollowingRow = Selectable<FediFollowingTable>;

/** Followers, current and past. */
export function followerStore(db: Db) {
  const k = db.kysely;
  const live = () => k.selectFrom("fedi_followers").where("removed_at", "is", null);
  return {
    /** Add or renew a follower (a repeated Follow, or a past follower back). */
    async upsert(row: NewFollower): Promise<FollowerRow> {
      const { actor_uri: _uri, created_at: _at, via_post_id: _via, ...renew } = row;
      return k
        .insertInto("fedi_followers")
        .values(row)
        .onConflict((oc) =>
          oc.column("actor_uri").doUpdateSet({
            ...renew,
            // A follower back after leaving counts from now; one still here keeps its date.
            created_at: sql`CASE WHEN fedi_followers.removed_at IS NULL THEN fedi_followers.created_at ELSE ${row.created_at} END`,
            removed_at: null,
            removed_reason: "",
          }),
        )
        .returningAll()
        .executeTakeFirstOrThrow();
    },
    byActor: (uri: string) =>
      k.selectFrom("fedi_followers").selectAll().where("actor_uri", "=", uri).executeTakeFirst(),
    byId: (id: number) => k.selectFrom("fedi_followers").selectAll().where("id", "=", id).executeTakeFirst(),
    /** Accepted followers after `afterId`, by id (the followers collection and deliveries). */
    page: (afterId: number, limit: number) =>
      live()
        .selectAll()
        .where("status", "=", "accepted")
        .where("id", ">", afterId)
        .orderBy("id")
        .limit(limit)
        .execute(),
    async count(status: "accepted" | "pending" = "accepted"): Promise<number> {
      const r = await live()
        .select((eb) => eb.fn.countAll<string | number>().as("n"))
        .where("status", "=", status)
        .executeTakeFirstOrThrow();
      return Number(r.n);
    },
    /** For the admin: the newest first, with paging by id. */
    list: (status: "accepted" | "pending", limit: number, beforeId?: number) => {
      let q = live().selectAll().where("status", "=", status);
      if (beforeId) q = q.where("id", "<", beforeId);
      return q.orderBy("id", "desc").limit(limit).execute();
    },
    async accept(id: number): Promise<void> {
      await k.updateTable("fedi_followers").set({ status: "accepted" }).where("id", "=", id).execute();
    },
    /** Remove followers (kept as past followers, with the reason). */
    async remove(where: { actorUri?: string; host?: string; id?: number }, at: string, reason: string) {
      let q = k.updateTable("fedi_followers").set({ removed_at: at, removed_reason: reason });
      if (where.actorUri) q = q.where("actor_uri", "=", where.actorUri);
      else if (where.host) q = q.where("host", "=", where.host);
      else if (where.id) q = q.where("id", "=", where.id);
      else return 0;
      const r = await q.where("removed_at", "is", null).executeTakeFirst();
      return Number(r.numUpdatedRows);
    },
    /** A follower moved to another account: the row now names the new one. */
    async move(
      fromUri: string,
      to: Pick<
        FollowerRow,
        "actor_uri" | "handle" | "name" | "icon_url" | "url" | "host" | "inbox_url" | "shared_inbox_url"
      >,
    ) {
      await k
        .deleteFrom("fedi_followers")
        .where("actor_uri", "=", to.actor_uri)
        .where("removed_at", "is not", null)
        .execute();
      await k.updateTable("fedi_followers").set(to).where("actor_uri", "=", fromUri).execute();
    },
    /** A follower changed their name or picture. */
    async refresh(uri: string, v: Pick<FollowerRow, "name" | "icon_url" | "handle">): Promise<void> {
      await k.updateTable("fedi_followers").set(v).where("actor_uri", "=", uri).execute();
    },
    /** Every follow and leave, for the count over time. */
    history: () =>
      k.selectFrom("fedi_followers").select(["created_at", "removed_at", "status"]).orderBy("created_at").execute(),
  };
}

/** Accounts the site follows. */
export function followingStore(db: Db) {
  const k = db.kysely;
  return {
    async upsert(row: Insertable<FediFollowingTable>): Promise<void> {
      const { actor_uri: _u, created_at: _c, ...rest } = row;
      await k
        .insertInto("fedi_following")
        .values(row)
        .onConflict((oc) => oc.column("actor_uri").doUpdateSet(rest))
        .execute();
    },
    byActor: (uri: string) =>
      k.selectFrom("fedi_following").selectAll().where("actor_uri", "=", uri).executeTakeFirst(),
    async setStatus(uri: string, status: FollowingRow["status"]): Promise<void> {
      await k.updateTable("fedi_following").set({ status }).where("actor_uri", "=", uri).execute();
    },
    async remove(uri: string): Promise<void> {
      await k.deleteFrom("fedi_following").where("actor_uri", "=", uri).execute();
    },
    async count(): Promise<number> {
      const r = await k
        .selectFrom("fedi_following")
        .select((eb) => eb.fn.countAll<string | number>().as("n"))
        .where("status", "=", "accepted")
        .executeTakeFirstOrThrow();
      return Number(r.n);
    },
    accepted: (afterId: number, limit: number) =>
      k
        .selectFrom("fedi_following")
        .selectAll()
        .where("status", "=", "accepted")
        .where("id", ">", afterId)
        .orderBy("id")
        .limit(limit)
        .execute(),
  };
}

/** The owner's blocks of accounts and servers. */
export function fediBlockStore(db: Db) {
  const k = db.kysely;
  return {
    /** Add a block; false when it was there already. */
    async add(kind: "actor" | "domain", value: string, at: string): Promise<boolean> {
      const r = await k
        .insertInto("fedi_blocks")
        .values({ kind, value, created_at: at })
        .onConflict((oc) => oc.columns(["kind", "value"]).doNothing())
        .executeTakeFirst();
      return Number(r.numInsertedOrUpdatedRows ?? 0) > 0;
    },
    /** Remove a block; false when there was none. */
    async remove(id: number): Promise<boolean> {
      const r = await k.deleteFrom("fedi_blocks").where("id", "=", id).executeTakeFirst();
      return Number(r.numDeletedRows) > 0;
    },
    all: () => k.selectFrom("fedi_blocks").selectAll().orderBy("id", "desc").execute(),
    /** Whether an actor, or its server (or a parent domain of it), is blocked. */
    async blocks(actorUri: string, host: string): Promise<boolean> {
      const parents = host.split(".").map((_, i, parts) => parts.slice(i).join("."));
      const r = await k
        .selectFrom("fedi_blocks")
        .select("id")
        .where((eb) =>
          eb.or([
            eb.and([eb("kind", "=", "actor"), eb("value", "=", actorUri)]),
            eb.and([eb("kind", "=", "domain"), eb("value", "in", parents)]),
          ]),
        )
        .executeTakeFirst();
      return r !== undefined;
    },
  };
}

/** Posts pinned to the profile (the `featured` collection). */
export function pinStore(db: Db) {
  const k = db.kysely;
  return {
    ids: async (): Promise<number[]> =>
      (await k.selectFrom("fedi_pins").select("post_id").orderBy("pinned_at", "desc").execute()).map((r) => r.post_id),
    async set(postId: number, pinned: boolean, at: string): Promise<void> {
      if (!pinned) await k.deleteFrom("fedi_pins").where("post_id", "=", postId).execute();
      else
        await k
          .insertInto("fedi_pins")
          .values({ post_id: postId, pinned_at: at })
          .onConflict((oc) => oc.column("post_id").doNothing())
          .execute();
    },
  };
}
