/**
 * The fediverse account on the public site: "Fediverse: @handle@host" on the footer's Follow line,
 * so that readers know they can follow (and answer) from Mastodon and the like.
 */
import type { AppContext } from "../lib/context.ts";
import { h } from "../lib/html.ts";
import type { PageBlock } from "../lib/module.ts";
import { accountStore } from "./store.ts";

/** The footer's entry. */
export async function footerAccount(ctx: AppContext): Promise<PageBlock | undefined> {
  const { handle, movedTo } = await accountStore(ctx.db).settings();
  if (movedTo) return undefined;
  const address = `@${handle}@${new URL(ctx.config.baseUrl).host}`;
  return {
    html: h`<span class="fediverse-account" title="Search for this address on Mastodon or any fediverse app to follow">Fediverse: ${address}</span>`,
  };
}
