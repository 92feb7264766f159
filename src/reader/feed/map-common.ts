/** Building blocks shared by the per-format mappers: text, HTML, people, media, de-duplication. Pure. */
import { createHash } from "node:crypto";
import { sanitizeHtml } from "../sanitize.ts";
import { textToHtml, toPlainText } from "../text.ts";
import type { FeedAuthor, FeedEnclosure, FeedItem } from "./types.ts";
import { resolveUrl } from "./urls.ts";

/** Plain text or null for empty. */
export function plain(raw: string | null | undefined): string | null {
  if (raw == null) return null;
  return toPlainText(String(raw)) || null;
}

/** Text meant as plain text (JSON Feed titles, Atom type="text"): whitespace collapsed, nothing stripped. */
export function literal(raw: string | null | undefined): string | null {
  if (raw == null) return null;
  return String(raw).replace(/\s+/g, " ").trim() || null;
}

/** Sanitized HTML or null for empty. */
export function html(raw: string | null | undefined, base: string | null): string | null {
  if (raw == null) return null;
  return sanitizeHtml(String(raw), base) || null;
}

/** Plain text shown as HTML (escaped, paragraphs), or null for empty. */
export function textAsHtml(raw: string | null | undefined): string | null {
  if (raw == null) return null;
  return textToHtml(String(raw)) || null;
}

/** The first non-empty string. */
export function first(...values: (string | null | undefined)[]): string | null {
  for (const v of values) {
    if (v == null) continue;
    const s = String(v).trim();
    if (s) return s;
  }
  return null;
}

/** Whether an Atom text construct or content `type` means HTML (1.0: html/xhtml; 0.3: a MIME type). */
export function isHtmlType(type: string | null | undefined): boolean {
  return !!type && /html/i.test(type);
}

/** Atom text construct → plain text (titles). */
export function atomTextPlain(t: { value?: string; type?: string } | undefined): string | null {
  if (!t?.value) return null;
  return isHtmlType(t.type) ? plain(t.value) : literal(t.value);
}

/** Atom text construct → sanitized HTML (summaries and content). */
export function atomTextHtml(t: { value?: string; type?: string } | undefined, base: string | null): string | null {
  if (!t?.value) return null;
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
