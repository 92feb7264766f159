/**
 * The conversation's blocks on shared pages: under each post (inside its h-entry, so comments are
 * its u-comment), the conversation and the comment form; in listings, each post's comment count.
 */
import { postById } from "../content/index.ts";
import type { AppContext } from "../lib/context.ts";
import { type H, h } from "../lib/html.ts";
import type { BlockPost, PageBlock } from "../lib/module.ts";
import { assetUrl, loadChrome } from "../site/index.ts";
import { commentStateOf } from "./comments/policy.ts";
import { memo } from "./memo.ts";
import { itemStore } from "./store.ts";
import { commentForm } from "./views/form.ts";
import { threadHtml } from "./views/thread.ts";

const NO_CONVERSATION = new Set(["page", "digest"]);

/**
 * The post page's conversation block, made once per page-cache generation (see memo.ts): like
 * the cached page it is part of, it changes when the conversation or the settings do.
 */
export function conversationBlock(ctx: AppContext, post: BlockPost): Promise<PageBlock | undefined> {
  if (NO_CONVERSATION.has(post.kind)) return Promise.resolve(undefined);
  // The date part of the key: comments that close after N days close on the right day.
  return memo(ctx, `block:${post.id}:${ctx.now().toISOString().slice(0, 10)}`, () => makeBlock(ctx, post));
}

async function makeBlock(ctx: AppContext, post: BlockPost): Promise<PageBlock | undefined> {
  const [items, chrome, state] = await Promise.all([
    itemStore(ctx.db).approvedOf(post.id),
    loadChrome(ctx),
    commentStateOf(ctx, post.id, post.publishedAt ?? (await postById(ctx, post.id))?.published_at ?? null),
  ]);
  if (state === "off" && !items.length) return undefined;
  // As the thread shows them: a reply under a hidden (held or spam) item is not shown, nor counted.
  const shownIds = new Set(items.map((i) => i.id));
  const comments = items.filter(
    (i) => i.kind !== "like" && i.kind !== "repost" && (!i.parent_id || shownIds.has(i.parent_id)),
  ).length;
  const feed = `/comments/${post.slug}/feed.atom`;
  return {
    html: h`<section class="conversation wrap" id="comments" aria-labelledby="comments-heading">
<h2 id="comments-heading">${comments ? `${comments} ${comments === 1 ? "comment" : "comments"}` : "Conversation"}</h2>
${threadHtml(items, chrome.settings.language, state === "open")}
${
  state === "open"
    ? commentForm({ postId: post.id }, "Leave a comment")
    : h`<p class="hint">${state === "closed" ? "Comments on this post are closed." : "Comments are off for this post."}</p>`
}
<p class="hint"><a href="${feed}">Comments feed</a> · You can also answer from your own site: this post accepts <a href="https://www.w3.org/TR/webmention/">Webmentions</a>.</p>
</section>`,
    scripts: state === "open" ? [assetUrl("form-token.js"), assetUrl("inplace-form.js")] : [],
  };
}

/** "3 comments" on listed posts that have some. */
export async function commentCounts(ctx: AppContext, postIds: number[]): Promise<Map<number, H>> {
  const counts = await itemStore(ctx.db).countsOf(postIds);
  const out = new Map<number, H>();
  for (const [id, n] of counts)
    out.set(id, h`<span class="comment-count">${n} ${n === 1 ? "comment" : "comments"}</span>`);
  return out;
}
