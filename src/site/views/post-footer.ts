/**
 * The end of a post: "Email this to a colleague" (a mailto: link that opens the reader's own mail
 * client; the server never sends to addresses a visitor types) and the subscribe form for the
 * public lists. Pages are cached, so the form's token is fetched by form-token.js when the visitor
 * starts filling it in; without the script /subscribe asks them to press Subscribe once more.
 */

import type { ListRow } from "../../audience/store.ts";
import { subscribeForm } from "../../audience/views.ts";
import { type H, h } from "../../lib/html.ts";

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
