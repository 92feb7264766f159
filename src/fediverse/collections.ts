/**
 * The actor's collections: followers (also the recipients of every post), following, the outbox
 * (the Creates of public posts, newest first) and featured (the pinned posts). Followers and
 * following are paged by id; a delivery asks for all followers at once.
 */
import type { Federation } from "@fedify/fedify";
import type { Recipient } from "@fedify/vocab";
import { countPosts, listPostRows, postById } from "../content/index.ts";
import type { AppContext } from "../lib/context.ts";
import { ACTOR } from "./actor.ts";
import { postObject } from "./post-object.ts";
import { createOf, FEDERATED_KINDS, federates, outgoingPost } from "./posts.ts";
import { followerStore, followingStore, pinStore } from "./relations-store.ts";

const PAGE = 50;
const OUTBOX_PAGE = 20;

const recipientOf = (f: { actor_uri: string; inbox_url: string; shared_inbox_url: string }): Recipient => ({
  id: new URL(f.actor_uri),
  inboxId: new URL(f.inbox_url),
  endpoints: f.shared_inbox_url ? { sharedInbox: new URL(f.shared_inbox_url) } : null,
});

/** Every accepted follower as a recipient (for a delivery), optionally only those on one server. */
export async function allFollowers(app: AppContext, only?: URL): Promise<Recipient[]> {
  const store = followerStore(app.db);
  const out: Recipient[] = [];
  for (let after = 0; ; ) {
    const rows = await store.page(after, 1000);
    for (const r of rows) if (!only || new URL(r.actor_uri).origin === only.origin) out.push(recipientOf(r));
    if (rows.length < 1000) return out;
    after = rows[rows.length - 1].id;
  }
}

/** A cursor as a number: a row id or an offset; anything else (or out of range) is the start. */
const cursorOf = (c: string | null) => {
  const n = c && /^\d{1,15}$/.test(c) ? Number(c) : 0;
  return Number.isSafeInteger(n) ? n : 0;
};

/** Posts on the fediverse, for the outbox's count and NodeInfo. */
export const federatedPostCount = (app: AppContext) =>
  countPosts(app, { status: "published", kinds: [...FEDERATED_KINDS] });

/** Register the collections on the federation. */
export function setupCollections(federation: Federation<AppContext>): void {
  federation
    .setFollowersDispatcher("/ap/actor/{identifier}/followers", async (ctx, identifier, cursor, filter) => {
      if (identifier !== ACTOR) return null;
      // A delivery (no request) takes every follower at once; a reader of the collection pages.
      if (cursor === null) return "request" in ctx ? null : { items: await allFollowers(ctx.data, filter) };
      const rows = await followerStore(ctx.data.db).page(cursorOf(cursor), PAGE);
      const last = rows.at(-1);
      return {
        items: rows.filter((r) => !filter || new URL(r.actor_uri).origin === filter.origin).map(recipientOf),
        nextCursor: rows.length === PAGE && last ? String(last.id) : null,
      };
    })
    .setFirstCursor(() => "0")
    .setCounter((ctx) => followerStore(ctx.data.db).count());

  federation
    .setFollowingDispatcher("/ap/actor/{identifier}/following", async (ctx, identifier, cursor) => {
      if (identifier !== ACTOR || cursor === null) return null;
      const rows = await followingStore(ctx.data.db).accepted(cursorOf(cursor), PAGE);
      const last = rows.at(-1);
      return {
        items: rows.map((r) => new URL(r.actor_uri)),
        nextCursor: rows.length === PAGE && last ? String(last.id) : null,
      };
    })
    .setFirstCursor(() => "0")
    .setCounter((ctx) => followingStore(ctx.data.db).count());

  federation
    .setOutboxDispatcher("/ap/actor/{identifier}/outbox", async (ctx, identifier, cursor) => {
      if (identifier !== ACTOR || cursor === null) return null;
      const offset = cursorOf(cursor);
      const uris = { actor: ctx.getActorUri(ACTOR), followers: ctx.getFollowersUri(ACTOR) };
      const rows = await listPostRows(ctx.data, {
        status: "published",
        kinds: [...FEDERATED_KINDS],
        publishedBefore: ctx.data.now().toISOString(),
        limit: OUTBOX_PAGE,
        offset,
      });
      return {
        items: await Promise.all(rows.map((p) => createOf(ctx.data, p, uris))),
        nextCursor: rows.length === OUTBOX_PAGE ? String(offset + OUTBOX_PAGE) : null,
      };
    })
    .setFirstCursor(() => "0")
    .setCounter((ctx) => federatedPostCount(ctx.data));

  federation
    .setFeaturedDispatcher("/ap/actor/{identifier}/featured", async (ctx, identifier) => {
      if (identifier !== ACTOR) return null;
      const uris = { actor: ctx.getActorUri(ACTOR), followers: ctx.getFollowersUri(ACTOR) };
      const items = [];
      for (const id of await pinStore(ctx.data.db).ids()) {
        const p = await postById(ctx.data, id);
        if (p && federates(p, ctx.data.now())) items.push(postObject(await outgoingPost(ctx.data, p, uris)));
      }
      return { items };
    })
    .setCounter(async (ctx) => (await pinStore(ctx.data.db).ids()).length);
}
