/**
 * A comment's text: "Markdown-lite" (paragraphs, line breaks, emphasis, code, quotes, lists and
 * links; no headings, images, tables or raw HTML), rendered and then passed through our allowlist
 * sanitizer. Links get rel="nofollow ugc noopener": a comment lends no ranking to what it links.
 * Pure.
 */
import MarkdownIt from "markdown-it";
import sanitizeHtml from "sanitize-html";

const md = new MarkdownIt("zero", { html: false, linkify: true, breaks: true }).enable([
  "paragraph",
  "newline",
  "emphasis",
  "backticks",
  "blockquote",
  "list",
  "link",
  "linkify",
  "escape",
  "entity",
]);

const options: sanitizeHtml.IOptions = {
  allowedTags: ["p", "br", "a", "em", "strong", "code", "blockquote", "ul", "ol", "li"],
  allowedAttributes: { a: ["href", "rel"] },
  allowedSchemes: ["http", "https", "mailto"],
  allowProtocolRelative: false,
  transformTags: {
    a: (tagName, attribs) => ({ tagName, attribs: { href: attribs.href ?? "", rel: "nofollow ugc noopener" } }),
  },
};

/** The sanitized HTML of a comment's text. */
export function commentHtml(text: string): string {
  return sanitizeHtml(md.render(text), options);
}

/** Sanitize HTML that came from elsewhere (a Webmention's reply text) with the comments' allowlist. */
export function sanitizeCommentHtml(html: string): string {
  return sanitizeHtml(html, options);
}

/** How many links a comment carries: URLs and bare domains with a path that linkify would link. */
export function linkCount(text: string): number {
  return md.linkify.match(text)?.length ?? 0;
}
