/**
 * The small pieces `remote.ts` reads remote posts with: the comments' allowlist applied to a post's
 * HTML, its plain text, the links it already has, and URLs kept only when they are http(s). Pure.
 */
import type { Link } from "@fedify/vocab";
import sanitizeHtml from "sanitize-html";
import { sanitizeCommentHtml } from "../conversation/index.ts";
import { h } from "../lib/html.ts";

/** The href of a URL or Link when it is http(s); anything else (javascript:, data:, tag:) is null. */
export function httpUrl(u: URL | Link | string | null | undefined): string | null {
  if (u == null) return null;
  const raw = typeof u === "string" ? u : u instanceof URL ? u.href : u.href?.href;
  if (!raw) return null;
  try {
    const url = new URL(raw);
    return url.protocol === "https:" || url.protocol === "http:" ? url.href : null;
  } catch {
    return null;
  }
}

/** A remote post's HTML through the comments' allowlist (no scripts, handlers, styles or frames). */
export function safeHtml(html: string): string {
  return html ? sanitizeCommentHtml(html) : "";
}

/**
 * Plain text of remote HTML, for search and notifications. The HTML is first put through the
 * allowlist, whose output is regular (only its own tags, bare, `<br />`), so line breaks can be
 * placed at its block edges before the tags are dropped (text before a paragraph is not always in
 * one); the text pass re-escapes only `&`, `<` and `>`.
 */
export function plainText(html: string): string {
  const blocks = safeHtml(html).replace(/<br \/>|<\/?(?:p|li|blockquote|ul|ol)>/g, "$&\n");
  return sanitizeHtml(blocks, { allowedTags: [], allowedAttributes: {} })
    .replace(/&lt;/g, "<")
    .replace(/&gt;/g, ">")
    .replace(/&amp;/g, "&")
    .replace(/[ \t\u00a0]+/g, " ")
    .replace(/ *\n\s*/g, "\n")
    .trim();
}

/** At most `max` characters (code points: an emoji's surrogate pair is never cut in half). */
export function clip(text: string, max: number): string {
  if (text.length <= max) return text;
  return Array.from(text).slice(0, max).join("").trimEnd();
}

/** The hrefs of the links in allowlisted HTML (whose attributes are always double-quoted). */
function hrefsOf(safe: string): Set<string> {
  const out = new Set<string>();
  for (const m of safe.matchAll(/<a href="([^"]*)"/g)) {
    const href = httpUrl(m[1].replace(/&amp;/g, "&"));
    if (href) out.add(href);
  }
  return out;
}

/**
 * `safe` with "RE: <link>" appended for a quoted post, unless the post already shows it: a link to
 * the quoted URL, or the `quote-inline` element Pleroma-family servers put around their own "RE:"
 * fallback (Mastodon-style allowlists keep that class), which may link the quoted post's page
 * rather than its id, so the hrefs can differ.
 */
export function withQuoteLink(safe: string, rawHtml: string, quoteUrl: string): string {
  if (hrefsOf(safe).has(quoteUrl) || /class="[^"]*\bquote-inline\b/.test(rawHtml)) return safe;
  return safe + sanitizeCommentHtml(String(h`<p>RE: <a href="${quoteUrl}">${quoteUrl}</a></p>`));
}
