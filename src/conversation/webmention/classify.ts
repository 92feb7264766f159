/**
 * What a verified Webmention source says about our page (pure): whether it still links to the
 * target, and, from its microformats (parsed with microformats-parser), whether it is a reply,
 * like, repost, bookmark or plain mention, who wrote it (a simplified authorship algorithm:
 * the entry's author h-card, else the page's rel=author, else the page's own h-card) and its text.
 */

import { parseHTML } from "linkedom";
import { mf2 } from "microformats-parser";

/** The kinds of mention, in the order an entry's properties are looked at. */
export type MentionKind = "reply" | "like" | "repost" | "bookmark" | "mention";

/** A mention's author, as far as the source says. */
export interface MentionAuthor {
  name?: string;
  photo?: string;
  url?: string;
}

/** A source classified against one target. */
export interface ClassifiedMention {
  kind: MentionKind;
  author: MentionAuthor;
  /** The entry's text (plain; never its HTML, which would need sanitizing first). */
  text?: string;
  /** The entry's own URL, or the source's. */
  url: string;
  published?: string;
}

type Item = { type?: string[]; properties?: Record<string, unknown[]>; value?: unknown; children?: Item[] };

const KIND_PROPERTIES: [string, MentionKind][] = [
  ["in-reply-to", "reply"],
  ["like-of", "like"],
  ["repost-of", "repost"],
  ["bookmark-of", "bookmark"],
];

/** A URL without its fragment, or undefined when it is not one. */
function normal(href: string, base: string): string | undefined {
  try {
    const url = new URL(href, base);
    url.hash = "";
    return url.href;
  } catch {
    return undefined;
  }
}

/** Does the source's HTML link to `target` (an `<a>`, `<img>`, `<video>` … naming it exactly)? */
export function linksTo(html: string, sourceUrl: string, target: string): boolean {
  const want = normal(target, target);
  const { document } = parseHTML(html);
  for (const el of document.querySelectorAll("a[href], link[href], img[src], video[src], audio[src], source[src]")) {
    const href = el.getAttribute("href") ?? el.getAttribute("src") ?? "";
    if (normal(href, sourceUrl) === want) return true;
  }
  return false;
}

const str = (v: unknown): string | undefined => {
  if (typeof v === "string") return v;
  if (v && typeof v === "object" && "value" in v && typeof (v as { value: unknown }).value === "string")
    return (v as { value: string }).value;
  return undefined;
};
const first = (item: Item, prop: string) => str(item.properties?.[prop]?.[0]);

/** The URLs a property names, whether plain strings or h-cite objects with a url. */
function urlsOf(values: unknown[] | undefined, base: string): string[] {
  return (values ?? []).flatMap((v) => {
    const s = typeof v === "string" ? v : first(v as Item, "url");
    const n = s ? normal(s, base) : undefined;
    return n ? [n] : [];
  });
}

/** The first h-entry of the parsed page, looking into children (an h-feed's entries). */
function firstEntry(items: Item[]): Item | undefined {
  for (const item of items) {
    if (item.type?.includes("h-entry")) return item;
    const inner = firstEntry(item.children ?? []);
    if (inner) return inner;
  }
  return undefined;
}

function cardOf(item: Item): MentionAuthor {
  return { name: first(item, "name"), photo: first(item, "photo"), url: first(item, "url") };
}

/** Classify the source page `html` (at `sourceUrl`) as a mention of `target`. */
export function classifyMention(html: string, sourceUrl: string, target: string): ClassifiedMention {
  const parsed = mf2(html, { baseUrl: sourceUrl }) as { items: Item[]; rels: Record<string, string[]> };
  const entry = firstEntry(parsed.items);
  const want = normal(target, target) ?? target;
  let kind: MentionKind = "mention";
  for (const [prop, k] of KIND_PROPERTIES) {
    if (entry && urlsOf(entry.properties?.[prop], sourceUrl).includes(want)) {
      kind = k;
      break;
    }
  }
  let author: MentionAuthor = {};
  const byline = entry?.properties?.author?.[0];
  if (byline && typeof byline === "object") author = cardOf(byline as Item);
  else if (typeof byline === "string") author = byline.includes(":") ? { url: byline } : { name: byline };
  else if (parsed.rels.author?.[0]) author = { url: parsed.rels.author[0] };
  else {
    const card = parsed.items.find((i) => i.type?.includes("h-card"));
    if (card) author = cardOf(card);
  }
  const content = entry?.properties?.content?.[0];
  const text = (str(content) ?? (entry ? first(entry, "summary") : undefined))?.trim() || undefined;
  return {
    kind,
    author,
    text,
    url: (entry && first(entry, "url")) || sourceUrl,
    published: entry ? first(entry, "published") : undefined,
  };
}
