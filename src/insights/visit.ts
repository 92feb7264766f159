/**
 * What a page view says about its visit, from the request alone (pure): whether to count it at
 * all (no bots or headless browsers, no prefetches, `DNT: 1` and `Sec-GPC: 1` respected), where the
 * reader came from (the referrer grouped by source, UTM tags, our own emails' `ref=` markers) and
 * the device class. Nothing here keeps the address or the User-Agent: the visitor is a daily hash
 * (salt.ts), and only these derived fields are stored.
 */
import { isbot } from "isbot";

/** The request headers and URL parts counting looks at. */
export interface PageRequest {
  path: string;
  /** The query string, "" or starting with "?". */
  search: string;
  referer?: string;
  ua?: string;
  dnt?: string;
  gpc?: string;
  /** `Sec-Purpose` or `Purpose` (prefetch, prerender). */
  purpose?: string;
}

/** Count this view? Not for bots, headless browsers, prefetches, or readers who asked not to be. Pure. */
export function shouldCount(r: PageRequest): boolean {
  if (!r.ua || isbot(r.ua)) return false;
  if (r.dnt === "1" || r.gpc === "1") return false;
  if (r.purpose && /prefetch|prerender/i.test(r.purpose)) return false;
  return true;
}

/** Our own emails' markers: a post email, a digest, a forward ("email this to a colleague"). */
export type RefMarker = "email" | "digest" | "forward";

/** The visit's origin as stored. */
export interface Origin {
  /** A group: direct, search, bluesky, mastodon, linkedin, x, facebook, threads, reddit, hacker-news, newsletter, or a referring host. */
  source: string;
  /** The referring host (for the fediverse, which instance), "" when none or our own. */
  referrerHost: string;
  utmSource: string;
  utmMedium: string;
  utmCampaign: string;
  ref: RefMarker | null;
}

const SEARCH =
  /(^|\.)(google|bing|duckduckgo|yahoo|yandex|baidu|ecosia|qwant|startpage|kagi|search\.brave|brave)\.[a-z.]+$/;
const NAMED: [RegExp, string][] = [
  [/(^|\.)(bsky\.app|bsky\.social|go\.bsky\.app|blueskyweb\.xyz)$/, "bluesky"],
  [/(^|\.)(linkedin\.com|lnkd\.in)$/, "linkedin"],
  [/(^|\.)(t\.co|x\.com|twitter\.com)$/, "x"],
  [/(^|\.)(facebook\.com|fb\.me|fb\.com|messenger\.com)$/, "facebook"],
  [/(^|\.)(threads\.net|threads\.com)$/, "threads"],
  [/(^|\.)(reddit\.com|redd\.it)$/, "reddit"],
  [/(^|\.)news\.ycombinator\.com$/, "hacker-news"],
  [
    /(^|\.)(mail\.google\.com|outlook\.live\.com|outlook\.office\.com|mail\.yahoo\.com|app\.fastmail\.com|mail\.proton\.me|mail\.zoho\.com)$/,
    "newsletter",
  ],
];
// Fediverse servers have any name; these are the common signs and the largest instances.
const FEDIVERSE =
  /(mastodon|mstdn|toot|fosstodon|hachyderm|infosec\.exchange|mas\.to|masto\.|\.social$|^social\.|^c\.im$|pixelfed|misskey|calckey|firefish|sharkey|akkoma|pleroma|gotosocial)/;

/** Where a visit came from: the referrer grouped by source, overridden by UTM tags and our markers. Pure. */
export function originOf(r: Pick<PageRequest, "referer" | "search">, siteHost: string): Origin {
  // Most views have no query: no parsing for them (it shows under load).
  const q = r.search && r.search !== "?" ? new URLSearchParams(r.search) : undefined;
  // A tag that holds an address (a mailing tool's merge field) is dropped: no addresses are kept.
  const tag = (k: string) => {
    if (!q) return "";
    const v = (q.get(k) ?? "").trim().toLowerCase().slice(0, 100);
    return v.includes("@") ? "" : v;
  };
  const refRaw = tag("ref");
  const ref: RefMarker | null =
    refRaw === "email"
      ? "email"
      : refRaw === "digest"
        ? "digest"
        : refRaw === "forward" || refRaw === "email-share"
          ? "forward"
          : null;
  let referrerHost = "";
  let own = false;
  try {
    const u = r.referer ? new URL(r.referer) : undefined;
    // Our own pages (the site's host, its port included) are no referral.
    own = !!u && u.host.toLowerCase().replace(/^www\./, "") === siteHost.toLowerCase().replace(/^www\./, "");
    referrerHost = u && !own ? u.hostname.toLowerCase().replace(/^www\./, "") : "";
  } catch {
    referrerHost = "";
  }
  const utmSource = tag("utm_source");
  const utmMedium = tag("utm_medium");
  // A click from one of the site's pages is "internal": the visit's source is its first outside one.
  let source = referrerHost ? groupOf(referrerHost) : own ? "internal" : "direct";
  if (ref) source = "newsletter";
  else if (utmSource) source = groupOf(utmSource.replace(/^www\./, ""), utmSource);
  else if (utmMedium === "email" || utmMedium === "newsletter") source = "newsletter";
  return { source, referrerHost, utmSource, utmMedium, utmCampaign: tag("utm_campaign"), ref };
}

function groupOf(host: string, fallback = host): string {
  // Webmail first: mail.google.com is a newsletter's reader, not a search.
  for (const [re, name] of NAMED) if (re.test(host) || host === name) return name;
  if (SEARCH.test(host) || ["google", "bing", "duckduckgo"].includes(host)) return "search";
  if (FEDIVERSE.test(host)) return "mastodon";
  return fallback;
}

/** The device class from the User-Agent (the User-Agent itself is never stored). Pure. */
export function deviceOf(ua: string): "mobile" | "tablet" | "desktop" {
  if (/iPad|Tablet|PlayBook|Silk|Android(?!.*Mobile)/i.test(ua)) return "tablet";
  if (/Mobi|iPhone|iPod|Android.*Mobile|Windows Phone|Opera Mini/i.test(ua)) return "mobile";
  return "desktop";
}
