/**
 * The public site's subscribe links, added through the site's slots (the site cannot import this
 * module): the home page's call to subscribe and the footer's "By email". Both show only while
 * there is a public list, so they never lead to a /subscribe with nothing to subscribe to.
 */

import type { AppContext } from "../lib/context.ts";
import { h } from "../lib/html.ts";
import type { PageBlock } from "../lib/module.ts";
import { shownLists } from "./service.ts";

/** "home.top": the home page's call to subscribe, by email or by feed. */
export async function homeSubscribeBlock(ctx: AppContext): Promise<PageBlock | undefined> {
  if (!(await shownLists(ctx)).length) return undefined;
  return {
    html: h`<aside class="subscribe-cta" aria-labelledby="cta-h">
<h2 id="cta-h">Get new posts by email</h2>
<p><a class="button" href="/subscribe">Subscribe</a> <span class="hint">Or follow the <a href="/feed.atom">feed</a>.</span></p>
</aside>`,
  };
}

/** "footer.links": "By email" on the footer's Follow line. */
export async function footerSubscribeLink(ctx: AppContext): Promise<PageBlock | undefined> {
  if (!(await shownLists(ctx)).length) return undefined;
  return { html: h`<a href="/subscribe">By email</a>` };
}
