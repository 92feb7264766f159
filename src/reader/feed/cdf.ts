/**
 * Microsoft's Channel Definition Format (CDF, the W3C Note "Channel Definition Format" of 1997),
 * which feedsmith does not read: a <CHANNEL HREF=… BASE=… LASTMOD=…> root with <TITLE>,
 * <ABSTRACT> and <LOGO HREF=…>, and <ITEM HREF=… LASTMOD=…> children (each with its own TITLE
 * and ABSTRACT), possibly inside nested sub-channels (flattened here). Element and attribute
 * names are case-insensitive. The document has already passed checkXml. Pure.
 */

import { decodeEntities } from "../text.ts";
import { parseDate } from "./dates.ts";
import { literal, textAsHtml, uniqueItems } from "./map-common.ts";
import { EMPTY } from "./prepare.ts";
import type { Feed, FeedItem } from "./types.ts";
import { resolveLink, resolveUrl } from "./urls.ts";

const ATTR = /([\w:-]+)\s*=\s*(?:"([^"]*)"|'([^']*)')/g;

function attrs(raw: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const m of raw.matchAll(ATTR)) out.set(m[1].toLowerCase(), decodeEntities(m[2] ?? m[3] ?? ""));
  return out;
}

/** The text of the first <name> child in `xml` (CDATA kept, entities decoded), or null. */
function childText(xml: string, name: string): string | null {
  const m = new RegExp(`<${name}(?:\\s[^>]*)?(?:/>|>([\\s\\S]*?)</${name}\\s*>)`, "i").exec(xml);
  if (!m) return null;
  const inner = m[1] ?? "";
  const text = inner
    .split(/(<!\[CDATA\[[\s\S]*?\]\]>)/)
    .map((part) => (part.startsWith("<![CDATA[") ? part.slice(9, -3) : decodeEntities(part)))
    .join("");
  return text.trim() ? text : EMPTY;
}

const ITEM = /<item\b([^>]*?)(?:\/>|>([\s\S]*?)<\/item\s*>)/gi;

/** Whether the root element name is CDF's. */
export function isCdfRoot(root: string): boolean {
  return root.toLowerCase() === "channel";
}

/** Parse a CDF document (root <CHANNEL>); `docBase` is the document URL, if known. */
export function parseCdf(text: string, docBase: string | null): Feed {
  const open = /<channel\b([^>]*)>/i.exec(text);
  const rootAttrs = attrs(open?.[1] ?? "");
  const base = resolveUrl(rootAttrs.get("base"), docBase) ?? docBase;
  // The channel's own children: the document without its items and sub-channels' items.
  const head = text.replace(ITEM, "");
  const items: Omit<FeedItem, "dedupeKey">[] = [];
  for (const m of text.matchAll(ITEM)) {
    const a = attrs(m[1]);
    const body = m[2] ?? "";
    const link = resolveLink(a.get("href"), base);
    const date = parseDate(a.get("lastmod"));
    const logo = /<logo\b([^>]*)>/i.exec(body);
    items.push({
      id: link,
      title: literal(childText(body, "title")) ?? "",
      link,
      published: date,
      updated: date,
      authors: [],
      summary: textAsHtml(childText(body, "abstract")),
      content: null,
      categories: [],
      enclosures: [],
      comments: null,
      via: null,
      image: logo ? resolveUrl(attrs(logo[1]).get("href"), base) : null,
      durationSeconds: null,
    });
  }
  const logo = /<logo\b([^>]*)>/i.exec(head);
  return {
    format: "cdf",
    title: literal(childText(head, "title")) ?? "",
    link: resolveLink(rootAttrs.get("href"), base),
    description: literal(childText(head, "abstract")),
    language: null,
    updated: parseDate(rootAttrs.get("lastmod")),
    authors: [],
    image: logo ? resolveUrl(attrs(logo[1]).get("href"), base) : null,
    isPodcast: false,
    ttlMinutes: null,
    items: uniqueItems(items),
  };
}
