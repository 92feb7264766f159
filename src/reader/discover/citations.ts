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
  const add = (url: URL | null, kind: CitationKind) => {
    if (!url || url.href === self) return;
    const host = siteKeyOf(url.href);
    if (!host || host === own || host === ownHost || isShareLink(url)) return;
    const prev = found.get(url.href);
    if (prev) {
      if (kind === "via") prev.kind = "via";
      return;
    }
    if (found.size >= MAX_CITATIONS_PER_ITEM) return;
    found.set(url.href, { url: url.href, host, kind });
  };
  add(item.viaUrl ? resolve(item.viaUrl) : null, "via");
  for (const html of [item.contentHtml, item.summaryHtml]) {
    if (!html) continue;
    const credited = new Map<string, URL>();
    if (MAYBE_CREDIT.test(html)) {
      for (const credit of detectCredits(html, base ? base.href : undefined)) {
        const url = credit.url ? resolve(credit.url) : null;
        if (url) credited.set(url.href, url);
      }
    }
    for (const href of scanLinks(html)) {
      const url = resolve(href);
      add(url, url && credited.has(url.href) ? "via" : "link");
    }
    // Credits named in the text without a link ("via example.com", "RT @user@host").
    for (const url of credited.values()) add(url, "via");
  }
  return [...found.values()];
}

/** The href of every <a> start tag in an HTML fragment, entities decoded, in document order. */
export function scanLinks(html: string): string[] {
  const out: string[] = [];
  ANCHOR.lastIndex = 0;
  for (let m = ANCHOR.exec(html); m; m = ANCHOR.exec(html)) {
    const href = attributes(m[1]).get("href");
    if (href) out.push(decodeEntities(href));
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
