/**
 * URLs from untrusted documents: resolution against xml:base and the document URL, scheme
 * checks (only http and https leave here), removal of tracking parameters, and the checks the
 * sanitizer applies to URLs in HTML attributes (trackers, data: images, srcset). Pure.
 */
import { decodeEntities } from "../text.ts";

// Query parameters that only identify a campaign or a click; removing them changes no page.
const TRACKING_NAMES = "utm_[^&=]*|fbclid|gclid|dclid|gbraid|wbraid|msclkid|yclid|mc_cid|mc_eid|_hsenc|_hsmi|igshid";
const TRACKING_PARAM = new RegExp(`&(?:${TRACKING_NAMES})(?:=[^&]*)?(?=&|$)`, "gi");
// A cheap first look: most URLs carry none of these.
const MAYBE_TRACKING = /[?&](?:utm_|fbclid|gclid|dclid|gbraid|wbraid|msclkid|yclid|mc_[ce]id|_hs|igshid)/i;

/**
 * `url` without utm_* and click-id parameters (fbclid, gclid, mc_cid, mc_eid, ...). The rest of
 * the URL keeps its exact spelling.
 */
export function stripTracking(url: string): string {
  const q = url.indexOf("?");
  if (q < 0 || !MAYBE_TRACKING.test(url)) return url;
  let hash = url.indexOf("#");
  if (hash < 0) hash = url.length;
  if (hash < q) return url;
  // "&a=1&utm_source=x" → "&a=1": every parameter then starts with "&", so one replace does it.
  const query = `&${url.slice(q + 1, hash)}`.replace(TRACKING_PARAM, "").replace(/^&+|&+$/g, "");
  return url.slice(0, q) + (query ? `?${query}` : "") + url.slice(hash);
}

/** Parse `raw` against `base` (both may be null); the URL object or null. Never throws. */
export function parseUrl(raw: string | null | undefined, base: string | null | undefined): URL | null {
  if (raw == null) return null;
  const s = raw.trim();
  if (!s) return null;
  try {
    return base ? new URL(s, base) : new URL(s);
  } catch {
    return null;
  }
}

/**
 * `raw` made absolute against `base`, if the result is an http or https URL; else null (so a
 * `javascript:` link or a relative URL with no base never reaches a page).
 */
export function resolveUrl(raw: string | null | undefined, base: string | null | undefined): string | null {
  const u = parseUrl(raw, base);
  return u && (u.protocol === "https:" || u.protocol === "http:") ? u.href : null;
}

/** Like `resolveUrl`, then without tracking parameters: for links to pages. */
export function resolveLink(raw: string | null | undefined, base: string | null | undefined): string | null {
  const href = resolveUrl(raw, base);
  return href ? stripTracking(href) : null;
}

/**
 * The base URL for a child element: its xml:base resolved against the parent's base, else the
 * parent's base. Only http(s) bases count: a `javascript:` base must not turn links into scripts.
 */
export function childBase(xmlBase: string | null | undefined, parent: string | null): string | null {
  if (!xmlBase) return parent;
  return resolveUrl(xmlBase, parent) ?? parent;
}

// ---- URLs in untrusted HTML attributes (used by the sanitizer) ----

function isWhite(c: number): boolean {
  return c === 32 || c === 9 || c === 10 || c === 12 || c === 13;
}

/** Trackers: images from these are removed (host regex, optional path regex). */
const TRACKERS: [RegExp, RegExp | null][] = [
  [/^feeds\.feedburner\.com$/, /^\/~(?:r|ff)\//],
  [/^feedproxy\.google\.com$/, /^\/~(?:r|ff)\//],
  [/^(?:pixel|stats)\.wp\.com$/, null],
  [/^stats\.wordpress\.com$/, null],
  [/^feeds\.wordpress\.com$/, /^\/1\.0\//],
  [/(?:^|\.)feedblitz\.com$/, null],
  [/(?:^|\.)list-manage\.com$/, /\/track\//],
  [/(?:^|\.)google-analytics\.com$/, null],
  [/(?:^|\.)doubleclick\.net$/, null],
  [/(?:^|\.)scorecardresearch\.com$/, null],
  [/(?:^|\.)quantserve\.com$/, null],
  [/(?:^|\.)feedsportal\.com$/, null],
  [/(?:^|\.)amazon-adsystem\.com$/, null],
  [/^www\.facebook\.com$/, /^\/tr\/?$/],
  [/^medium\.com$/, /^\/_\/stat/],
  [/(?:^|\.)mailtrack\.io$/, null],
  [/(?:^|\.)pixel\.mathtag\.com$/, null],
];

// Every host above, in one test: nearly all images fail it at once.
const TRACKER_DOMAINS =
  /(?:^|\.)(?:feedburner\.com|google\.com|wp\.com|wordpress\.com|feedblitz\.com|list-manage\.com|google-analytics\.com|doubleclick\.net|scorecardresearch\.com|quantserve\.com|feedsportal\.com|amazon-adsystem\.com|facebook\.com|medium\.com|mailtrack\.io|mathtag\.com)$/;

function isTracker(host: string, path: string): boolean {
  if (!TRACKER_DOMAINS.test(host)) return false;
  for (const [h, p] of TRACKERS) if (h.test(host) && (!p || p.test(path))) return true;
  return false;
}

// A root-relative path of plain characters without dot segments: origin + path is its resolution.
const PLAIN_PATH = /^\/(?!\/)[!#-;=?-[\]_a-z~]*$/i;
const DOT_SEGMENT = /(?:^|\/)\.\.?(?:[/?#]|$)/;
let lastBase: string | null = null;
let lastOrigin: string | null = null;

/** The origin of a plain absolute http(s) base URL (cached: one base serves a whole document). */
function originOf(base: string): string | null {
  if (base !== lastBase) {
    lastBase = base;
    const m = ABSOLUTE_HTTP.exec(base);
    lastOrigin = m ? m[0].toLowerCase() : null;
  }
  return lastOrigin;
}

// Scheme, then a host of letters, digits, dots and dashes (no userinfo), then printable ASCII.
const ABSOLUTE_HTTP = /^https?:\/\/([a-z0-9.-]+)(?::\d{1,5})?(?=[/?#]|$)(?![\s\S]*[^\x21-\x7e])/i;

const DATA_IMAGE = /^data:image\/(?:png|gif|jpe?g|webp|avif|bmp);base64,[a-z0-9+/=\s]*$/i;

/** What an attribute URL is for: links may be mailto:, images may be data: (raster only) and lose trackers. */
export type UrlKind = "link" | "image" | "media" | "cite";

/**
 * An attribute's URL (entity-encoded as written in HTML) checked and made absolute against
 * `base`: http(s) only, plus mailto: for links and raster data: images; tracking parameters
 * removed from links and images; tracker images refused. Null when it may not be used.
 */
export function safeUrl(raw: string, base: string | null, kind: UrlKind): string | null {
  const value = decodeEntities(raw).trim();
  if (!value) return null;
  if (kind === "image" && /^\s*data:/i.test(value)) {
    const compact = value.replace(/\s+/g, "");
    return DATA_IMAGE.test(compact) ? compact : null;
  }
  // Fast path: an absolute http(s) URL of plain printable ASCII is already what a browser would
  // use (escaping happens on output), so it needs no full parse.
  const abs = ABSOLUTE_HTTP.exec(value);
  if (abs) {
    if (kind === "image" && isTracker(abs[1].toLowerCase(), /^[^?#]*/.exec(value.slice(abs[0].length))![0] || "/")) {
      return null;
    }
    return kind === "link" || kind === "image" ? stripTracking(value) : value;
  }
  if (base && value.charCodeAt(0) === 47 && PLAIN_PATH.test(value) && !DOT_SEGMENT.test(value)) {
    const origin = originOf(base);
    if (origin) return kind === "link" || kind === "image" ? stripTracking(origin + value) : origin + value;
  }
  const u = parseUrl(value, base);
  if (!u) return null;
  const p = u.protocol;
  if (p !== "https:" && p !== "http:" && !(kind === "link" && p === "mailto:")) return null;
  if (kind === "image" && isTracker(u.hostname, u.pathname)) return null;
  return kind === "link" || kind === "image" ? stripTracking(u.href) : u.href;
}

/** A srcset attribute with every candidate checked like an image URL (data: candidates dropped). */
export function cleanSrcset(raw: string, base: string | null): string | null {
  const v = decodeEntities(raw);
  const out: string[] = [];
  const n = v.length;
  let i = 0;
  while (i < n) {
    while (i < n && (isWhite(v.charCodeAt(i)) || v[i] === ",")) i++;
    if (i >= n) break;
    let j = i;
    while (j < n && !isWhite(v.charCodeAt(j))) j++;
    let url = v.slice(i, j);
    let desc = "";
    if (url.endsWith(",")) {
      url = url.replace(/,+$/, "");
      i = j;
    } else {
      const comma = v.indexOf(",", j);
      const end = comma < 0 ? n : comma;
      desc = v.slice(j, end).trim();
      i = end + 1;
    }
    if (/^data:/i.test(url)) continue;
    const safe = safeUrl(url, base, "image");
    if (safe && /^(?:\d+(?:\.\d+)?[wx])?$/.test(desc)) out.push(desc ? `${safe} ${desc}` : safe);
  }
  return out.length ? out.join(", ") : null;
}
