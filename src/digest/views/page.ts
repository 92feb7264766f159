/** A digest's own page (private digests, and drafts for signed-in staff): an h-entry of h-cites. */

import { h, raw } from "../../lib/html.ts";
import { type Chrome, layout } from "../../site/index.ts";
import { type DigestView, digestBodyHtml } from "../render.ts";
import type { DigestRow } from "../store.ts";

/** The page; `path` is the address it was asked for (kept out of search engines). */
export function digestPage(chrome: Chrome, digest: DigestRow, view: DigestView, path: string): string {
  const when = digest.sent_at ?? digest.period_end;
  const main = h`<article class="h-entry post post-digest">
<header class="post-header wrap">
<p class="kind">${digest.is_private ? "Digest (private)" : "Digest"}${digest.status === "draft" ? " · draft" : ""}</p>
<h1 class="p-name">${digest.title}</h1>
<p class="meta"><time class="dt-published" datetime="${when}">${when.slice(0, 10)}</time></p>
</header>
<div class="e-content prose wrap">${raw(digestBodyHtml(view))}</div>
</article>`;
  return layout(chrome, { title: digest.title, path, noindex: true }, main);
}
