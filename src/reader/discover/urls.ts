/**
 * URL helpers for citation indexing: host normalization, share/intent links that are not
 * citations, and the comparable form of a cited URL. All pure.
 */
import { stripTracking } from "../sanitize.ts";

/** A host as discover compares hosts: lower case, without a leading "www.", without the port. */
export function normalizeHost(host: string): string {
  return host
    .trim()
    .toLowerCase()
    .replace(/:\d+$/, "")
    .replace(/^www\./, "")
    .replace(/\.$/, "");
}

/** The normalized host of a URL, or "" when it does not parse. */
export function hostOf(url: string | null | undefined): string {
  if (!url) return "";
  try {
    return normalizeHost(new URL(url).hostname);
  } catch {
    return "";
  }
}

/**
 * Buttons and widgets that share the item rather than cite anything: host (and its
 * subdomains) and, when given, the path prefixes that make a link a share link on that host.
 * A null path list means every link to the host (feed proxies, share services).
 */
const SHARE_LINKS: [host: string, paths: string[] | null][] = [
  ["twitter.com", ["/intent/", "/share"]],
  ["x.com", ["/intent/", "/share"]],
  ["facebook.com", ["/sharer", "/share.php", "/dialog/share", "/dialog/feed", "/plugins/"]],
  ["linkedin.com", ["/shareArticle", "/sharing/", "/cws/share"]],
  ["reddit.com", ["/submit"]],
  ["news.ycombinator.com", ["/submitlink"]],
  ["pinterest.com", ["/pin/create"]],
  ["tumblr.com", ["/share", "/widgets/share"]],
  ["api.whatsapp.com", ["/send"]],
  ["web.whatsapp.com", ["/send"]],
  ["wa.me", null],
  ["t.me", ["/share"]],
  ["telegram.me", ["/share"]],
  ["getpocket.com", ["/save", "/edit"]],
  ["buffer.com", ["/add"]],
  ["bufferapp.com", ["/add"]],
  ["plus.google.com", ["/share"]],
  ["vk.com", ["/share.php"]],
  ["digg.com", ["/submit"]],
  ["mix.com", ["/add"]],
  ["flipboard.com", ["/bookmarklet"]],
  ["bsky.app", ["/intent/"]],
  ["threads.net", ["/intent/"]],
  ["mastodonshare.com", null],
  ["s2f.kytta.dev", null],
  ["toot.kytta.dev", null],
  ["addtoany.com", null],
  ["sharethis.com", null],
  ["feeds.feedburner.com", null],
  ["feedproxy.google.com", null],
  ["feeds.feedblitz.com", null],
];

/** True for share/intent links and feed-proxy links (not citations). Expects a parsed http(s) URL. */
export function isShareLink(url: URL): boolean {
  const host = normalizeHost(url.hostname);
  for (const [h, paths] of SHARE_LINKS) {
    if (host !== h && !host.endsWith(`.${h}`)) continue;
    if (paths === null) return true;
    const path = url.pathname.toLowerCase();
    if (paths.some((p) => path.startsWith(p.toLowerCase()))) return true;
  }
  return false;
}

/**
 * The comparable form of a cited URL: absolute http(s), no fragment, no tracking parameters.
 * Returns null for anything else (mailto:, javascript:, relative without a base, garbage).
 */
export function citationUrl(href: string, base: string | null): URL | null {
  const raw = href.trim();
  if (!raw || raw.startsWith("#")) return null;
  let url: URL;
  try {
    url = base ? new URL(raw, base) : new URL(raw);
  } catch {
    return null;
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") return null;
  if (!url.hostname) return null;
  url.hash = "";
  const clean = stripTracking(url.href);
  return clean === url.href ? url : new URL(clean);
}

/**
 * Hosts where many people publish, and how many leading path segments name one of them
 * (twitter.com/alice, linkedin.com/in/bob, bsky.app/profile/carol). On these a host alone would
 * merge everyone into one "site"; a path starting with "/@" (Mastodon, Medium, YouTube, Threads)
 * names a person on any host.
 */
const PROFILE_SEGMENTS: Record<string, number> = {
  "twitter.com": 1,
  "x.com": 1,
  "github.com": 1,
  "gitlab.com": 1,
  "codeberg.org": 1,
  "medium.com": 1,
  "dev.to": 1,
  "instagram.com": 1,
  "linkedin.com": 2,
  "youtube.com": 2,
  "bsky.app": 2,
  "flickr.com": 2,
  "reddit.com": 2,
  "tumblr.com": 2,
};

/** First segments that are a platform's own pages, not a person's. */
const NOT_A_PROFILE = new Set(
  "about search explore hashtag tags tag topics i home settings login signup share intent watch results feed".split(
    " ",
  ),
);

/**
 * Who a URL belongs to, as discover ranks and matches them: the normalized host, plus the
 * profile path on multi-user hosts ("mastodon.social/@alice", "linkedin.com/in/bob"). Followed
 * sources are keyed the same way (their site URL), so following one person on a shared host
 * hides that person only. "" when the URL does not parse. Pure.
 */
export function siteKeyOf(url: string | null | undefined): string {
  if (!url) return "";
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return "";
  }
  const host = normalizeHost(parsed.hostname);
  const segments = parsed.pathname.split("/").filter(Boolean);
  const first = segments[0] ?? "";
  if (first.startsWith("@") && first.length > 1) return `${host}/${first.toLowerCase()}`;
  const depth = PROFILE_SEGMENTS[host] ?? 0;
  if (depth === 0 || segments.length < depth || NOT_A_PROFILE.has(first.toLowerCase())) return host;
  // Two-segment profiles are a kind and a name (in/bob, r/rust); a one-segment kind-less path on
  // those hosts (linkedin.com/feed) is a platform page.
  return `${host}/${segments.slice(0, depth).join("/").toLowerCase()}`;
}

/**
 * The home page for a site key, with the scheme and port of one URL cited under it:
 * "https://mastodon.social/@alice" for "mastodon.social/@alice". Pure.
 */
export function siteUrlOfKey(key: string, sampleUrl: string): string {
  try {
    const { origin } = new URL(sampleUrl);
    const slash = key.indexOf("/");
    return slash < 0 ? `${origin}/` : `${origin}${key.slice(slash)}`;
  } catch {
    return sampleUrl;
  }
}
