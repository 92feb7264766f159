/**
 * "Also on Bluesky · Mastodon · LinkedIn" on a post's page: the copies that went out, each a
 * `u-syndication` link inside the post's h-entry, so readers and IndieWeb tools find them.
 */
import type { AppContext } from "../lib/context.ts";
import { h } from "../lib/html.ts";
import type { BlockPost, PageBlock } from "../lib/module.ts";
import { accountStore, copyStore } from "./store.ts";

const NAMES: Record<string, string> = { bluesky: "Bluesky", mastodon: "Mastodon", linkedin: "LinkedIn" };

/** The post's sent copies as links, or nothing. */
export async function alsoOnBlock(ctx: AppContext, post: BlockPost): Promise<PageBlock | undefined> {
  const copies = (await copyStore(ctx.db).ofPost(post.id)).filter((c) => c.status === "sent" && c.url);
  if (!copies.length) return undefined;
  const accounts = new Map((await accountStore(ctx.db).list()).map((a) => [a.id, a]));
  const links = copies.map((c) => {
    const platform = accounts.get(c.account_id)?.platform ?? "";
    return h`<a class="u-syndication" rel="syndication" href="${c.url ?? ""}">${NAMES[platform] ?? "elsewhere"}</a>`;
  });
  const joined = links.flatMap((l, i) => (i ? [h` · `, l] : [l]));
  return { html: h`<p class="also-on">Also on ${joined}</p>` };
}
