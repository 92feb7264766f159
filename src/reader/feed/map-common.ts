/** Building blocks shared by the per-format mappers: text, HTML, people, media, de-duplication. Pure. */
import { createHash } from "node:crypto";
import { sanitizeHtml } from "../sanitize.ts";
import { decodeEntities, textToHtml, toPlainText } from "../text.ts";
import { EMPTY } from "./prepare.ts";
import type { FeedAuthor, FeedEnclosure, FeedItem } from "./types.ts";
import { resolveUrl } from "./urls.ts";

/** Plain text or null for empty ("" for an element that was present but empty). */
export function plain(raw: string | null | undefined): string | null {
  if (raw == null) return null;
  if (raw === EMPTY) return "";
  return toPlainText(String(raw)) || null;
}

/** Text meant as plain text (JSON Feed titles, Atom type="text"): whitespace collapsed, nothing stripped. */
export function literal(raw: string | null | undefined): string | null {
  if (raw == null) return null;
  if (raw === EMPTY) return "";
  return String(raw).replace(/\s+/g, " ").trim() || null;
}

/** Sanitized HTML or null for empty. */
export function html(raw: string | null | undefined, base: string | null): string | null {
  if (raw == null) return null;
  if (raw === EMPTY) return "";
  return sanitizeHtml(String(raw), base) || null;
}

/** Plain text shown as HTML (escaped, paragraphs), or null for empty. */
export function textAsHtml(raw: string | null | undefined): string | null {
  if (raw == null) return null;
  if (raw === EMPTY) return "";
  return textToHtml(String(raw)) || null;
}

/** The first non-empty string; else EMPTY when one was present but empty; else null. */
export function first(...values: (string | null | undefined)[]): string | null {
  let empty = false;
  for (const v of values) {
    if (v == null) continue;
    if (v === EMPTY) empty = true;
    const s = String(v).trim();
    if (s && s !== EMPTY) return s;
  }
  return empty ? EMPTY : null;
}

// Markup escaped twice: "&lt;p&gt;" left after the XML layer is decoded, and no real tag at all.
const ESCAPED_TAG = /&lt;\/?(?:p|a|br|div|span|img|b|i|em|strong|ul|ol|li|blockquote|h[1-6]|pre|code)(?:\s|\/|&gt;)/i;

/**
 * An RSS description or content:encoded as sanitized HTML. RSS carries HTML escaped once; some
 * feeds escape it twice, which would show the tags as text: when the value has no tag but does
 * have escaped ones, it is decoded once more (never for text that has real markup).
 */
export function rssHtml(raw: string | null | undefined, base: string | null): string | null {
  if (raw == null || raw === EMPTY) return html(raw, base);
  const s = String(raw);
  if (!/<[a-z!/]/i.test(s) && ESCAPED_TAG.test(s)) return html(decodeEntities(s), base);
  return html(s, base);
}

/** Whether an Atom text construct or content `type` means HTML (1.0: html/xhtml; 0.3: a MIME type). */
export function isHtmlType(type: string | null | undefined): boolean {
  return !!type && /html/i.test(type);
}

/** Atom text construct → plain text (titles). */
export function atomTextPlain(t: { value?: string; type?: string } | undefined): string | null {
  if (!t?.value) return null;
  if (t.value === EMPTY) return "";
  return isHtmlType(t.type) ? plain(t.value) : literal(t.value);
}

/** Atom text construct → sanitized HTML (summaries and content). */
export function atomTextHtml(t: { value?: string; type?: string } | undefined, base: string | null): string | null {
  if (!t?.value) return null;
  if (t.value === EMPTY) return "";
  return isHtmlType(t.type) ? html(t.value, base) : textAsHtml(t.value);
}

const EMAIL = /^[^\s@<>()"]+@[^\s@<>()"]+\.[^\s@<>()"]+$/;

/**
 * One author, normalized: name as plain text, a plausible email (no-reply addresses dropped),
 * an absolute http(s) URL. Handles "email (Name)" and "Name <email>" left in a name field.
 */
export function author(
  name: string | null | undefined,
  email: string | null | undefined,
  url: string | null | undefined,
  base: string | null,
): FeedAuthor | null {
  let n = first(name);
  let e = first(email);
  if (n && !e) {
    // Before stripping tags: "Name <email>" looks like one.
    const paren = /^([^\s@()]+@[^\s@()]+)\s*\(([^)]*)\)$/.exec(n);
    const angle = /^(.*?)\s*<([^\s@<>]+@[^\s@<>]+)>$/.exec(n);
    if (paren) [n, e] = [paren[2], paren[1]];
    else if (angle) [n, e] = [angle[1], angle[2]];
    else if (EMAIL.test(n)) [n, e] = [null, n];
  }
  n = plain(n);
  if (e && (!EMAIL.test(e) || /^no-?reply@/i.test(e))) e = null;
  const u = resolveUrl(url, base);
  if (!n && !e && !u) return null;
  return { name: n, email: e, url: u };
}

/**
 * Authors without empties and duplicates, in order. The same person often appears twice (RSS
 * <author> and dc:creator): same name, or same email, is one author, with the details merged.
 */
export function authors(list: (FeedAuthor | null)[]): FeedAuthor[] {
  const out: FeedAuthor[] = [];
  for (const a of list) {
    if (!a) continue;
    const same = out.find(
      (b) =>
        (a.name && b.name?.toLowerCase() === a.name.toLowerCase() && (!a.email || !b.email || a.email === b.email)) ||
        (a.email && b.email?.toLowerCase() === a.email.toLowerCase() && (!a.name || !b.name)),
    );
    if (!same) out.push({ ...a });
    else {
      same.name ??= a.name;
      same.email ??= a.email;
      same.url ??= a.url;
    }
  }
  return out;
}

/** Categories as plain text, without empties and duplicates. */
export function categories(list: (string | null | undefined)[]): string[] {
  const out = new Set<string>();
  for (const c of list) {
    const p = plain(c);
    if (p) out.add(p);
  }
  return [...out];
}

/** An enclosure with an absolute URL and a positive byte length (else null: "0" means unknown). */
export function enclosure(
  url: string | null | undefined,
  type: string | null | undefined,
  length: number | string | null | undefined,
  base: string | null,
): FeedEnclosure | null {
  const u = resolveUrl(url, base);
  if (!u) return null;
  const n = typeof length === "number" ? length : Number(length);
  return {
    url: u,
    type: first(type)?.toLowerCase() ?? null,
    length: Number.isSafeInteger(n) && n > 0 ? n : null,
  };
}

/** Enclosures without duplicate URLs. */
export function enclosures(list: (FeedEnclosure | null)[]): FeedEnclosure[] {
  const seen = new Set<string>();
  return list.filter((e): e is FeedEnclosure => !!e && !seen.has(e.url) && !!seen.add(e.url));
}

/** A media enclosure: audio or video, for podcasts and the <audio> player. */
export function isMedia(e: FeedEnclosure): boolean {
  return !!e.type && /^(?:audio|video)\//.test(e.type);
}

/** A positive whole number of seconds, or null. */
export function seconds(v: number | string | null | undefined): number | null {
  const n = typeof v === "number" ? v : Number(v);
  return Number.isFinite(n) && n > 0 ? Math.round(n) : null;
}

/** The item's identity for de-duplication: its id, else its link, else a hash of title and content. */
export function dedupeKey(item: Omit<FeedItem, "dedupeKey">): string {
  if (item.id) return item.id;
  if (item.link) return item.link;
  const hash = createHash("sha256")
    .update(`${item.title}\n${item.content ?? item.summary ?? ""}`)
    .digest("hex");
  return `sha256:${hash}`;
}

/**
 * Items with their dedupeKey. Of several items with the same key (a repeated GUID) the first in
 * document order is kept and the others dropped: feeds list newest first, and a stable rule
 * means a re-poll of the same document yields the same items.
 */
export function uniqueItems(items: Omit<FeedItem, "dedupeKey">[]): FeedItem[] {
  const seen = new Set<string>();
  const out: FeedItem[] = [];
  for (const item of items) {
    const key = dedupeKey(item);
    if (seen.has(key)) continue;
    seen.add(key);
    out.push({ ...item, dedupeKey: key });
  }
  return out;
}
