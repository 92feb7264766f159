/**
 * What a feed item cites: every outbound link in its HTML, plus its "source's source" credits
 * (Atom link rel="via", and what saves/credits.ts detects: rel="via" links, "via X", "h/t X",
 * "hat tip X", "RT @x", "originally published at X"). Pure.
 *
 * The HTML has been sanitized before it was stored, so attributes are quoted and well formed:
 * links are found with a tag scanner, and only items whose text could hold a credit pay for the
 * DOM parse that credit detection needs (indexing costs ~0.1 ms per item).
 */
import { detectCredits } from "../saves/credits.ts";
import { citationUrl, isShareLink, siteKeyOf } from "./urls.ts";

export type CitationKind = "link" | "via";

export interface Citation {
  /** Absolute http(s) URL, tracking parameters and fragment removed. */
  url: string;
  /** Who is cited: the host (lower case, no "www." or port), plus the profile path on shared hosts (see siteKeyOf). */
  host: string;
  kind: CitationKind;
  /** The citing link's text or the credited name, when it says more than the URL; else "". */
  label: string;
}

export interface CitingItem {
  contentHtml: string | null;
  summaryHtml: string | null;
  /** The item's own link; relative links resolve against it. */
  url: string | null;
  /** Atom link rel="via". */
  viaUrl: string | null;
}

/** Link-dump posts can hold hundreds of links; past this many an item adds nothing to a ranking. */
export const MAX_CITATIONS_PER_ITEM = 200;

// An <a ...> start tag, quoted attribute values may contain ">".
const ANCHOR = /<a\b((?:[^>"']|"[^"]*"|'[^']*')*)>/gi;
const ATTR = /([^\s=/]+)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'>]+)))?/g;
// Cheap pre-check: only HTML that could hold a credit goes through credit detection (a DOM
// parse). A superset of the triggers in saves/credits.ts, and of rel="via".
const MAYBE_CREDIT = /h\/t|\bht\b|hat[\s-]?tips?|\brt\b|originally|first\s+(?:published|posted|appeared)|\bvia\b/i;

/**
 * The citations of one item: outbound http(s) links, one per URL, in document order, with
 * kind "via" when the link is a credit. Links to `sourceHost`, to the item itself and
 * share/intent buttons are left out.
 */
export function extractCitations(item: CitingItem, sourceHost: string): Citation[] {
  const own = sourceHost.trim().toLowerCase();
  // A profile on a shared host (mastodon.social/@alice) links to its platform's own pages
  // (hashtags, mentions' instances): those are not citations either.
  const ownHost = own.split("/")[0];
  const base = item.url && citationUrl(item.url, null);
  const self = base ? base.href : null;
  const found = new Map<string, Citation>();
  const resolve = (href: string) => citationUrl(href, base ? base.href : null);
  const add = (url: URL | null, kind: CitationKind, text = "") => {
    if (!url || url.href === self) return;
    const host = siteKeyOf(url.href);
    if (!host || host === own || host === ownHost || isShareLink(url)) return;
    const label = labelOf(text, host);
    const prev = found.get(url.href);
    if (prev) {
      if (kind === "via") prev.kind = "via";
      if (!prev.label) prev.label = label;
      return;
    }
    if (found.size >= MAX_CITATIONS_PER_ITEM) return;
    found.set(url.href, { url: url.href, host, kind, label });
  };
  add(item.viaUrl ? resolve(item.viaUrl) : null, "via");
  for (const html of [item.contentHtml, item.summaryHtml]) {
    if (!html) continue;
    const credited = new Map<string, { url: URL; name: string }>();
    if (MAYBE_CREDIT.test(html)) {
      for (const credit of detectCredits(html, base ? base.href : undefined)) {
        const url = credit.url ? resolve(credit.url) : null;
        if (url) credited.set(url.href, { url, name: credit.name });
      }
    }
    for (const a of scanAnchors(html)) {
      const url = resolve(a.href);
      const credit = url ? credited.get(url.href) : undefined;
      add(url, credit ? "via" : "link", a.text || credit?.name);
    }
    // Credits named in the text without a link ("via example.com", "RT @user@host").
    for (const { url, name } of credited.values()) add(url, "via", name);
  }
  return [...found.values()];
}

/** The href of every <a> start tag in an HTML fragment, entities decoded, in document order. */
export function scanLinks(html: string): string[] {
  return scanAnchors(html).map((a) => a.href);
}

/** Longest label kept: link texts are names and titles, not paragraphs. */
const MAX_LABEL = 120;
// Link texts that name nothing.
const GENERIC =
  /^(?:here|this|link|source|more|read more|read this|this post|this article|this one|article|post|page|website|site|\d+|\W*)$/i;

/** A label for a citation of `host`: the text, unless it is only a URL, the host, or generic. */
function labelOf(text: string, host: string): string {
  const t = text.replace(/\s+/g, " ").trim();
  if (!t || GENERIC.test(t) || /^(?:https?:\/\/|www\.)/i.test(t)) return "";
  if (t.toLowerCase().replace(/^www\./, "") === host) return "";
  return t.length > MAX_LABEL ? `${t.slice(0, MAX_LABEL - 1)}…` : t;
}

/** Every <a href> in an HTML fragment with its text (tags dropped, entities decoded), in document order. */
export function scanAnchors(html: string): { href: string; text: string }[] {
  const out: { href: string; text: string }[] = [];
  ANCHOR.lastIndex = 0;
  for (let m = ANCHOR.exec(html); m; m = ANCHOR.exec(html)) {
    const href = attributes(m[1]).get("href");
    if (!href) continue;
    const start = m.index + m[0].length;
    const end = html.indexOf("</a>", start);
    const inner = end < 0 ? "" : html.slice(start, Math.min(end, start + 2000));
    out.push({ href: decodeEntities(href), text: decodeEntities(inner.replace(/<[^>]*>/g, "")) });
  }
  return out;
}

function attributes(source: string): Map<string, string> {
  const out = new Map<string, string>();
  ATTR.lastIndex = 0;
  for (let m = ATTR.exec(source); m; m = ATTR.exec(source)) {
    const name = m[1].toLowerCase();
    if (!out.has(name)) out.set(name, m[2] ?? m[3] ?? m[4] ?? "");
  }
  return out;
}

const NAMED: Record<string, string> = { amp: "&", lt: "<", gt: ">", quot: '"', apos: "'", nbsp: " " };

/** Decode the entities sanitized HTML uses in attributes and text. */
export function decodeEntities(s: string): string {
  return s.replace(/&(#x[0-9a-f]+|#\d+|[a-z]+);/gi, (whole, ent: string) => {
    if (ent[0] === "#") {
      const code = ent[1] === "x" || ent[1] === "X" ? Number.parseInt(ent.slice(2), 16) : Number(ent.slice(1));
      return Number.isFinite(code) && code > 0 && code < 0x110000 ? String.fromCodePoint(code) : whole;
    }
    return NAMED[ent.toLowerCase()] ?? whole;
  });
}
