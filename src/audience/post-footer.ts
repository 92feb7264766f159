/**
 * The end of a post: "Email this to a colleague" (a mailto: link that opens the reader's own mail
 * client; the server never sends to addresses a visitor types) and the subscribe form for the
 * public lists. Pages are cached, so the form's token is fetched by form-token.js when the visitor
 * starts filling it in; without the script /subscribe asks them to press Subscribe once more.
 */

import type { AppContext } from "../lib/context.ts";
import { type H, h } from "../lib/html.ts";
import type { BlockPost, PageBlock } from "../lib/module.ts";
import { assetUrl } from "../site/index.ts";
import { shownLists } from "./service.ts";
import type { ListRow } from "./store.ts";
import { subscribeForm } from "./views.ts";

export interface PostFooterInput {
  title: string;
  summary: string;
  /** Absolute URL of the post. */
  url: string;
  /** Public lists; none hides the form. */
  lists: ListRow[];
}

/** The mailto: link for sharing a post by email: subject and body (summary and link). Pure. */
export function shareMailto(title: string, summary: string, url: string): string {
  const link = `${url}${url.includes("?") ? "&" : "?"}ref=email-share`;
  const body = `${summary ? `${summary}\n\n` : ""}${link}`;
  return `mailto:?subject=${encodeURIComponent(title)}&body=${encodeURIComponent(body)}`;
}

/** The share link and subscribe form shown after a post. */
export function postFooter(f: PostFooterInput): H {
  return h`<aside class="post-footer wrap" aria-label="Share and subscribe">
<p class="share"><a href="${shareMailto(f.title, f.summary, f.url)}">Email this to a colleague</a></p>
${f.lists.length ? subscribeForm({ lists: f.lists, token: "", embedded: true }) : ""}
</aside>`;
}

/** The "post.after" block of every post (not of pages): the share link and the subscribe form. */
export async function postFooterBlock(ctx: AppContext, post: BlockPost): Promise<PageBlock | undefined> {
  if (post.kind === "page") return undefined;
  const lists = await shownLists(ctx);
  return {
    html: postFooter({ title: post.title, summary: post.summary, url: post.url, lists }),
    // Pages are cached, so the form gets its token from this script (see the module comment).
    scripts: lists.length ? [assetUrl("form-token.js")] : [],
  };
}
