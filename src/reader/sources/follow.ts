/**
 * Finding the feed behind a URL someone pasted: the URL itself when it is a feed, else the feeds
 * its page links to (`<link rel="alternate">`), else the usual places on the site (/feed,
 * /rss.xml, …). Every request goes through the guarded fetcher; the whole search is bounded.
 */
import type { AppContext } from "../../lib/context.ts";
import { ValidationError } from "../../lib/errors.ts";
import { FetchError, type FetchResult } from "../../lib/net/types.ts";
import { decodeBytes } from "../feed/decode.ts";
import { commonFeedUrls, findFeedLinks } from "../feed/discover.ts";
import { parseFeed } from "../feed/parse.ts";
import type { Feed } from "../feed/types.ts";
import { errorMessage, FEED_ACCEPT, httpErrorMessage } from "./poll.ts";

/** A feed found for a URL, with the response it came in (for its validators and cache hints). */
export interface FoundFeed {
  feed: Feed;
  res: FetchResult;
  /** How it was found: the URL was the feed, the page linked to it, or a common path had it. */
  foundBy: "feed" | "link" | "path";
}

const PAGE_TIMEOUT_MS = 15_000;
/** Guesses (linked feeds, common paths) get less time each: most sites answer fast or not at all. */
const GUESS_TIMEOUT_MS = 8_000;
/** The whole search stops trying new URLs after this long. */
const SEARCH_BUDGET_MS = 45_000;
const MAX_LINKED = 5;

/**
 * The address someone typed, as an absolute http(s) URL without a fragment. Accepts "example.com"
 * (https is assumed) and feed: URLs. Throws ValidationError naming the `url` field. Pure.
 */
export function normalizeInputUrl(raw: string): string {
  let s = raw.trim();
  if (!s) throw new ValidationError("Enter the web address (URL) of a site or feed.", { field: "url" });
  // feed://host/path and feed:https://host/path are old browser conventions for "subscribe to this".
  if (/^feed:\/\//i.test(s)) s = `http:${s.slice(5)}`;
  else if (/^feed:/i.test(s)) s = s.slice(5);
  if (!/^[a-z][a-z0-9+.-]*:\/\//i.test(s)) {
    if (/^(javascript|data|mailto|file|about|vbscript|blob):/i.test(s)) {
      throw new ValidationError(`The URL must start with http:// or https:// (got "${raw.trim()}").`, { field: "url" });
    }
    s = `https://${s}`;
  }
  let url: URL;
  try {
    url = new URL(s);
  } catch {
    throw new ValidationError(`"${raw.trim()}" is not a valid web address (URL).`, { field: "url" });
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") {
    throw new ValidationError(`The URL must start with http:// or https:// (got "${raw.trim()}").`, { field: "url" });
  }
  if (!url.hostname.includes(".") && url.hostname !== "localhost" && !url.hostname.startsWith("[")) {
    throw new ValidationError(`"${raw.trim()}" is not a valid web address (URL): the host has no domain.`, {
      field: "url",
    });
  }
  url.hash = "";
  return url.href;
}

function tryParse(res: FetchResult): Feed | null {
  if (res.status !== 200 || !res.body.length) return null;
  try {
    return parseFeed(res.body, { url: res.url, contentType: res.headers.get("content-type") });
  } catch {
    return null;
  }
}

/** Fetch a guess; a failure just means "not here". */
async function tryFeedAt(ctx: AppContext, url: string): Promise<FoundFeed | null> {
  try {
    const res = await ctx.fetcher.fetch(url, { timeoutMs: GUESS_TIMEOUT_MS, headers: { Accept: FEED_ACCEPT } });
    const feed = tryParse(res);
    return feed ? { feed, res, foundBy: "path" } : null;
  } catch {
    return null;
  }
}

/**
 * Why fetching `url` failed, without the fetcher's own "could not fetch <url>: " or "refused to
 * fetch <url>: " (the caller names the address once). A failure at a redirect's target keeps
 * naming that address. Pure.
 */
export function fetchReason(err: unknown, url: string): string {
  if (!(err instanceof FetchError)) return String(err);
  const reason = errorMessage(err, { timeoutMs: PAGE_TIMEOUT_MS });
  if (err.url !== url) return reason;
  for (const [prefix, instead] of [
    [`could not fetch ${url}: `, ""],
    [`refused to fetch ${url}: `, "refused, "],
  ]) {
    if (reason.startsWith(prefix)) return instead + reason.slice(prefix.length);
  }
  return reason;
}

/** Find the feed for `url`. Throws ValidationError (field `url`) with the reason when there is none. */
export async function discoverFeed(ctx: AppContext, url: string): Promise<FoundFeed> {
  const started = performance.now();
  const inBudget = () => performance.now() - started < SEARCH_BUDGET_MS;
  let page: FetchResult;
  try {
    page = await ctx.fetcher.fetch(url, {
      timeoutMs: PAGE_TIMEOUT_MS,
      headers: { Accept: `${FEED_ACCEPT.replace(", */*;q=0.5", "")}, text/html;q=0.7, */*;q=0.5` },
    });
  } catch (err) {
    throw new ValidationError(`Could not fetch ${url}: ${fetchReason(err, url)}`, { field: "url", cause: err });
  }
  if (page.status >= 400) {
    throw new ValidationError(`Could not fetch ${url}: ${httpErrorMessage(page.status)}.`, { field: "url" });
  }
  const direct = tryParse(page);
  if (direct) return { feed: direct, res: page, foundBy: "feed" };

  const html = decodeBytes(page.body, page.headers.get("content-type")).text;
  const linked = findFeedLinks(html, page.url)
    .map((l) => l.url)
    .slice(0, MAX_LINKED);
  for (const link of linked) {
    if (!inBudget()) break;
    const found = await tryFeedAt(ctx, link);
    if (found) return { ...found, foundBy: "link" };
  }
  const tried = new Set(linked);
  for (const candidate of commonFeedUrls(page.url)) {
    if (!inBudget()) break;
    if (tried.has(candidate)) continue;
    tried.add(candidate);
    const found = await tryFeedAt(ctx, candidate);
    if (found) return found;
  }
  throw new ValidationError(
    `No feed found at ${url}: it is not a feed, its page links to no feed, and none of the usual places (such as /feed and /rss.xml) has one.`,
    { field: "url" },
  );
}
