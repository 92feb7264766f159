/**
 * Webmention endpoint discovery (W3C Webmention, 3.1.2), as pure functions: the sender fetches
 * a target through the guarded fetcher and hands the final URL, its `Link` header and its HTML
 * here. The order is the spec's: the HTTP `Link` header first, then the first `<link>` or `<a>`
 * whose rel includes `webmention`, in document order; relative URLs resolve against the final
 * URL after redirects, an empty href means the page itself, and a query string is kept.
 */
import { parseHTML } from "linkedom";

/** One link of a `Link` header (RFC 8288): its target as written and its rel values, lower-cased. */
export interface HeaderLink {
  href: string;
  rels: string[];
}

const PARAM = /^\s*;\s*([^=;,\s]+)\s*(?:=\s*(?:"((?:[^"\\]|\\.)*)"|([^;,\s]*)))?/;

/**
 * The links of a `Link` header value, in order. Several headers arrive joined by ", " (as
 * `Headers.get` gives them); commas inside `<…>` or quoted parameters do not split links.
 */
export function parseLinkHeader(value: string): HeaderLink[] {
  const links: HeaderLink[] = [];
  let i = 0;
  while (i < value.length) {
    const open = value.indexOf("<", i);
    const close = open < 0 ? -1 : value.indexOf(">", open);
    if (close < 0) break;
    const link: HeaderLink = { href: value.slice(open + 1, close).trim(), rels: [] };
    i = close + 1;
    for (let m = PARAM.exec(value.slice(i)); m; m = PARAM.exec(value.slice(i))) {
      i += m[0].length;
      if (m[1].toLowerCase() !== "rel") continue;
      const rel = m[2] !== undefined ? m[2].replace(/\\(.)/g, "$1") : (m[3] ?? "");
      link.rels.push(...rel.toLowerCase().split(/\s+/).filter(Boolean));
    }
    links.push(link);
    const comma = value.indexOf(",", i);
    if (comma < 0) break;
    i = comma + 1;
  }
  return links;
}

/** `href` resolved against `base`, if it makes an http(s) URL (an endpoint must be one). */
function httpUrl(href: string, base: string): string | undefined {
  try {
    const url = new URL(href, base);
    url.hash = "";
    return url.protocol === "http:" || url.protocol === "https:" ? url.href : undefined;
  } catch {
    return undefined;
  }
}

const hasWebmention = (rel: string | null) => (rel ?? "").toLowerCase().split(/\s+/).includes("webmention");

/**
 * The Webmention endpoint a page advertises, or undefined. `finalUrl` is the page's URL after
 * redirects; `linkHeader` its `Link` header (null when absent); `html` its body when it is HTML.
 */
export function discoverEndpoint(finalUrl: string, linkHeader: string | null, html: string | null): string | undefined {
  for (const link of parseLinkHeader(linkHeader ?? "")) {
    if (!link.rels.includes("webmention")) continue;
    const url = httpUrl(link.href, finalUrl);
    if (url) return url;
  }
  if (!html) return undefined;
  const { document } = parseHTML(html);
  // One selector, so the elements come in document order whichever kind is first; comments
  // and escaped text are not elements, so an endpoint written there is not found.
  for (const el of document.querySelectorAll("link[href], a[href]")) {
    if (!hasWebmention(el.getAttribute("rel"))) continue;
    const url = httpUrl(el.getAttribute("href") ?? "", finalUrl);
    if (url) return url;
  }
  return undefined;
}
