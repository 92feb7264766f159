/**
 * Bytes → normalized, sanitized Feed: decode (BOM, HTTP charset, XML prolog, UTF-8), tell feeds
 * from HTML pages and broken documents, parse with feedsmith, then map every format to one shape
 * (see types.ts): plain-text titles, sanitized HTML, absolute URLs (xml:base, the document URL),
 * ISO 8601 UTC dates, normalized authors and enclosures, items de-duplicated (first one wins).
 *
 * Mapping choices: RSS <description> is the summary and <content:encoded> the content (so a
 * summary-only feed has content null); Atom entries without <published> use <updated>; Atom
 * and JSON Feed items without authors inherit the feed's. Pure.
 */
import { parseAtomFeed, parseJsonFeed, parseRdfFeed, parseRssFeed } from "feedsmith";
import { isCdfRoot, parseCdf } from "./cdf.ts";
import { decodeBytes } from "./decode.ts";
import { findFeedLinks } from "./discover.ts";
import { mapAtom } from "./map-atom.ts";
import { mapJson } from "./map-json.ts";
import { mapRss } from "./map-rss.ts";
import { isAtom03, markEmptyElements, prepareAtom03 } from "./prepare.ts";
import { type Feed, FeedParseError } from "./types.ts";
import { resolveUrl } from "./urls.ts";
import { checkXml } from "./xmlcheck.ts";

export interface ParseFeedOptions {
  /** The URL the bytes came from (after redirects): the base for relative URLs. */
  url?: string;
  /** The response's Content-Type (its charset decides the encoding; text/html hints a page). */
  contentType?: string | null;
  /** A base URL that overrides `url` (e.g. `liner feed parse FILE --base URL`). */
  base?: string;
}

// Whitespace, an XML declaration and comments, then the start of an HTML document.
const HTML_START =
  /^(?:\s|<\?xml[^>]*>|<!--[\s\S]*?-->)*<(?:!doctype\s+html|html|head|body|meta|title|script|div|p)[\s>/]/i;

function htmlPage(text: string, pageUrl: string | null): FeedParseError {
  const links = findFeedLinks(text, pageUrl ?? "");
  const hint = links.length ? `; it links to a feed at ${links[0].url}` : "";
  return new FeedParseError(`this is an HTML page, not a feed${hint}`);
}

function parseJson(text: string, docBase: string | null): Feed {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    throw new FeedParseError(`invalid JSON: ${(err as Error).message}`, { cause: err });
  }
  const v = value as Record<string, unknown> | null;
  if (!v || typeof v !== "object" || Array.isArray(v) || !String(v.version ?? "").includes("jsonfeed.org")) {
    throw new FeedParseError(
      'not a feed: JSON, but not a JSON Feed (no "version": "https://jsonfeed.org/version/1.1")',
    );
  }
  if (v.items !== undefined && !Array.isArray(v.items)) {
    throw new FeedParseError('not a valid JSON Feed: "items" is not a list');
  }
  return mapJson(parseJsonFeed(v), docBase);
}

/**
 * Parse feed bytes (RSS 0.9x/2.0, RSS 1.0/RDF, Atom 0.3/1.0, JSON Feed 1.0/1.1, CDF) into a Feed.
 * Throws FeedParseError with a user-facing reason: empty, an HTML page, invalid XML or JSON,
 * or not a feed format.
 */
export function parseFeed(bytes: Uint8Array, opts: ParseFeedOptions = {}): Feed {
  if (!bytes.length) throw new FeedParseError("the document is empty");
  let { text } = decodeBytes(bytes, opts.contentType);
  // XML forbids NUL, and PostgreSQL cannot store it in text: it goes before anything reads it.
  if (text.includes("\0")) text = text.replaceAll("\0", "");
  const start = text.search(/\S/);
  if (start < 0) throw new FeedParseError("the document is empty (only whitespace)");
  const docBase = resolveUrl(opts.base, null) ?? resolveUrl(opts.url, null);
  const c = text[start];
  if (c === "{") return parseJson(text, docBase);
  if (c !== "<") throw new FeedParseError("not a feed: the document is neither XML nor JSON");
  if (HTML_START.test(text.slice(start, start + 65_536))) throw htmlPage(text, docBase);
  const root = checkXml(text, start);
  const local = root.slice(root.indexOf(":") + 1);
  if (isCdfRoot(local)) return parseCdf(text, docBase);
  // An internal DTD subset is skipped, never expanded (feedsmith does not expand entities either):
  // a "billion laughs" document stays as small as it is.
  text = markEmptyElements(text);
  if (local === "rss")
    return mapRss(
      "rss",
      xml("RSS", () => parseRssFeed(text)),
      docBase,
    );
  if (local === "feed")
    return mapAtom(
      xml("Atom", () => parseAtomFeed(isAtom03(text) ? prepareAtom03(text) : text)),
      docBase,
    );
  if (local === "RDF")
    return mapRss(
      "rdf",
      xml("RSS 1.0 (RDF)", () => parseRdfFeed(text)),
      docBase,
    );
  if (local.toLowerCase() === "html") throw htmlPage(text, docBase);
  throw new FeedParseError(
    `not a feed: the root element is <${root}>; feeds start with <rss>, <feed>, <rdf:RDF> or <CHANNEL>`,
  );
}

/** Run feedsmith, turning its errors into a FeedParseError naming the format. */
function xml<T>(format: string, parse: () => T): T {
  try {
    return parse();
  } catch (err) {
    const why = format === "RSS" ? " (it has no <channel>?)" : "";
    throw new FeedParseError(`not a valid ${format} feed${why}`, { cause: err });
  }
}
