/**
 * Likes, boosts and replies to our posts become conversation items (via "activitypub"), moderated
 * like comments; edits and deletions of those replies are honoured. A reply may answer our post
 * (its object id or its page), the owner's answer to someone, or a reply we already keep.
 */
import type { InboxContext } from "@fedify/fedify";
import type { Actor, Announce, Create, Delete, Like, Update } from "@fedify/vocab";
import { Article, ChatMessage, isActor, Note, Question } from "@fedify/vocab";
import { postBySlug } from "../content/index.ts";
import {
  conversationItem,
  conversationItemByRemote,
  recordRemoteItem,
  removeRemoteItem,
} from "../conversation/index.ts";
import type { AppContext } from "../lib/context.ts";
import { h, raw } from "../lib/html.ts";
import { fromFollowed } from "./following-items.ts";
import { notePosted } from "./interactions.ts";
import { fetchObject } from "./lookup.ts";
import { federates, postOfObject } from "./posts.ts";
import { type RemoteNote, readRemoteActor, readRemoteNote } from "./remote.ts";

type Ctx = InboxContext<AppContext>;

/** What a URI answers on our side: a post, and the item within its conversation, if any. */
export async function targetOf(
  app: AppContext,
  uri: string,
): Promise<{ postId: number; parentId: number | null } | undefined> {
  if (uri.startsWith(`${app.config.baseUrl}/`)) {
    const path = new URL(uri).pathname;
    const post = await postOfObject(app, uri);
    if (post) return { postId: post.id, parentId: null };
    const page = /^\/posts\/([^/]+)$/.exec(path);
    if (page) {
      const p = await postBySlug(app, decodeURIComponent(page[1]));
      return p && federates(p, app.now()) ? { postId: p.id, parentId: null } : undefined;
    }
    const reply = /^\/ap\/replies\/(\d+)$/.exec(path);
    const item = reply ? await conversationItem(app, Number(reply[1])) : undefined;
    return item ? { postId: item.post_id, parentId: item.id } : undefined;
  }
  const item = await conversationItemByRemote(app, "activitypub", uri);
  return item ? { postId: item.post_id, parentId: item.id } : undefined;
}

const authorOf = async (ctx: Ctx, actor: Actor) => {
  const r = await readRemoteActor(actor, { documentLoader: ctx.documentLoader });
  return { key: `ap:${r.uri}`, name: r.name || r.handle, url: r.url || r.uri, photo: r.iconUrl ?? "" };
};

/** A note's HTML as shown in the thread: its content warning first, its images as links with their alt text. */
export function noteHtml(n: RemoteNote): string {
  const cw = n.contentWarning ? h`<p><strong>Content warning: ${n.contentWarning}</strong></p>` : "";
  const media = n.attachments.map(
    (a) => h`<p><a href="${a.url}">${a.alt ? `Image: ${a.alt}` : "An image (no description)"}</a></p>`,
  );
  // n.html was sanitized by readRemoteNote.
  return String(h`${cw}${raw(n.html)}${media}`);
}

async function reaction(ctx: Ctx, activity: Like | Announce, kind: "like" | "repost"): Promise<void> {
  if (!activity.id || !activity.objectId) return;
  const target = await targetOf(ctx.data, activity.objectId.href);
  if (!target || target.parentId) return;
  const actor = await activity.getActor();
  if (!actor?.id) return;
  await recordRemoteItem(ctx.data, {
    via: "activitypub",
    remoteId: activity.id.href,
    postId: target.postId,
    parentId: null,
    kind,
    author: await authorOf(ctx, actor),
    html: "",
    text: "",
    sourceUrl: actor.url instanceof URL ? actor.url.href : actor.id.href,
    publishedAt: (activity.published ? new Date(activity.published.toString()) : ctx.data.now()).toISOString(),
  });
  await notePosted(ctx.data, actor.id.href, target.postId);
}

export const onLike = (ctx: Ctx, like: Like) => reaction(ctx, like, "like");

/** A boost of our post is a repost in its conversation; any other boost may be a followed account's. */
export async function onAnnounce(ctx: Ctx, announce: Announce): Promise<void> {
  const target = announce.objectId ? await targetOf(ctx.data, announce.objectId.href) : undefined;
  if (target && !target.parentId) await reaction(ctx, announce, "repost");
  else await fromFollowed(ctx, announce);
}

/** A like or boost taken back. */
export async function undoReaction(app: AppContext, activityId: string): Promise<void> {
  await removeRemoteItem(app, "activitypub", activityId);
}

/** Store a note that answers us; returns whether it did. */
async function storeNote(ctx: Ctx, object: unknown, actorId: URL | null): Promise<boolean> {
  if (
    !(
      object instanceof Note ||
      object instanceof Article ||
      object instanceof Question ||
      object instanceof ChatMessage
    )
  )
    return false;
  const note = await readRemoteNote(object, { documentLoader: ctx.documentLoader });
  if (!note.inReplyTo || !actorId || note.attributedTo !== actorId.href) return false;
  const target = await targetOf(ctx.data, note.inReplyTo);
  if (!target) return false;
  const actor = await fetchObject(actorId.href, ctx);
  if (!isActor(actor) || !actor.id) return false;
  await recordRemoteItem(ctx.data, {
    via: "activitypub",
    remoteId: note.id,
    postId: target.postId,
    parentId: target.parentId,
    kind: "reply",
    author: await authorOf(ctx, actor),
    html: noteHtml(note),
    text: note.contentWarning ? `${note.contentWarning}\n\n${note.text}` : note.text,
    sourceUrl: note.url,
    publishedAt: note.published ?? ctx.data.now().toISOString(),
  });
  await notePosted(ctx.data, actorId.href, target.postId);
  return true;
}

export async function onCreate(ctx: Ctx, create: Create): Promise<void> {
  // Not an answer to us: perhaps a post of an account the reader follows.
  if (!(await storeNote(ctx, await create.getObject(), create.actorId))) await fromFollowed(ctx, create);
}

/** An edit of a reply we keep (an edit of anything else is not ours to store). */
export async function onUpdateObject(ctx: Ctx, update: Update): Promise<void> {
  const object = await update.getObject();
  const id = object?.id?.href;
  if (!id || !(await conversationItemByRemote(ctx.data, "activitypub", id))) return;
  await storeNote(ctx, object, update.actorId);
}

/** A deleted reply: gone from the thread too, if its author deleted it. */
export async function onDeleteObject(ctx: Ctx, del: Delete): Promise<void> {
  const id = del.objectId?.href;
  const item = id ? await conversationItemByRemote(ctx.data, "activitypub", id) : undefined;
  if (id && item && item.author_key === `ap:${del.actorId?.href}`) await removeRemoteItem(ctx.data, "activitypub", id);
}
