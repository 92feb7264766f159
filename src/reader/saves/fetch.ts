/**
 * Fetching a page being saved, through the guarded fetcher, into metadata and readable text.
 * A failure never stops a save: it comes back as a problem code the page explains, and the save
 * keeps what the user typed.
 */
import type { AppContext } from "../../lib/context.ts";
import { FetchError, type FetchErrorCode } from "../../lib/net/types.ts";
import { decodeBytes } from "../feed/decode.ts";
import { analyzePage, type PageAnalysis } from "./metadata.ts";

/** Why a page gave no metadata: a fetch error code, an HTTP error, or a response that is not HTML. */
export type FetchProblem = FetchErrorCode | "http" | "not-html";

export type FetchedPage =
  | ({ ok: true; finalUrl: string } & PageAnalysis)
  | { ok: false; problem: FetchProblem; message: string };

/** Pages larger than this are not read (metadata sits at the top; the text is capped anyway). */
const MAX_PAGE_BYTES = 5 * 1024 * 1024;
const HTML_TYPE = /^(?:text\/html|application\/xhtml\+xml)\b/i;

/** Fetch `url` and read its metadata and text. Never throws for a bad page. */
export async function fetchPage(ctx: AppContext, url: string): Promise<FetchedPage> {
  let res: Awaited<ReturnType<AppContext["fetcher"]["fetch"]>>;
  try {
    res = await ctx.fetcher.fetch(url, {
      headers: { Accept: "text/html,application/xhtml+xml;q=0.9,*/*;q=0.1" },
      timeoutMs: 15_000,
      maxBytes: MAX_PAGE_BYTES,
    });
  } catch (err) {
    if (err instanceof FetchError) return { ok: false, problem: err.code, message: err.message };
    ctx.log.warn("save: page fetch failed", { url, error: String(err) });
    return { ok: false, problem: "network", message: `Could not fetch ${url}.` };
  }
  if (res.status >= 400) {
    return { ok: false, problem: "http", message: `${url} answered with HTTP ${res.status}.` };
  }
  const type = res.headers.get("content-type") ?? "";
  if (type && !HTML_TYPE.test(type)) {
    return { ok: false, problem: "not-html", message: `${url} is not a web page (${type.split(";")[0]}).` };
  }
  const html = decodeBytes(res.body, type || null).text;
  return { ok: true, finalUrl: res.url, ...analyzePage(html, res.url) };
}

/** What the save page says about a fetch problem (by code, so no fetched text is echoed). */
export const fetchProblemNotices: Record<FetchProblem, string> = {
  timeout: "Saved. The page took too long to answer, so only what you typed was kept.",
  blocked: "Saved. That address is on a private or local network, so the page was not fetched.",
  "too-large": "Saved. The page is too large to read, so only what you typed was kept.",
  "too-many-redirects": "Saved. The page redirects too many times, so only what you typed was kept.",
  "bad-url": "Saved. The address could not be fetched, so only what you typed was kept.",
  network: "Saved. The page could not be reached, so only what you typed was kept.",
  http: "Saved. The page answered with an error, so only what you typed was kept.",
  "not-html": "Saved. The link is not a web page, so it has no page text to search.",
};
