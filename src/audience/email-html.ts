/**
 * HTML we stored (a post's body, a digest's blurbs: all sanitized when saved) made ready for an
 * email: the email's inline styles on its elements, absolute URLs, and our own links tagged
 * `ref=email`. It is parsed and written out again through the post allowlist (content's
 * `rewritePostHtml`), never pattern-matched, so URLs in code samples stay text.
 */
import { rewritePostHtml } from "../content/index.ts";
import { type H, raw } from "../lib/html.ts";
import { ELEMENT_STYLES } from "../mail/index.ts";

/** Add ref=email to a link on our site, so forwards and clicks can be counted as outcomes. */
export function tagLink(href: string, baseUrl: string): string {
  try {
    const u = new URL(href, baseUrl);
    if (u.origin !== new URL(baseUrl).origin) return u.href;
    u.searchParams.set("ref", "email");
    return u.href;
  } catch {
    return href;
  }
}

function absolute(src: string, baseUrl: string): string {
  try {
    return new URL(src, baseUrl).href;
  } catch {
    return src;
  }
}

// srcset and sizes hold relative URLs mail cannot resolve; lazy loading only delays images in a
// message that is read at once.
const DROPPED = new Set(["srcset", "sizes", "loading"]);

/**
 * Sanitized HTML for an email. With `baseUrl`, every href and src becomes absolute and our own
 * links are tagged `ref=email`; without it, URLs stay as they are. With `track`, each web link
 * (http or https, after tagging) becomes what `track` makes of it (a counted redirect).
 */
export function emailHtml(html: string, baseUrl?: string, track?: (href: string) => string): H {
  const out = rewritePostHtml(html, (tag, attrs) => {
    const kept: Record<string, string> = {};
    const style = ELEMENT_STYLES[tag];
    if (style) kept.style = style;
    for (const [name, value] of Object.entries(attrs)) {
      if (DROPPED.has(name)) continue;
      if (name === "href") {
        const href = baseUrl ? tagLink(value, baseUrl) : value;
        kept.href = track && /^https?:\/\//i.test(href) ? track(href) : href;
      } else if (baseUrl && name === "src") kept.src = absolute(value, baseUrl);
      else kept[name] = value;
    }
    return kept;
  });
  // Ours: written out by the sanitizer from already-sanitized HTML.
  return raw(out);
}
