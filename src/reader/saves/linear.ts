/**
 * HTML as one line of text plus the links inside it, so text patterns ("via X", "h/t X") can be
 * matched on the words a reader sees while still knowing which words were a link and where to.
 */
import { parseHTML } from "linkedom";

/** A link in the linear text: characters [start, end) came from an `<a href>`. */
export interface LinkSpan {
  start: number;
  end: number;
  /** Absolute http(s) URL, or "" when the href was not one. */
  href: string;
  text: string;
  /** The link's rel tokens, lower case. */
  rel: string[];
}

export interface LinearText {
  text: string;
  links: LinkSpan[];
}

const SKIP = new Set(["SCRIPT", "STYLE", "TEMPLATE", "NOSCRIPT", "HEAD", "SVG", "IFRAME"]);
const BLOCK = new Set([
  "P",
  "DIV",
  "LI",
  "UL",
  "OL",
  "BR",
  "HR",
  "H1",
  "H2",
  "H3",
  "H4",
  "H5",
  "H6",
  "BLOCKQUOTE",
  "PRE",
  "TABLE",
  "TR",
  "TD",
  "TH",
  "SECTION",
  "ARTICLE",
  "HEADER",
  "FOOTER",
  "ASIDE",
  "FIGURE",
  "FIGCAPTION",
  "DD",
  "DT",
]);

/** Resolve an href against `base`; only http(s) URLs survive. Pure. */
export function absoluteHttpUrl(href: string | null | undefined, base?: string): string {
  if (!href) return "";
  try {
    const u = new URL(href.trim(), base || undefined);
    return u.protocol === "http:" || u.protocol === "https:" ? u.href : "";
  } catch {
    return "";
  }
}

/** Parse an HTML document or fragment with linkedom (fragments are wrapped in a body). */
export function parseDocument(html: string): Document {
  const isDoc = /^\s*(?:<!--[\s\S]*?-->\s*)*(?:<!doctype|<html)/i.test(html);
  const { document } = parseHTML(isDoc ? html : `<!doctype html><html><head></head><body>${html}</body></html>`);
  return document as unknown as Document;
}

/** Flatten HTML into text with newlines between blocks, recording every link's span. Pure. */
export function linearize(html: string, baseUrl?: string): LinearText {
  const doc = parseDocument(html);
  let text = "";
  const links: LinkSpan[] = [];
  const walk = (node: Node): void => {
    if (node.nodeType === 3) {
      text += (node.textContent ?? "").replace(/\s+/g, " ");
      return;
    }
    if (node.nodeType !== 1) return;
    const el = node as Element;
    const tag = el.tagName.toUpperCase();
    if (SKIP.has(tag)) return;
    const block = BLOCK.has(tag);
    if (block) text += "\n";
    const start = text.length;
    for (const child of Array.from(el.childNodes)) walk(child);
    if (tag === "A" && el.getAttribute("href") !== null) {
      links.push({
        start,
        end: text.length,
        href: absoluteHttpUrl(el.getAttribute("href"), baseUrl),
        text: text.slice(start).trim(),
        rel: (el.getAttribute("rel") ?? "").toLowerCase().split(/\s+/).filter(Boolean),
      });
    }
    if (block) text += "\n";
  };
  walk((doc.body ?? doc.documentElement) as unknown as Node);
  return { text, links: links.sort((a, b) => a.start - b.start) };
}
