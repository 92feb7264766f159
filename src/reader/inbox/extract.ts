/**
 * Article extraction for "fetch full text" (pure): bytes to text, Readability on a linkedom
 * document, then the reader's sanitizer. Loaded lazily by fulltext.ts.
 */
import { Readability } from "@mozilla/readability";
import { parseHTML } from "linkedom";
import { decodeBytes } from "../feed/decode.ts";
import { sanitizeHtml, toPlainText } from "../sanitize.ts";
import { httpUrl } from "./format.ts";
import { FullTextError } from "./fulltext.ts";

/** Readability walks every element; a cap keeps a pathological page from pinning the CPU. */
const MAX_ELEMENTS = 30_000;
/** Readability always returns its best guess; below this much text it found menus, not an article. */
const MIN_TEXT = 80;

/** Page bytes to text: BOM, HTTP charset, then the document's own <meta charset>, else UTF-8. */
export function decodePage(bytes: Uint8Array, contentType: string | null): string {
  return decodeBytes(bytes, contentType).text;
}

/** Readability's article from a page, sanitized; "" when there is none. */
export function extractArticle(pageHtml: string, pageUrl: string): string {
  const { document } = parseHTML(pageHtml);
  // Relative links resolve against <base href> when the page has one, else the final URL.
  let base = pageUrl;
  const baseHref = document.querySelector("base[href]")?.getAttribute("href");
  if (baseHref) base = httpUrl(safeResolve(baseHref, pageUrl)) ?? pageUrl;
  let article: ReturnType<Readability["parse"]>;
  try {
    article = new Readability(document as unknown as Document, { maxElemsToParse: MAX_ELEMENTS }).parse();
  } catch (err) {
    throw new FullTextError(`The page at ${pageUrl} is too large or too unusual to extract an article from.`, {
      cause: err,
    });
  }
  if (!article?.content) return "";
  const clean = sanitizeHtml(article.content, base);
  return toPlainText(clean).trim().length >= MIN_TEXT ? clean : "";
}

function safeResolve(href: string, against: string): string {
  try {
    return new URL(href, against).href;
  } catch {
    return against;
  }
}
