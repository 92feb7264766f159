/**
 * The owner's side of the conversation: approve, mark as spam, delete, block the person or their
 * domain (their items become spam and what they send later goes straight there), and reply
 * inline (a native comment by the owner, threaded under the item it answers).
 */
import { postById, postPath } from "../content/index.ts";
import type { AppContext } from "../lib/context.ts";
import { NotFoundError, ValidationError } from "../lib/errors.ts";
import type { ConversationRef } from "../lib/module.ts";
import { conversationChanged } from "./comments/post-pages.ts";
import { afterStored, commentOutcome } from "./comments/service.ts";
import { commentHtml } from "./comments/text.ts";
import { blockStore, type ItemRow, itemStore } from "./store.ts";

export const moderationActions = ["approve", "spam", "delete", "block-person", "block-domain"] as const;
export type ModerationAction = (typeof moderationActions)[number];

/**
 * The domain an item came from: its source page's or its author's website's. Never the email's
 * (blocking gmail.com would block everyone who uses it) and never our own site.
 */
export function domainOf(item: Pick<ItemRow, "source_url" | "author_url">, ownHost: string): string | undefined {
  for (const u of [item.source_url, item.author_url]) {
    if (!u || !URL.canParse(u)) continue;
    const host = new URL(u).hostname.toLowerCase().replace(/^www\./, "");
    if (host !== ownHost) return host;
  }
  return undefined;
}

/** Apply an action to items; returns how many it changed. Unknown ids are reported in `missing`. */
export async function moderate(
  ctx: AppContext,
  ids: number[],
  action: ModerationAction,
): Promise<{ changed: number; missing: number[]; blocked: string[] }> {
  const items = itemStore(ctx.db);
  const rows = await items.byIds(ids);
  const missing = ids.filter((id) => !rows.some((r) => r.id === id));
  const at = ctx.now().toISOString();
  let changed = 0;
  const blocked: string[] = [];
  if (action === "approve") {
    const held = rows.filter((r) => r.status !== "approved");
    changed = await items.setStatus(
      held.map((r) => r.id),
      "approved",
      at,
    );
    for (const r of held) {
      await afterStored(ctx, { ...r, status: "approved" });
      await commentOutcome(ctx, { ...r, status: "approved" }); // now it counts
    }
  } else if (action === "spam") {
    changed = await items.setStatus(
      rows.map((r) => r.id),
      "spam",
      at,
      "marked as spam by hand",
    );
  } else if (action === "delete") {
    changed = await items.remove(rows.map((r) => r.id));
  } else {
    const blocks = blockStore(ctx.db);
    const keys = new Set<string>();
    const ownHost = new URL(ctx.config.baseUrl).hostname;
    // What identifies the person: their address, or (a Webmention) the site it came from. A
    // comment without an address names nobody: it becomes spam, and nothing else is blocked
    // (never the client's IP address, which may be everyone behind a proxy).
    const block = async (kind: "address" | "domain", value: string) => {
      await blocks.add(kind, [value], at);
      if (!blocked.includes(value)) blocked.push(value);
    };
    for (const r of rows) {
      if (action === "block-person") {
        if (r.author_email) await block("address", r.author_email);
        else if (r.author_key.startsWith("domain:")) await block("domain", r.author_key.slice(7));
        keys.add(r.author_key.startsWith("anon:") ? "" : r.author_key);
      } else {
        const d = domainOf(r, ownHost);
        if (!d) continue;
        await block("domain", d);
        keys.add(`domain:${d}`);
      }
    }
    keys.delete("");
    const note = blocked.length ? `blocked ${blocked.join(", ")}` : "marked as spam by hand (nothing to block by)";
    changed = await items.spamAuthors([...keys], at, note);
    // The ticked items are spam whatever else was blocked.
    changed += await items.setStatus(
      rows.filter((r) => r.status !== "spam" && !keys.has(r.author_key)).map((r) => r.id),
      "spam",
      at,
      note,
    );
  }
  for (const postId of new Set(rows.map((r) => r.post_id))) await conversationChanged(ctx, postId);
  return { changed, missing, blocked };
}

/** The owner answers an item: a native comment by them, threaded under it, published at once. */
export async function ownerReply(
  ctx: AppContext,
  user: { id: number; name: string },
  itemId: number,
  text: string,
): Promise<ItemRow> {
  const items = itemStore(ctx.db);
  const parent = await items.byId(itemId);
  if (!parent) throw new NotFoundError(`There is no conversation item ${itemId}.`);
  const body = text.trim();
  if (!body) throw new ValidationError("text: the reply is empty", { field: "text" });
  if (body.length > 10_000) throw new ValidationError("text: at most 10,000 characters", { field: "text" });
  if (parent.status === "spam")
    throw new ValidationError("text: this item is marked as spam; approve it first if you want to answer it", {
      field: "text",
    });
  // Answering a held item approves it: the owner would not answer what they mean to hide.
  if (parent.status !== "approved") await moderate(ctx, [parent.id], "approve");
  const at = ctx.now().toISOString();
  const reply = await items.insert({
    post_id: parent.post_id,
    parent_id: parent.parent_id ?? parent.id,
    kind: "reply",
    via: "site",
    status: "approved",
    author_name: user.name,
    author_url: ctx.config.baseUrl,
    author_key: `user:${user.id}`,
    owner_reply: 1,
    text: body,
    html: commentHtml(body),
    confirmed_at: null,
    published_at: at,
    received_at: at,
    updated_at: at,
  });
  await afterStored(ctx, reply);
  const post = await postById(ctx, parent.post_id);
  await ctx.host.emit(ctx, "conversation.replied", {
    replyId: reply.id,
    text: body,
    html: reply.html,
    to: refOf(parent),
    postUrl: post ? `${ctx.config.baseUrl}${postPath(post)}` : ctx.config.baseUrl,
  });
  return reply;
}

/** The owner likes an item that came from another network: its module sends the like there. */
export async function ownerLike(ctx: AppContext, itemId: number): Promise<ItemRow> {
  const item = await itemStore(ctx.db).byId(itemId);
  if (!item) throw new NotFoundError(`There is no conversation item ${itemId}.`);
  if (item.via === "site" || item.via === "webmention" || !item.remote_id)
    throw new ValidationError("Only items from the fediverse or Bluesky can be liked there.");
  if (item.kind !== "reply" && item.kind !== "comment" && item.kind !== "mention")
    throw new ValidationError("Only replies can be liked: this item is itself a like or a boost.");
  await ctx.host.emit(ctx, "conversation.liked", refOf(item));
  return item;
}

/** What other modules see of an item. */
export function refOf(i: ItemRow): ConversationRef {
  return {
    id: i.id,
    postId: i.post_id,
    via: i.via,
    remoteId: i.remote_id,
    authorKey: i.author_key,
    authorName: i.author_name,
    authorUrl: i.author_url,
    sourceUrl: i.source_url,
  };
}
