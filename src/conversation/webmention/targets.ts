/**
 * Which pages a post sends Webmentions to, as pure functions: every absolute http(s) link of its
 * published HTML that leaves our site, and for a link post the bookmarked page and every source
 * of its credit chain, so the credit travels with the link.
 */
import { parseHTML } from "linkedom";
import { linkUrlsOf } from "../../content/index.ts";

/** More links than this in one post is not writing, and each one costs two requests. */
export const MAX_TARGETS = 100;

/** A link post's bookmarked URL and the URLs of its credit chain (content's `linkUrlsOf`). */
export const linkUrlsOfPost = linkUrlsOf;

/** `href` as an absolute http(s) URL without its fragment (the page, not a place in it), or undefined. */
function pageUrl(href: string, base: string): string | undefined {
  try {
    const url = new URL(href.trim(), base);
    if (url.protocol !== "http:" && url.protocol !== "https:") return undefined;
    url.hash = "";
    return url.href;
  } catch {
    return undefined;
  }
}

/**
 * The targets of a post at `postUrl`: links of `html` (`<a href>`, relative ones resolved against
 * the post's URL) and `linkUrls`, without duplicates, in order, leaving out pages on `ownOrigins`
 * (our own site: nothing to tell it).
 */
export function targetsOf(html: string, postUrl: string, linkUrls: string[], ownOrigins: string[]): string[] {
  const own = new Set(ownOrigins.map((o) => pageUrl(o, o) && new URL(o).origin));
  const out = new Set<string>();
  const add = (href: string) => {
    const url = pageUrl(href, postUrl);
    if (url && !own.has(new URL(url).origin) && out.size < MAX_TARGETS) out.add(url);
  };
  for (const u of linkUrls) add(u);
  if (html) {
    const { document } = parseHTML(`<!doctype html><html><body>${html}</body></html>`);
    for (const a of document.querySelectorAll("a[href]")) add(a.getAttribute("href") ?? "");
  }
  return [...out];
}
