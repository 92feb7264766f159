/**
 * On a post's page: "Also on Bluesky · Mastodon · LinkedIn", the copies that went out, each a
 * `u-syndication` link inside the post's h-entry, so readers and IndieWeb tools find them; and,
 * when the owner turns them on, share links for readers: plain links, no script, nothing of those
 * sites loaded until the reader clicks.
 */

import { coverImageOf, postById } from "../content/index.ts";
import type { AppContext } from "../lib/context.ts";
import { h } from "../lib/html.ts";
import type { BlockPost, PageBlock } from "../lib/module.ts";
import { PLATFORM_NAMES } from "./kinds.ts";
import { shareLinks } from "./share.ts";
import { accountStore, copyStore, syndSettings } from "./store.ts";

/** The setting that shows readers share links under each post. */
export const SHARE_LINKS = "share_links";

/** The post's sent copies as links, or nothing. */
export async function alsoOnBlock(ctx: AppContext, post: BlockPost): Promise<PageBlock | undefined> {
  const copies = (await copyStore(ctx.db).ofPost(post.id)).filter((c) => c.status === "sent" && c.url);
  if (!copies.length) return undefined;
  const accounts = new Map((await accountStore(ctx.db).all()).map((a) => [a.id, a]));
  const links = copies.map((c) => {
    const platform = accounts.get(c.account_id)?.platform ?? "";
    return h`<a class="u-syndication" rel="syndication" href="${c.url ?? ""}">${PLATFORM_NAMES[platform] ?? "elsewhere"}</a>`;
  });
  const joined = links.flatMap((l, i) => (i ? [h` · `, l] : [l]));
  return { html: h`<p class="also-on wrap">Also on ${joined}</p>` };
}

/** "Share:" links under a published post, when the owner turned them on. */
export async function readerShareBlock(ctx: AppContext, post: BlockPost): Promise<PageBlock | undefined> {
  if ((await syndSettings(ctx.db).get(SHARE_LINKS)) !== "1" || !post.publishedAt) return undefined;
  const row = await postById(ctx, post.id);
  if (!row) return undefined;
  const cover = await coverImageOf(ctx, row);
  const image = cover ? new URL(cover.src, ctx.config.baseUrl).href : undefined;
  const links = shareLinks(
    { kind: row.kind, title: row.title, summary: row.summary, text: row.body_text, url: post.url },
    image,
  )
    // Email is the audience's own "Email this to a colleague", under every post already.
    .filter((l) => l.name !== "Email")
    .map((l) => h`<li><a href="${l.href}" rel="noopener nofollow" target="_blank">${l.name}</a></li>`);
  return { html: h`<nav class="share-links wrap" aria-label="Share this post"><p>Share:</p><ul>${links}</ul></nav>` };
}
