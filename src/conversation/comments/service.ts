/**
 * Comments on the site: checking and storing a reader's comment, deciding whether it publishes at
 * once or is held, and the commenter's own links (edit or delete within 15 minutes, confirm the
 * address, stop reply notifications). Rate limits and the form guard are the routes' job.
 *
 * Who publishes at once: someone whose comment (under the same address) was approved before, or a
 * confirmed subscriber who gives their address. Everyone else is held; a held commenter may
 * confirm their address by email, which moves the comment up the queue without publishing it.
 */
import { createHmac } from "node:crypto";
import { isConfirmedSubscriber } from "../../audience/index.ts";
import { postById } from "../../content/index.ts";
import type { AppContext } from "../../lib/context.ts";
import type { ConversationStatus } from "../../lib/db/schema.ts";
import { HttpError, NotFoundError, ValidationError } from "../../lib/errors.ts";
import type { ReaderRequest } from "../../lib/module.ts";
import { blockStore, type ItemRow, itemStore } from "../store.ts";
import { blockedBy } from "./blocklist.ts";
import { queueConfirmEmail, queueReplyNotice, scheduleOwnerNotice } from "./notices.ts";
import { type CommentState, commentStateOf } from "./policy.ts";
import { conversationChanged } from "./post-pages.ts";
import { commentHtml, linkCount } from "./text.ts";
import { commentOfToken, commentToken } from "./tokens.ts";

export const MAX_TEXT = 5000;
export const MAX_NAME = 80;
export const MAX_LINKS = 3;

/** What a reader typed. */
export interface CommentInput {
  postId: number;
  parentId?: number;
  name: string;
  url: string;
  email: string;
  text: string;
  notify: boolean;
}

/** The stored comment and the link to edit it (valid 15 minutes). */
export interface Posted {
  item: ItemRow;
  editToken: string;
}

const EMAIL = /^[^\s@<>"]+@[^\s@<>"]+\.[^\s@<>"]+$/;

/** Check the fields; throws ValidationError naming the field. Returns them trimmed. Pure. */
export function checkComment(input: CommentInput): CommentInput {
  const v = {
    ...input,
    name: input.name.trim(),
    url: input.url.trim(),
    email: input.email.trim(),
    text: input.text.trim(),
  };
  if (!v.name) throw new ValidationError("name: please give a name (any name you like)", { field: "name" });
  if (v.name.length > MAX_NAME) throw new ValidationError(`name: at most ${MAX_NAME} characters`, { field: "name" });
  if (!v.text) throw new ValidationError("text: the comment is empty", { field: "text" });
  if (v.text.length > MAX_TEXT)
    throw new ValidationError(`text: at most ${MAX_TEXT} characters (this one has ${v.text.length})`, {
      field: "text",
    });
  if (v.url) {
    if (!/^https?:\/\//i.test(v.url)) v.url = `https://${v.url}`;
    if (!URL.canParse(v.url) || v.url.length > 300 || !new URL(v.url).hostname.includes("."))
      throw new ValidationError("url: that is not a web address (like https://example.com)", { field: "url" });
  }
  if (v.email && (!EMAIL.test(v.email) || v.email.length > 254))
    throw new ValidationError("email: that is not an email address", { field: "email" });
  if (v.notify && !v.email)
    throw new ValidationError("email: give your address to be told of replies", { field: "email" });
  const links = linkCount(v.text);
  if (links > MAX_LINKS)
    throw new ValidationError(`text: at most ${MAX_LINKS} links in a comment (this one has ${links})`, {
      field: "text",
    });
  return v;
}

/** The post a comment goes under, if it is public and takes comments; throws otherwise. */
async function openPost(ctx: AppContext, postId: number): Promise<{ id: number; state: CommentState }> {
  const post = await postById(ctx, postId);
  const now = ctx.now().toISOString();
  if (post?.status !== "published" || !post.published_at || post.published_at > now)
    throw new NotFoundError("There is no post to comment on here.");
  const state = await commentStateOf(ctx, post.id, post.published_at);
  if (state !== "open") throw new HttpError(403, "Comments on this post are closed.");
  return { id: post.id, state };
}

/** Store a reader's comment (held, published or spam); see the module comment. */
export async function submitComment(
  ctx: AppContext,
  raw: CommentInput,
  ip: string,
  /** Ids of the comments this browser sent before (its signed cookie). */
  mine: number[],
  reader?: ReaderRequest,
): Promise<Posted> {
  const input = checkComment(raw);
  await openPost(ctx, input.postId);
  const items = itemStore(ctx.db);
  let parentId: number | null = null;
  if (input.parentId) {
    const parent = await items.byId(input.parentId);
    if (!parent || parent.post_id !== input.postId || parent.status !== "approved")
      throw new ValidationError("parent: the comment you replied to is not here any more", { field: "text" });
    // One level of threading: a reply to a reply joins its thread.
    parentId = parent.parent_id ?? parent.id;
  }
  const email = input.email.toLowerCase();
  const authorKey = email ? `email:${email}` : `anon:${ip}`;
  // A replayed form (sent twice, or by a script) would post the same comment again.
  if (await items.sameText(input.postId, authorKey, input.text))
    throw new ValidationError("text: you already sent this comment", { field: "text" });
  const blocked = blockedBy(await blockStore(ctx.db).all(), { ...input, ip });
  // This browser sent an approved comment under this address before; or a confirmed subscriber.
  const trusted =
    email !== "" && ((await items.approvedAmong(mine, authorKey)) || (await isConfirmedSubscriber(ctx, email)));
  const status: ConversationStatus = blocked ? "spam" : trusted ? "approved" : "pending";
  const statusNote = blocked ?? "";
  const at = ctx.now().toISOString();
  const item = await items.insert({
    post_id: input.postId,
    parent_id: parentId,
    kind: parentId ? "reply" : "comment",
    via: "site",
    status,
    status_note: statusNote,
    author_name: input.name,
    author_url: input.url,
    author_email: email,
    author_key: authorKey,
    text: input.text,
    html: commentHtml(input.text),
    notify_replies: input.notify ? 1 : 0,
    confirmed_at: null,
    published_at: at,
    received_at: at,
    updated_at: at,
  });
  if (blocked) ctx.log.info("comment marked as spam", { item: item.id, reason: blocked });
  await afterStored(ctx, item);
  if (!blocked) await commentOutcome(ctx, item, reader);
  return { item, editToken: commentToken(ctx, "comment-edit", item.id) };
}

/**
 * A comment or a reply from elsewhere is an outcome of the writing (the owner's own answers are
 * not). Its author is named by a keyed hash of their key: the same person twice is one person,
 * and no address reaches the outcome.
 */
export async function commentOutcome(ctx: AppContext, item: ItemRow, reader?: ReaderRequest): Promise<void> {
  if (item.owner_reply || item.status === "spam") return;
  const who = `person:${createHmac("sha256", ctx.secret).update(item.author_key).digest("base64url").slice(0, 22)}`;
  const note = item.via === "site" ? "on the site" : `by ${item.via}`;
  // Held for the owner: kept with its visit, counted when approved (spam never is).
  const pending = item.status !== "approved";
  await ctx.host.emit(ctx, "outcome", { kind: "comment", who, postId: item.post_id, reader, note, pending });
}

/** What follows a new or newly approved item: pages, notices. */
export async function afterStored(ctx: AppContext, item: ItemRow): Promise<void> {
  if (item.status === "approved") {
    await conversationChanged(ctx, item.post_id);
    if (item.parent_id) await queueReplyNotice(ctx, item);
  } else if (item.status === "pending") {
    await scheduleOwnerNotice(ctx);
    if (item.via === "site" && item.author_email && !item.owner_reply) await queueConfirmEmail(ctx, item);
  }
}

/** The comment an edit link names, if the link is still valid. */
export async function editable(ctx: AppContext, token: string): Promise<ItemRow> {
  const id = commentOfToken(ctx, "comment-edit", token);
  const item = id ? await itemStore(ctx.db).byId(id) : undefined;
  if (!item)
    throw new HttpError(403, "This link has expired: comments can be changed for 15 minutes after they are sent.");
  return item;
}

/** Change your own comment's text within the 15 minutes. */
export async function editComment(ctx: AppContext, token: string, text: string): Promise<ItemRow> {
  const item = await editable(ctx, token);
  const v = checkComment({
    postId: item.post_id,
    name: item.author_name,
    url: item.author_url,
    email: item.author_email,
    text,
    notify: false,
  });
  // The edit is checked like a new comment: a blocked word or domain sends it to spam.
  const blocked = blockedBy(await blockStore(ctx.db).all(), { ...v, ip: "" });
  const updated = await itemStore(ctx.db).update(item.id, {
    text: v.text,
    html: commentHtml(v.text),
    updated_at: ctx.now().toISOString(),
    ...(blocked ? { status: "spam" as const, status_note: blocked } : {}),
  });
  if (item.status === "approved") await conversationChanged(ctx, item.post_id);
  return updated ?? item;
}

/** Delete your own comment within the 15 minutes. */
export async function deleteOwnComment(ctx: AppContext, token: string): Promise<ItemRow> {
  const item = await editable(ctx, token);
  await itemStore(ctx.db).remove([item.id]);
  if (item.status === "approved") await conversationChanged(ctx, item.post_id);
  return item;
}

/** A held commenter confirmed their address: their comment moves to the top of the queue. */
export async function confirmAddress(ctx: AppContext, token: string): Promise<ItemRow> {
  const id = commentOfToken(ctx, "comment-confirm", token);
  const item = id ? await itemStore(ctx.db).byId(id) : undefined;
  if (!item) throw new NotFoundError("This confirmation link is not valid any more.");
  if (!item.confirmed_at)
    return (await itemStore(ctx.db).update(item.id, { confirmed_at: ctx.now().toISOString() })) ?? item;
  return item;
}

/** Stop reply notifications for a comment (one click from the email). */
export async function stopNotifications(ctx: AppContext, token: string): Promise<ItemRow> {
  const id = commentOfToken(ctx, "comment-unsubscribe", token);
  const item = id ? await itemStore(ctx.db).byId(id) : undefined;
  if (!item) throw new NotFoundError("This link is not valid any more.");
  await itemStore(ctx.db).update(item.id, { notify_replies: 0 });
  return item;
}
