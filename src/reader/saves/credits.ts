/**
 * Liner notes: the credit chain of a save, proposed from what we know and edited by the user.
 * Position 0 is the source the user read it in; positions 1+ are that source's sources, found in
 * the item (Atom link rel="via", `rel="via"` links, and "via X", "h/t X", "HT X", "hat tip X",
 * "RT @user", "originally published at X" in the text), following a chain of hops in the text
 * ("via Bob, who found it at Carol's Podcast, who got it from Dan": Bob, Carol's Podcast, Dan).
 * Everything here is pure.
 */
import { absoluteHttpUrl, type LinkSpan, linearize } from "./linear.ts";

/** One credit: who led to the link. `url` may be "" when only a name is known. */
export interface Credit {
  name: string;
  url: string;
}

/** The source an item came from, as credits need it. */
export interface CreditSource {
  title: string;
  siteUrl: string;
  feedUrl?: string;
}

/** The item a save was made from, as credits need it. */
export interface CreditItem {
  url: string | null;
  /** Atom link rel="via". */
  viaUrl: string | null;
  /** Sanitized content (and summary) HTML. */
  html: string;
}

/** Host without "www.", lower case ("" for a bad URL). */
export function hostOf(url: string): string {
  try {
    return new URL(url).hostname.toLowerCase().replace(/^www\./, "");
  } catch {
    return "";
  }
}

/** A key under which two URLs count as the same credit: scheme, www, trailing slash, hash and utm_* ignored. */
export function creditKey(c: Credit): string {
  if (!c.url) return `name:${c.name.trim().toLowerCase()}`;
  try {
    const u = new URL(c.url);
    for (const k of [...u.searchParams.keys()]) if (/^(utm_|fbclid$|gclid$|mc_)/i.test(k)) u.searchParams.delete(k);
    const path = u.pathname.replace(/\/+$/, "");
    return `url:${hostOf(c.url)}${u.port ? `:${u.port}` : ""}${path}${u.search}`;
  } catch {
    return `url:${c.url}`;
  }
}

/**
 * Drop empty and repeated credits and any credit for an excluded URL (the saved link itself).
 * A repeat keeps the first position but takes a real name over a bare host name.
 */
export function dedupeCredits(credits: Credit[], exclude: (string | null | undefined)[] = []): Credit[] {
  const banned = new Set(exclude.filter((u): u is string => !!u).map((url) => creditKey({ name: "", url })));
  const out: Credit[] = [];
  const seen = new Map<string, Credit>();
  for (const raw of credits) {
    const c = { name: raw.name.trim(), url: raw.url.trim() };
    if (!c.name && !c.url) continue;
    if (!c.name) c.name = hostOf(c.url) || c.url;
    const key = creditKey(c);
    if (banned.has(key)) continue;
    const known = seen.get(key);
    if (known) {
      if (known.name === hostOf(known.url) && c.name !== hostOf(c.url)) known.name = c.name;
      continue;
    }
    seen.set(key, c);
    out.push(c);
  }
  return out;
}

// Triggers. `strong` ones credit whatever follows; a plain "via" without a link, handle or domain
// only counts right after an opening bracket, a dash or a line start ("connected via USB" is not one).
// `hop` ones continue a chain: they count only a short way after another credit.
const TRIGGERS: { re: RegExp; strong: boolean; hop?: boolean }[] = [
  { re: /(?<![\w/])h\/t\b:?/gi, strong: true },
  { re: /(?<![\w])HT\b:?/g, strong: true },
  { re: /\bhat[\s-]?tips?(?:\s+to)?\b:?/gi, strong: true },
  { re: /\bRT(?=\s+@)/g, strong: true },
  { re: /\b(?:originally|first)\s+(?:published|posted|appeared)\s+(?:at|on|in|by)\b:?/gi, strong: true },
  { re: /\bvia\b:?/gi, strong: false },
  // The next hop of a chain: "via Bob, who found it at Carol's Podcast, who got it from …".
  {
    re: /\b(?:who|which|that)\s+(?:had\s+)?(?:found|got|saw|spotted|heard|read|picked\s+up|took)\s+it\s+(?:at|on|in|from|via|through|over\s+at)\b:?/gi,
    strong: true,
    hop: true,
  },
  { re: /\b(?:by\s+way\s+of|who\s+credits|crediting)\b:?/gi, strong: true, hop: true },
];

/** Characters a chain's next hop may be from the credit before it. */
const MAX_HOP_GAP = 300;
const HANDLE = /^@[\w][\w.]*(?:@[\w-]+(?:\.[\w-]+)+)?/;
const DOMAIN = /^(?:https?:\/\/)?((?:[a-z0-9-]+\.)+[a-z]{2,})(\/[^\s)\]]*)?/i;
const PARTICLES = new Set(["of", "the", "de", "van", "von", "der", "la", "le", "du", "and", "&"]);

/** A capitalized name run ("Jane Doe", "The Verge", "Museum of Modern Art"); "" if none. */
function properName(s: string): string {
  const words = s.split(/[ \t]+/);
  const out: string[] = [];
  for (let i = 0; i < words.length && out.length < 6; i++) {
    const w = words[i].replace(/[.,;:!?)\]"”’]+$/, "");
    const cut = w !== words[i];
    if (/^[\p{Lu}\p{N}]/u.test(w)) out.push(w);
    else if (out.length && PARTICLES.has(w.toLowerCase()) && /^[\p{Lu}]/u.test(words[i + 1] ?? "")) out.push(w);
    else break;
    if (cut) break;
  }
  return out.join(" ");
}

/** A credit for what follows a trigger at `pos`, or undefined. */
function creditAfter(
  text: string,
  trigger: { start: number; end: number; strong: boolean },
  links: LinkSpan[],
  base?: string,
): Credit | undefined {
  const pos = trigger.end;
  const rest = text.slice(pos, pos + 200);
  const lead = /^[\s:—–-]*(?:to\s+)?/i.exec(rest)?.[0].length ?? 0;
  const at = pos + lead;
  const link = links.find((l) => l.start <= at + 1 && l.end > at && l.href);
  if (link) {
    const name = link.text && !/^https?:\/\//i.test(link.text) ? link.text : hostOf(link.href);
    return { name, url: link.href };
  }
  const after = text.slice(at, at + 200).split("\n")[0];
  const handle = HANDLE.exec(after)?.[0].replace(/\.+$/, "");
  if (handle) {
    const fedi = /^@([\w.]+)@([\w.-]+)$/.exec(handle);
    return { name: handle, url: fedi ? `https://${fedi[2]}/@${fedi[1]}` : "" };
  }
  const domain = DOMAIN.exec(after);
  if (domain && (/^https?:/i.test(after) || /\.[a-z]{2,}$/i.test(domain[1]))) {
    const url = absoluteHttpUrl(/^https?:/i.test(domain[0]) ? domain[0] : `https://${domain[0]}`, base);
    if (url) return { name: domain[1].replace(/^www\./i, ""), url: url.replace(/[.,;:]+$/, "") };
  }
  // A bare name after a weak trigger only counts where a credit usually stands.
  if (!trigger.strong && !/(?:^|[\n([—–|·•.-])\s*$/.test(text.slice(Math.max(0, trigger.start - 20), trigger.start))) {
    return undefined;
  }
  const name = properName(after);
  return name ? { name, url: "" } : undefined;
}

/**
 * The credits an item's HTML gives for its own source: `rel="via"` links first, then text
 * patterns in document order. Relative links resolve against `baseUrl`. Not de-duplicated.
 */
export function detectCredits(html: string, baseUrl?: string): Credit[] {
  if (!html.trim()) return [];
  const { text, links } = linearize(html, baseUrl);
  const found: Credit[] = [];
  for (const l of links) {
    if (l.rel.includes("via") && l.href) found.push({ name: l.text || hostOf(l.href), url: l.href });
  }
  const hits: { index: number; credit: Credit; hop: boolean }[] = [];
  for (const { re, strong, hop } of TRIGGERS) {
    for (const m of text.matchAll(re)) {
      const credit = creditAfter(text, { start: m.index, end: m.index + m[0].length, strong }, links, baseUrl);
      if (credit) hits.push({ index: m.index, credit, hop: !!hop });
    }
  }
  hits.sort((a, b) => a.index - b.index);
  // A hop ("who found it at …") belongs to a chain: it needs a credit just before it.
  const chained = hits.filter((h, i) => !h.hop || (i > 0 && h.index - hits[i - 1].index <= MAX_HOP_GAP));
  return [...found, ...chained.map((h) => h.credit)];
}

/**
 * Propose a save's credit chain, nearest first: the source it was read in, then the item's
 * Atom via link, then what the item's HTML credits. Never credits the saved URL itself.
 */
export function proposeCredits(input: { savedUrl: string; source?: CreditSource; item?: CreditItem }): Credit[] {
  const chain: Credit[] = [];
  const { source, item } = input;
  if (source) {
    const url = source.siteUrl || source.feedUrl || "";
    chain.push({ name: source.title || hostOf(url), url });
  }
  if (item?.viaUrl) {
    const url = absoluteHttpUrl(item.viaUrl, item.url ?? undefined);
    if (url) chain.push({ name: hostOf(url), url });
  }
  if (item) chain.push(...detectCredits(item.html, item.url ?? source?.siteUrl));
  return dedupeCredits(chain, [input.savedUrl, item?.url]);
}

/** "via A, who found it at B, who found it at C" (plain text; "" for no credits). Pure. */
export function creditLine(credits: Credit[]): string {
  if (!credits.length) return "";
  return `via ${credits.map((c) => c.name).join(", who found it at ")}`;
}
