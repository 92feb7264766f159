/**
 * What comes in, after Fedify has verified its signature (and, queued, in a worker): follows and
 * their undoing, the answers to our own follows, blocks, moves and account deletions, reports;
 * likes, boosts and replies go to the conversation (inbox-items.ts). A handler that finds the
 * activity is not for us returns quietly: the sender gets no use from a retry.
 */
import type { Federation, InboxContext } from "@fedify/fedify";
import {
  Accept,
  Activity,
  Announce,
  Block,
  Create,
  Delete,
  Flag,
  Follow,
  isActor,
  Like,
  Move,
  Reject,
  Undo,
  Update,
} from "@fedify/vocab";
import { removeAuthorItems } from "../conversation/index.ts";
import type { AppContext } from "../lib/context.ts";
import { ACTOR } from "./actor.ts";
import { followActivityStore } from "./following-store.ts";
import { onAnnounce, onCreate, onDeleteObject, onLike, onUpdateObject, undoReaction } from "./inbox-items.ts";
import { lastPostOf } from "./interactions.ts";
import { fediBlockStore, followerStore, followingStore } from "./relations-store.ts";
import { ownHostInboxes, readRemoteActor } from "./remote.ts";
import { reportReceived } from "./reports.ts";
import { accountStore } from "./store.ts";

type Ctx = InboxContext<AppContext>;

const isOurActor = (ctx: Ctx, uri: URL | null) => !!uri && ctx.parseUri(uri)?.type === "actor";

async function onFollow(ctx: Ctx, follow: Follow): Promise<void> {
  if (!follow.id || !isOurActor(ctx, follow.objectId)) return;
  const actor = await follow.getActor();
  if (!actor?.id) return;
  const r = await readRemoteActor(actor, { documentLoader: ctx.documentLoader });
  const { inbox, sharedInbox } = ownHostInboxes(r);
  if (!inbox)
    return ctx.data.log.debug("fediverse: a follow with an inbox on another host was ignored", { actor: r.uri });
  const app = ctx.data;
  const host = new URL(r.uri).hostname;
  if (await fediBlockStore(app.db).blocks(r.uri, host)) return;
  const store = followerStore(app.db);
  const before = await store.byActor(r.uri);
  const { approveFollowers } = await accountStore(app.db).settings();
  const accepted = !approveFollowers || (before?.status === "accepted" && !before.removed_at);
  const row = await store.upsert({
    actor_uri: r.uri,
    handle: r.handle,
    name: r.name,
    icon_url: r.iconUrl ?? "",
    url: r.url,
    host,
    inbox_url: inbox,
    shared_inbox_url: sharedInbox ?? "",
    follow_id: follow.id.href,
    status: accepted ? "accepted" : "pending",
    via_post_id: await lastPostOf(app, r.uri),
    created_at: app.now().toISOString(),
  });
  if (row.status === "accepted") await answerFollow(ctx, row, "accept");
  // A new follower (not one following again) is an outcome, credited to the post they came from.
  if (!before || before.removed_at)
    await app.host.emit(app, "outcome", {
      kind: "follower",
      who: `ap:${r.uri}`,
      postId: row.via_post_id,
      note: r.handle,
    });
}

/** Accept or Reject a follower's Follow. */
export async function answerFollow(
  ctx: Pick<Ctx, "sendActivity" | "getActorUri">,
  f: { actor_uri: string; inbox_url: string; follow_id: string },
  answer: "accept" | "reject",
): Promise<void> {
  const me = ctx.getActorUri(ACTOR);
  const follow = new Follow({ id: new URL(f.follow_id), actor: new URL(f.actor_uri), object: me });
  const Kind = answer === "accept" ? Accept : Reject;
  const activity = new Kind({ id: new URL(`${me.href}#${answer}/${crypto.randomUUID()}`), actor: me, object: follow });
  await ctx.sendActivity({ identifier: ACTOR }, { id: new URL(f.actor_uri), inboxId: new URL(f.inbox_url) }, activity);
}

async function onUndo(ctx: Ctx, undo: Undo): Promise<void> {
  const object = await undo.getObject();
  if (!(object instanceof Activity) || object.actorId?.href !== undo.actorId?.href) return;
  if (object instanceof Follow) {
    if (undo.actorId)
      await followerStore(ctx.data.db).remove(
        { actorUri: undo.actorId.href },
        ctx.data.now().toISOString(),
        "unfollowed",
      );
  } else if ((object instanceof Like || object instanceof Announce) && object.id) {
    await undoReaction(ctx.data, object.id.href);
  }
}

/** The answer to one of our own Follows. */
async function onAnswer(ctx: Ctx, answer: Accept | Reject): Promise<void> {
  // Matched by our Follow's id, read from the answer without fetching it: the embedded Follow is
  // ours, and Fedify would not trust a copy of it from another server anyway.
  const followId = answer.objectId?.href;
  if (!followId || !answer.actorId) return;
  const store = followingStore(ctx.data.db);
  const row =
    (await followActivityStore(ctx.data.db).byFollowId(followId)) ?? (await store.byActor(answer.actorId.href));
  // Only the account that was asked may answer.
  if (row?.actor_uri !== answer.actorId.href) return;
  await store.setStatus(row.actor_uri, answer instanceof Accept ? "accepted" : "rejected");
}

/** A remote account blocked us: nothing more goes to it. */
async function onBlock(ctx: Ctx, block: Block): Promise<void> {
  if (!block.actorId || !isOurActor(ctx, block.objectId)) return;
  await followerStore(ctx.data.db).remove({ actorUri: block.actorId.href }, ctx.data.now().toISOString(), "blocked-us");
  await followingStore(ctx.data.db).remove(block.actorId.href);
}

/** A follower moved: the new account must name the old one among its aliases. */
async function onMove(ctx: Ctx, move: Move): Promise<void> {
  const from = move.actorId?.href;
  if (!from || move.objectId?.href !== from || !move.targetId) return;
  const store = followerStore(ctx.data.db);
  if (!(await store.byActor(from))) return;
  const target = await move.getTarget();
  if (!isActor(target) || !target.aliasIds.some((u) => u.href === from)) return;
  const r = await readRemoteActor(target, { documentLoader: ctx.documentLoader });
  const { inbox, sharedInbox } = ownHostInboxes(r);
  if (!inbox) return;
  await store.move(from, {
    actor_uri: r.uri,
    handle: r.handle,
    name: r.name,
    icon_url: r.iconUrl ?? "",
    url: r.url,
    host: new URL(r.uri).hostname,
    inbox_url: inbox,
    shared_inbox_url: sharedInbox ?? "",
  });
}

async function onDelete(ctx: Ctx, del: Delete): Promise<void> {
  const actor = del.actorId?.href;
  if (!actor || !del.objectId) return;
  // An account deleted itself: it follows no more, and what it said goes with it.
  if (del.objectId.href === actor) {
    await followerStore(ctx.data.db).remove({ actorUri: actor }, ctx.data.now().toISOString(), "deleted");
    await removeAuthorItems(ctx.data, `ap:${actor}`);
    return;
  }
  await onDeleteObject(ctx, del);
}

/** Register the inbox listeners. */
export function setupInbox(federation: Federation<AppContext>): void {
  federation
    .setInboxListeners("/ap/actor/{identifier}/inbox", "/ap/inbox")
    // Remote objects fetched while handling an activity are asked for with our key (servers in
    // authorized-fetch mode answer only signed requests).
    .setSharedKeyDispatcher(() => ({ identifier: ACTOR }))
    .on(Follow, onFollow)
    .on(Undo, onUndo)
    .on(Accept, onAnswer)
    .on(Reject, onAnswer)
    .on(Block, onBlock)
    .on(Move, onMove)
    .on(Delete, onDelete)
    .on(Like, onLike)
    .on(Announce, onAnnounce)
    .on(Create, onCreate)
    .on(Update, async (ctx, update) => {
      const object = await update.getObject();
      if (isActor(object) && object.id?.href === update.actorId?.href) {
        const r = await readRemoteActor(object, { documentLoader: ctx.documentLoader });
        await followerStore(ctx.data.db).refresh(r.uri, { name: r.name, icon_url: r.iconUrl ?? "", handle: r.handle });
      } else await onUpdateObject(ctx, update);
    })
    .on(Flag, (ctx, flag) => reportReceived(ctx, flag))
    .onError((ctx, error) =>
      ctx.data.log.debug("fediverse: an activity could not be handled", { error: String(error) }),
    );
}
