/**
 * What goes out: a post's Create, Update or Delete to every follower (shared inboxes, through
 * Fedify's queue on our jobs table), and the owner's answers and likes from the conversation
 * inbox to the account they answer. Listeners of module events: they queue and return.
 */
import type { Context } from "@fedify/fedify";
import { Create, isActor, Like, Mention, Note, PUBLIC_COLLECTION } from "@fedify/vocab";
import { Temporal } from "@js-temporal/polyfill";
import { postById } from "../content/index.ts";
import type { AppContext } from "../lib/context.ts";
import { h } from "../lib/html.ts";
import type { ConversationRef, OwnerReply, PostChange } from "../lib/module.ts";
import { ACTOR } from "./actor.ts";
import { fetchObject, loadersOf } from "./lookup.ts";
import { createOf, deleteOf, FEDERATED_KINDS, federates, updateOf } from "./posts.ts";
import { ownHostInboxes, readRemoteActor } from "./remote.ts";

async function contextOf(app: AppContext): Promise<Context<AppContext>> {
  // Loaded here, not with the module: a site that never federates never loads Fedify.
  const { federationOf } = await import("./federation.ts");
  return federationOf(app).createContext(new URL(app.config.baseUrl), app);
}

const urisOf = (ctx: Context<AppContext>) => ({ actor: ctx.getActorUri(ACTOR), followers: ctx.getFollowersUri(ACTOR) });

/** A post changed: tell the followers. */
export async function onPostChanged(app: AppContext, change: PostChange): Promise<void> {
  if (!(FEDERATED_KINDS as readonly string[]).includes(change.kind)) return;
  const ctx = await contextOf(app);
  const uris = urisOf(ctx);
  let activity:
    | Awaited<ReturnType<typeof createOf>>
    | Awaited<ReturnType<typeof updateOf>>
    | ReturnType<typeof deleteOf>;
  if (change.change === "removed") activity = deleteOf(app, change.postId, uris);
  else {
    const post = await postById(app, change.postId);
    if (!post || !federates(post, app.now())) return;
    activity = change.change === "published" ? await createOf(app, post, uris) : await updateOf(app, post, uris);
  }
  await ctx.sendActivity({ identifier: ACTOR }, "followers", activity, {
    preferSharedInbox: true,
    // A post's Delete must not overtake its Create.
    orderingKey: `post:${change.postId}`,
    excludeBaseUris: [new URL(app.config.baseUrl)],
  });
}

/** The account an item came from, looked up, with its inbox on its own host; or undefined. */
async function authorOf(ctx: Context<AppContext>, ref: ConversationRef) {
  if (ref.via !== "activitypub" || !ref.remoteId || !ref.authorKey.startsWith("ap:")) return undefined;
  const actor = await fetchObject(ref.authorKey.slice(3), await loadersOf(ctx)).catch(() => null);
  if (!isActor(actor) || !actor.id) return undefined;
  const r = await readRemoteActor(actor, { documentLoader: ctx.documentLoader });
  const { inbox } = ownHostInboxes(r);
  return inbox ? { actor, who: r, recipient: { id: actor.id, inboxId: new URL(inbox) } } : undefined;
}

/** The owner answered a fediverse reply: a Note in reply to it, to its author, mentioning them. */
export async function onOwnerReply(app: AppContext, reply: OwnerReply): Promise<void> {
  if (reply.to.via !== "activitypub") return;
  const ctx = await contextOf(app);
  const author = await authorOf(ctx, reply.to);
  if (!author || !reply.to.remoteId) {
    app.log.warn("fediverse: the author of an answered reply could not be looked up", { item: reply.to.id });
    return;
  }
  const { who, recipient } = author;
  const actor = { id: recipient.id };
  const me = ctx.getActorUri(ACTOR);
  const mention = String(
    h`<span class="h-card"><a href="${who.url || who.uri}" class="u-url mention">${who.handle}</a></span>`,
  );
  const id = new URL(`/ap/replies/${reply.replyId}`, app.config.baseUrl);
  const note = new Note({
    id,
    attribution: me,
    replyTarget: new URL(reply.to.remoteId),
    content: `<p>${mention}</p>${reply.html}`,
    url: new URL(`${reply.postUrl}#comment-${reply.replyId}`),
    published: Temporal.Now.instant() as never,
    to: actor.id,
    cc: PUBLIC_COLLECTION,
    tags: [new Mention({ href: actor.id, name: who.handle })],
  });
  await ctx.sendActivity(
    { identifier: ACTOR },
    recipient,
    new Create({ id: new URL(`${id.href}#create`), actor: me, object: note, to: actor.id, cc: PUBLIC_COLLECTION }),
  );
}

/** The owner liked a fediverse reply. */
export async function onOwnerLike(app: AppContext, ref: ConversationRef): Promise<void> {
  if (ref.via !== "activitypub" || !ref.remoteId) return;
  const ctx = await contextOf(app);
  const author = await authorOf(ctx, ref);
  if (!author) return;
  const me = ctx.getActorUri(ACTOR);
  await ctx.sendActivity(
    { identifier: ACTOR },
    author.recipient,
    new Like({ id: new URL(`${me.href}#likes/${ref.id}`), actor: me, object: new URL(ref.remoteId) }),
  );
}
