/**
 * Markdown to HTML for posts, done once at save time. Output is sanitized with an allowlist
 * because authors (the "author" role) are not fully trusted with raw HTML.
 */
import MarkdownIt from "markdown-it";
import sanitizeHtml from "sanitize-html";

const md = new MarkdownIt({ html: true, linkify: true, typographer: true });

/** Allowlist for staff-written HTML: formatting, media and tables; no scripts, styles or handlers. */
export const postSanitizeOptions: sanitizeHtml.IOptions = {
  allowedTags: [
    ...sanitizeHtml.defaults.allowedTags,
    "img",
    "figure",
    "figcaption",
    "picture",
    "source",
    "audio",
    "video",
    "details",
    "summary",
    "del",
    "ins",
    "sup",
    "sub",
    "mark",
  ],
  allowedAttributes: {
    a: ["href", "title", "rel"],
    img: ["src", "srcset", "sizes", "alt", "title", "width", "height", "loading"],
    source: ["src", "srcset", "type", "media"],
    audio: ["src", "controls"],
    video: ["src", "controls", "poster", "width", "height"],
    code: ["class"],
    th: ["align", "scope"],
    td: ["align"],
    ol: ["start"],
    "*": ["id"],
  },
  allowedSchemes: ["http", "https", "mailto"],
  allowedSchemesByTag: { img: ["http", "https", "data"] },
  allowProtocolRelative: false,
  transformTags: {
    img: (tagName, attribs) => ({ tagName, attribs: { loading: "lazy", ...attribs } }),
  },
};

export interface RenderedMarkdown {
  html: string;
  /** Plain text for search, snippets and similarity. */
  text: string;
  wordCount: number;
}

/** Render Markdown to sanitized HTML plus its plain text. Pure. */
export function renderMarkdown(source: string): RenderedMarkdown {
  const html = sanitizeHtml(md.render(source), postSanitizeOptions);
  const text = htmlToText(html);
  return { html, text, wordCount: countWords(text) };
}

/**
 * Stored post HTML (or any output of `renderMarkdown`) written out again through the same
 * allowlist, with `rewrite` choosing each element's attributes: an email's inline styles and
 * absolute links, say. The HTML is parsed, not pattern-matched, so text that looks like markup
 * (a code sample) stays text. A `style` attribute is kept only when `rewrite` sets it.
 */
export function rewritePostHtml(
  html: string,
  rewrite: (tag: string, attrs: Record<string, string>) => Record<string, string>,
): string {
  const allowed = postSanitizeOptions.allowedAttributes as Record<string, string[]>;
  return sanitizeHtml(html, {
    ...postSanitizeOptions,
    allowedAttributes: { ...allowed, "*": [...allowed["*"], "style"] },
    // Our own styles, written as they are (sanitize-html would re-serialize them through postcss).
    parseStyleAttributes: false,
    transformTags: {
      ...postSanitizeOptions.transformTags,
      "*": (tagName, { style: _, ...attribs }) => ({ tagName, attribs: rewrite(tagName, attribs) }),
    },
  });
}

/** Strip tags and decode the common entities; collapses whitespace. */
export function htmlToText(html: string): string {
  return html
    .replace(/<(script|style)[^>]*>[\s\S]*?<\/\1>/gi, " ")
    .replace(/<\/(p|div|h[1-6]|li|blockquote|pre|tr|section)>/gi, "\n")
    .replace(/<br\s*\/?>/gi, "\n")
    .replace(/<[^>]+>/g, " ")
    .replace(/&nbsp;/g, " ")
    .replace(/&lt;/g, "<")
    .replace(/&gt;/g, ">")
    .replace(/&quot;/g, '"')
    .replace(/&#39;|&#x27;/g, "'")
    .replace(/&amp;/g, "&")
    .replace(/[ \t]+/g, " ")
    .replace(/\s*\n\s*/g, "\n")
    .trim();
}

/** Count words in plain text. */
export function countWords(text: string): number {
  const m = text.match(/[\p{L}\p{N}][\p{L}\p{N}'’-]*/gu);
  return m ? m.length : 0;
}
