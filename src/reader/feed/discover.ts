/**
 * Feed autodiscovery: the feeds an HTML page announces with <link rel="alternate" type=...>
 * (resolved against <base href> and the page URL), and the paths to try when it announces none.
 * Pure.
 */
import { decodeEntities, toPlainText } from "../text.ts";
import { resolveUrl } from "./urls.ts";

export interface FeedLink {
  url: string;
  title: string | null;
  /** The announced media type, lowercased, e.g. "application/rss+xml" ("" for a bare rel="feed"). */
  type: string;
}

const FEED_TYPES = new Set([
  "application/rss+xml",
  "application/atom+xml",
  "application/feed+json",
  "application/json",
  "application/rdf+xml",
  "application/x.atom+xml",
  "application/x-atom+xml",
]);

/** Where sites commonly serve their feed, tried in this order when a page announces none. */
export const COMMON_FEED_PATHS = [
  "/feed",
  "/rss",
  "/rss.xml",
  "/atom.xml",
  "/feed.xml",
  "/index.xml",
  "/feed.json",
  "/atom",
  "/index.rss",
  "/blog/feed",
  "/blog/rss.xml",
];

/** The common feed URLs for the site of `pageUrl` (its origin plus each common path). */
export function commonFeedUrls(pageUrl: string): string[] {
  const origin = new URL(pageUrl).origin;
  return COMMON_FEED_PATHS.map((p) => `${origin}${p}`);
}

const ATTR = /([^\s"'=<>/]+)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'=<>`]+)))?/g;

function attributes(tag: string): Map<string, string> {
  const out = new Map<string, string>();
  ATTR.lastIndex = 0;
  for (let m = ATTR.exec(tag); m; m = ATTR.exec(tag)) {
    const name = m[1].toLowerCase();
    if (!out.has(name)) out.set(name, decodeEntities(m[2] ?? m[3] ?? m[4] ?? ""));
  }
  return out;
}

/**
 * The feeds `html` links to, in document order, without duplicates. JSON links that are not
 * JSON Feeds (WordPress's REST API announces itself the same way) are left out.
 */
export function findFeedLinks(html: string, pageUrl: string): FeedLink[] {
  const doc = html.replace(/<!--[\s\S]*?-->/g, "");
  let base = pageUrl;
  const baseTag = /<base\s([^>]*)>/i.exec(doc);
  if (baseTag) base = resolveUrl(attributes(baseTag[1]).get("href"), pageUrl) ?? pageUrl;
  const links: FeedLink[] = [];
  const seen = new Set<string>();
  for (const m of doc.matchAll(/<link\s([^>]*)>/gi)) {
    const a = attributes(m[1]);
    const rel = (a.get("rel") ?? "").toLowerCase().split(/\s+/);
    if (!rel.includes("alternate") && !rel.includes("feed")) continue;
    const type = (a.get("type") ?? "").split(";")[0].trim().toLowerCase();
    if (!FEED_TYPES.has(type) && !(rel.includes("feed") && !type)) continue;
    const href = a.get("href") ?? "";
    if (type === "application/json" && /\/wp-json\/|oembed/i.test(href)) continue;
    const url = resolveUrl(href, base);
    if (!url || seen.has(url)) continue;
    seen.add(url);
    const title = toPlainText(a.get("title") ?? "");
    links.push({ url, title: title || null, type });
  }
  return links;
}
