/**
 * "Fetch full text" for summary-only feeds: fetch the item's link through the guarded fetcher,
 * decode, extract the article (extract.ts: Readability on a linkedom document, sanitized), and
 * cache the result in items.full_html, so a second request never fetches again. Every failure
 * becomes a FullTextError whose message is shown on the item page.
 */
import type { AppContext } from "../../lib/context.ts";
import { FetchError, type FetchResult } from "../../lib/net/types.ts";
import { itemText } from "../sources/rows.ts";
import { httpUrl } from "./format.ts";
import { type ItemWithSource, inboxStore } from "./store.ts";

/** Pages larger than this are not articles worth extracting. */
const MAX_BYTES = 5 * 1024 * 1024;

/** Full text could not be fetched or extracted; the message is user-facing and says why. */
export class FullTextError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = "FullTextError";
  }
}

/** The item's full text as sanitized HTML, from the cache or fetched now. */
export async function fetchFullText(ctx: AppContext, item: ItemWithSource): Promise<{ html: string; cached: boolean }> {
  if (item.full_html) return { html: item.full_html, cached: true };
  const url = httpUrl(item.url);
  if (!url) throw new FullTextError("This item has no web address to fetch the full text from.");
  let res: FetchResult;
  try {
    res = await ctx.fetcher.fetch(url, {
      headers: { Accept: "text/html,application/xhtml+xml;q=0.9,*/*;q=0.1" },
      maxBytes: MAX_BYTES,
      timeoutMs: 20_000,
    });
  } catch (err) {
    if (err instanceof FetchError) throw new FullTextError(err.message, { cause: err });
    throw err;
  }
  if (res.status >= 400) {
    throw new FullTextError(`The page at ${url} answered with HTTP ${res.status}, so there is no full text to show.`);
  }
  const type = (res.headers.get("content-type") ?? "").toLowerCase();
  if (type && !/html|xml|text\/plain/.test(type)) {
    const what = type.split(";")[0];
    throw new FullTextError(`The link ${url} is not a web page (it is ${what}), so there is no text to extract.`);
  }
  // Readability, linkedom and the sanitizer load on first use: most processes never need them.
  const { decodePage, extractArticle } = await import("./extract.ts");
  const html = extractArticle(decodePage(res.body, res.headers.get("content-type")), res.url || url);
  if (!html) throw new FullTextError(`No article text was found on ${url}. Open the original page instead.`);
  // Searchable from now on: "I read something about that" finds the article, not only its teaser.
  await inboxStore(ctx.db).setFullHtml(
    item.id,
    html,
    itemText({ title: item.title, summary: item.summary_html, content: html }),
  );
  return { html, cached: false };
}
