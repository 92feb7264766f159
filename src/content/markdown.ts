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
  // No data: URLs, images included: media are uploaded, and a data: URL is a way around the filters.
  allowedSchemes: ["http", "https", "mailto"],
  allowProtocolRelative: false,
  transformTags: {
    img: (tagName, attribs) => ({ tagName, attribs: { loading: "lazy", ...attribs } }),
  },
};

/**
 * What every id in author HTML starts with (GitHub's prefix), so an author's `id` can neither
 * clobber a global a script reads (`window.x`, `document.x`) nor take the name of one of the
 * page's own elements. Same-page links to those ids (`#x`) are rewritten to match.
 */
export const ID_PREFIX = "user-content-";

/**
 * The allowlist with ids prefixed. `seen` collects the ids written and the fragments linked to;
 * `linkable` (when known) limits the rewritten links to fragments the post itself defines, so a
 * link to one of the page's own anchors (#top, a module's block) keeps working.
 */
function authorOptions(
  seen: { ids: Set<string>; fragments: Set<string> },
  linkable?: Set<string>,
): sanitizeHtml.IOptions {
  return {
    ...postSanitizeOptions,
    transformTags: {
      ...postSanitizeOptions.transformTags,
      "*": (tagName, attribs) => {
        const out = { ...attribs };
        if (attribs.id) {
          seen.ids.add(attribs.id);
          out.id = ID_PREFIX + attribs.id;
        }
        const fragment = tagName === "a" && attribs.href?.startsWith("#") ? attribs.href.slice(1) : "";
        if (fragment) {
          // Browsers match a fragment to an id after percent-decoding it (#caf%C3%A9 → café).
          const target = decodeFragment(fragment);
          seen.fragments.add(target);
          if (!linkable || linkable.has(target)) out.href = `#${ID_PREFIX}${fragment}`;
        }
        return { tagName, attribs: out };
      },
    },
  };
}

function decodeFragment(fragment: string): string {
  try {
    return decodeURIComponent(fragment);
  } catch {
    return fragment;
  }
}

/** Sanitize rendered author Markdown: the allowlist, with ids prefixed and same-page links to them rewritten. */
function sanitizeAuthorHtml(rendered: string): string {
  const seen = { ids: new Set<string>(), fragments: new Set<string>() };
  const html = sanitizeHtml(rendered, authorOptions(seen));
  // A second pass only when a link points at a fragment the post does not define (rare).
  const foreign = [...seen.fragments].some((f) => !seen.ids.has(f));
  return foreign ? sanitizeHtml(rendered, authorOptions({ ids: new Set(), fragments: new Set() }, seen.ids)) : html;
}

export interface RenderedMarkdown {
  html: string;
  /** Plain text for search, snippets and similarity. */
  text: string;
  wordCount: number;
}

/** Render Markdown to sanitized HTML plus its plain text. Pure. */
export function renderMarkdown(source: string): RenderedMarkdown {
  const html = sanitizeAuthorHtml(md.render(source));
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
