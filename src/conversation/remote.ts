/**
 * Items that arrive from networks other modules speak (ActivityPub now, Bluesky next): the
 * module that receives them says what they are, and this file stores them under the same rules
 * as comments and Webmentions. A repeat (an edit) updates the item; replies wait for the owner
 * unless the author was approved before; likes and reposts carry no text and show at once; the
 * blocklists send matches to spam. The owner's answers and likes go back out through events
 * (`conversation.replied`, `conversation.liked`), which the network's module listens for.
 */
import type { AppContext } from "../lib/context.ts";
import type { ConversationKind, ConversationVia } from "../lib/db/schema.ts";
import { blockedBy } from "./comments/blocklist.ts";
import { conversationChanged } from "./comments/post-pages.ts";
import { afterStored, commentOutcome } from "./comments/service.ts";
import { sanitizeCommentHtml } from "./comments/text.ts";
import { crossKeys, sameItem } from "./same-item.ts";
import { blockStore, type ItemRow, itemStore } from "./store.ts";

/** One item from another network. */
export interface RemoteItem {
  via: Exclude<ConversationVia, "site" | "webmention">;
  /** Its id on that network (an ActivityPub object or activity URI): a repeat updates the item. */
  remoteId: string;
  postId: number;
  /** The item it answers (threads keep one level: a reply to a reply joins the top item). */
  parentId: number | null;
  kind: Extract<ConversationKind, "reply" | "like" | "repost" | "mention">;
  /** `key` names the author for moderation ("ap:<actor URI>"). */
  author: { key: string; name: string; url: string; photo: string };
  /** HTML from elsewhere: sanitized again here with the comments' allowlist. */
  html: string;
  text: string;
  /** The item's own page (its URL on the author's server). */
  sourceUrl: string;
  publishedAt: string;
}

/** Store (or update) an item; returns its row. */
export async function recordRemoteItem(ctx: AppContext, r: RemoteItem): Promise<ItemRow> {
  const items = itemStore(ctx.db);
  const at = ctx.now().toISOString();
  const fields = {
    kind: r.kind,
    author_name: (r.author.name || r.author.url).slice(0, 200),
    author_url: /^https?:\/\//.test(r.author.url) ? r.author.url : "",
    author_photo: /^https?:\/\//.test(r.author.photo) ? r.author.photo : "",
    text: r.text.slice(0, 5000),
    html: sanitizeCommentHtml(r.html),
    source_url: /^https?:\/\//.test(r.sourceUrl) ? r.sourceUrl : "",
    updated_at: at,
  };
  const existing = await items.byRemote(r.via, r.remoteId);
  if (existing) {
    const updated = (await items.update(existing.id, fields)) ?? existing;
    if (updated.status === "approved") await conversationChanged(ctx, updated.post_id);
    return updated;
  }
  // The same reply by another road (a bridge, Webmention): it appears once, as it first came.
  if (r.kind === "reply" || r.kind === "mention") {
    const same = await sameItem(ctx.db, r.postId, crossKeys(r.remoteId, fields.source_url));
    const row = same === undefined ? undefined : await items.byId(same);
    if (row) return row;
  }
  const blocked = blockedBy(await blockStore(ctx.db).all(), {
    name: fields.author_name,
    text: fields.text,
    url: `${fields.author_url} ${fields.source_url}`,
    email: "",
    ip: "",
  });
  const reaction = r.kind === "like" || r.kind === "repost";
  const status = blocked ? "spam" : reaction || (await items.approvedBefore(r.author.key)) ? "approved" : "pending";
  let parentId = r.parentId;
  if (parentId) parentId = (await items.byId(parentId))?.parent_id ?? parentId;
  const item = await items.insert({
    ...fields,
    post_id: r.postId,
    parent_id: parentId,
    via: r.via,
    status,
    status_note: blocked ?? "",
    author_key: r.author.key,
    remote_id: r.remoteId,
    confirmed_at: null,
    published_at: r.publishedAt,
    received_at: at,
  });
  await afterStored(ctx, item);
  if (r.kind === "reply" || r.kind === "mention") await commentOutcome(ctx, item);
  return item;
}

/** Remove an item its author deleted (or a like undone); returns whether there was one. */
export async function removeRemoteItem(ctx: AppContext, via: RemoteItem["via"], remoteId: string): Promise<boolean> {
  const items = itemStore(ctx.db);
  const item = await items.byRemote(via, remoteId);
  if (!item) return false;
  await items.remove([item.id]);
  if (item.status === "approved") await conversationChanged(ctx, item.post_id);
  return true;
}

/** Remove every item of an author (their account was deleted); returns how many. */
export async function removeAuthorItems(ctx: AppContext, authorKey: string): Promise<number> {
  const items = itemStore(ctx.db);
  const rows = await items.byAuthor(authorKey);
  await items.remove(rows.map((r) => r.id));
  for (const postId of new Set(rows.filter((r) => r.status === "approved").map((r) => r.post_id)))
    await conversationChanged(ctx, postId);
  return rows.length;
}

/** An item by id, or by its id on another network. */
export const conversationItem = (ctx: AppContext, id: number) => itemStore(ctx.db).byId(id);
export const conversationItemByRemote = (ctx: AppContext, via: RemoteItem["via"], remoteId: string) =>
  itemStore(ctx.db).byRemote(via, remoteId);
