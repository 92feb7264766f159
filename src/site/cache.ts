/**
 * HTTP caching for public pages: rendered responses for signed-out visitors are kept in
 * `ctx.cache` (keyed by path and the query parameters the page reads), revalidated with
 * ETag / Last-Modified (304) and served gzip- or brotli-compressed. A hit costs a Map lookup.
 *
 * Freshness across processes: every content change moves the content version (a counter in
 * content's `content_state`); each process re-reads it at most every FRESHNESS_MS and clears its
 * cache when it moved, so a change made through one process is served by every other within a
 * second. Posts published with a future date become visible without a change, so their release
 * time clears the cache too.
 */
import type { Context, Handler } from "hono";
import type { AppContext } from "../lib/context.ts";
import { type CachedPage, compressed, etagOf } from "../lib/http/cache.ts";
import type { AppEnv } from "../lib/http/env.ts";
import { invalidationsAfter, lastInvalidation } from "../lib/http/page-invalidations.ts";
import { siteStore } from "./store.ts";

export const HTML = "text/html; charset=utf-8";
/** HTML and feeds: always revalidate (cheap with the ETag), so changes show at once. */
export const REVALIDATE = "public, max-age=0, must-revalidate";

/** Query parameters that change a public page; others (utm_*, etc.) share the cached entry. */
const KEY_PARAMS = ["page", "q", "theme", "kind", "v"];

/** Cache key: the path plus the known query parameters in a fixed order. */
export function cacheKey(url: string): string {
  return cacheKeyOfTarget(url.slice(url.indexOf("/", url.indexOf("//") + 2)));
}

/** `cacheKey` of a request target (the path and query, as in the request line). */
export function cacheKeyOfTarget(target: string): string {
  const q = target.indexOf("?");
  if (q < 0) return target;
  const params = new URLSearchParams(target.slice(q + 1));
  let key = target.slice(0, q);
  let sep = "?";
  for (const name of KEY_PARAMS) {
    const v = params.get(name);
    if (v !== null && v !== "") {
      key += `${sep}${name}=${encodeURIComponent(v)}`;
      sep = "&";
    }
  }
  return key;
}

/** Pick the response encoding from Accept-Encoding: br, then gzip; honours q=0. Pure. */
export function pickEncoding(header: string | undefined): "br" | "gzip" | undefined {
  if (!header) return undefined;
  let gzip = false;
  for (const part of header.split(",")) {
    const [name, ...params] = part.trim().toLowerCase().split(";");
    const refused = params.some((p) => /^\s*q=0(\.0*)?\s*$/.test(p));
    if (refused) continue;
    if (name === "br") return "br";
    if (name === "gzip" || name === "x-gzip") gzip = true;
  }
  return gzip ? "gzip" : undefined;
}

function etagFor(page: CachedPage, enc: "br" | "gzip" | undefined): string {
  return enc ? `${page.etag.slice(0, -1)}-${enc}"` : page.etag;
}

/** Does If-None-Match name this page (any encoding's variant, weak or strong)? */
function matchesEtag(header: string, page: CachedPage): boolean {
  if (header.trim() === "*") return true;
  const base = page.etag.slice(1, -1);
  for (const raw of header.split(",")) {
    const tag = raw.trim().replace(/^W\//, "").slice(1, -1);
    if (tag === base || tag === `${base}-br` || tag === `${base}-gzip`) return true;
  }
  return false;
}

/** Reads a request header (lower-case name). */
export type HeaderReader = (name: string) => string | undefined;

/** What to send for a page: its status, or 304 when the client's copy is current, and the encoding. */
export interface Answer {
  status: number;
  enc: "br" | "gzip" | undefined;
}

/** Decide the answer to a request for a page (every way of serving a page goes through here). */
export function answerFor(header: HeaderReader, page: CachedPage): Answer {
  const inm = header("if-none-match");
  return answerOf(page, header("accept-encoding"), inm, inm === undefined ? header("if-modified-since") : undefined);
}

// The few possible answers, made once: the fast path answers without allocating one.
const ANSWERS = new Map<string, Answer>();
function answer(status: number, enc: Answer["enc"]): Answer {
  const id = `${status}${enc ?? ""}`;
  let a = ANSWERS.get(id);
  if (!a) {
    a = Object.freeze({ status, enc });
    ANSWERS.set(id, a);
  }
  return a;
}
const OK = { br: answer(200, "br"), gzip: answer(200, "gzip"), none: answer(200, undefined) };
const NOT_MODIFIED = { br: answer(304, "br"), gzip: answer(304, "gzip"), none: answer(304, undefined) };

/** `answerFor` on the header values themselves (Accept-Encoding, If-None-Match, If-Modified-Since). */
export function answerOf(
  page: CachedPage,
  acceptEncoding: string | undefined,
  ifNoneMatch: string | undefined,
  ifModifiedSince: string | undefined,
): Answer {
  const enc = page.body.length > 512 ? pickEncoding(acceptEncoding) : undefined;
  const ims = ifNoneMatch === undefined ? ifModifiedSince : undefined;
  const current =
    page.status === 200 &&
    ((ifNoneMatch !== undefined && matchesEtag(ifNoneMatch, page)) ||
      (ims !== undefined && Date.parse(ims) >= Date.parse(page.lastModified)));
  if (current) return NOT_MODIFIED[enc ?? "none"];
  return page.status === 200 ? OK[enc ?? "none"] : answer(page.status, enc);
}

/** The page's own headers for an answer, added to `headers` (the caller adds the security headers). */
export function pageHeaders(
  page: CachedPage,
  answer: Answer,
  cacheControl: string,
  headers: Record<string, string>,
): Record<string, string> {
  headers["Content-Type"] = page.contentType;
  headers.ETag = etagFor(page, answer.enc);
  headers["Last-Modified"] = page.lastModified;
  headers["Cache-Control"] = cacheControl;
  // Accept too: a post's address answers ActivityStreams JSON to a fediverse server (fediverse).
  headers.Vary = "Accept, Accept-Encoding";
  if (page.link) headers.Link = page.link;
  if (answer.status !== 304 && answer.enc) headers["Content-Encoding"] = answer.enc;
  return headers;
}

/** The body bytes of an answer: none for a 304, else compressed or UTF-8, made once per entry. */
export function bodyOf(page: CachedPage, answer: Answer): Buffer | null {
  if (answer.status === 304) return null;
  if (answer.enc) return compressed(page, answer.enc);
  // Encoded once per entry: writing a cached Buffer is much cheaper than re-encoding the string.
  const site = page as SitePage;
  site.bytes ??= Buffer.from(page.body);
  return site.bytes;
}

/**
 * Answer a request from a rendered page: 304 if the client's copy is current, else the body in the
 * best encoding it accepts. Used for cache hits and fresh renders alike.
 */
export function respond(c: Context<AppEnv>, page: CachedPage, cacheControl: string): Response {
  return pageResponse((name) => c.req.header(name), page, cacheControl, {});
}

/** `respond` over a header reader; `headers` may already hold other response headers. */
export function pageResponse(
  header: HeaderReader,
  page: CachedPage,
  cacheControl: string,
  headers: Record<string, string>,
): Response {
  const answer = answerFor(header, page);
  pageHeaders(page, answer, cacheControl, headers);
  const body = bodyOf(page, answer) as Uint8Array<ArrayBuffer> | null;
  return new Response(body, { status: answer.status, headers });
}

/** Build a cache entry from a rendered body. */
export function makePage(body: string, contentType: string, lastModified: Date, status = 200): CachedPage {
  const lm = new Date(Math.floor(lastModified.getTime() / 1000) * 1000).toUTCString();
  return { body, contentType, etag: etagOf(body), lastModified: lm, status };
}

/**
 * Keeps `ctx.cache` in step with content changed by other processes: at most every FRESHNESS_MS
 * it reads the content version (and the next scheduled release), and clears the cache on a change.
 */
export type Freshness = ReturnType<typeof makeFreshness>;

const freshnessOf = new WeakMap<AppContext, Freshness>();

/**
 * How often a process reads the content version (one single-row read). Under a second, so that
 * the read plus the request that finds a change still lands within a second of the change.
 */
const FRESHNESS_MS = 750;

/** See the module comment. One per context, shared by its apps and the cached-page fast path. */
export function freshness(ctx: AppContext): Freshness {
  let f = freshnessOf.get(ctx);
  if (!f) {
    f = makeFreshness(ctx, FRESHNESS_MS);
    freshnessOf.set(ctx, f);
  }
  return f;
}

function makeFreshness(ctx: AppContext, intervalMs: number) {
  const store = siteStore(ctx.db);
  let checkedAt = 0;
  let version: number | undefined;
  let releaseAt: string | null = null;
  let running: Promise<void> | null = null;
  let seenInvalidation: number | undefined;

  async function check(): Promise<void> {
    const now = ctx.now().toISOString();
    const v = await store.contentVersion();
    const released = releaseAt !== null && releaseAt <= now;
    if ((version !== undefined && v !== version) || released) ctx.cache.clear();
    // Single pages dropped by another process (or this one: dropping twice is harmless).
    if (seenInvalidation === undefined) seenInvalidation = await lastInvalidation(ctx.db);
    else
      for (const row of await invalidationsAfter(ctx.db, seenInvalidation)) {
        ctx.cache.invalidate(row.path);
        seenInvalidation = row.id;
      }
    if (v !== version || released || version === undefined) releaseAt = await store.nextRelease(now);
    version = v;
  }

  return {
    /** Resolve once the cache is known to be fresh (a DB read at most once per interval). */
    ensure(): Promise<void> | undefined {
      // The injected clock, so tests move time instead of sleeping; a clock moved back checks too.
      const t = ctx.now().getTime();
      if (Math.abs(t - checkedAt) < intervalMs) return running ?? undefined;
      checkedAt = t;
      running = check()
        .catch((err) => ctx.log.warn("content version check failed", { error: String(err) }))
        .finally(() => {
          running = null;
        });
      return running;
    },
  };
}

/** The Link header of HTML pages: every module's page links (the Webmention endpoint). */
function linkHeader(ctx: AppContext): string | undefined {
  const links = ctx.host.pageLinks();
  if (!links.length) return undefined;
  return links.map((l) => `<${ctx.config.baseUrl}${l.href}>; rel="${l.rel}"`).join(", ");
}

/** A rendered public response body; only status 200 is cached. */
export interface Rendered {
  body: string;
  contentType?: string;
  status?: number;
  /** Defaults to REVALIDATE. */
  cacheControl?: string;
}

/** What we keep in `ctx.cache`: the page plus its Cache-Control. */
export interface SitePage extends CachedPage {
  cacheControl: string;
  /** The body as UTF-8 bytes, made on first use. */
  bytes?: Buffer;
}

/** Renders a page, or returns a finished Response (redirects) that is never cached. */
export type Renderer = (c: Context<AppEnv>) => Promise<Rendered | Response>;

/**
 * Wrap a public GET route: signed-out visitors are served from `ctx.cache` when possible; fresh
 * 200 renders are stored (unless LINER_PAGE_CACHE=0). Every answer gets ETag, Last-Modified,
 * 304s and compression. Signed-in staff always get a fresh, private render.
 */
export function publicRoute(ctx: AppContext, fresh: Freshness, render: Renderer): Handler<AppEnv> {
  return async (c) => {
    const pending = fresh.ensure();
    if (pending) await pending;
    const anonymous = c.get("user") === null;
    const useCache = anonymous && ctx.config.pageCache;
    const key = useCache ? cacheKey(c.req.url) : "";
    if (useCache) {
      const hit = ctx.cache.get(key) as SitePage | undefined;
      if (hit) return respond(c, hit, hit.cacheControl);
    }
    const generation = ctx.cache.generation;
    const r = await render(c);
    if (r instanceof Response) return r;
    const status = r.status ?? 200;
    const page: SitePage = {
      ...makePage(r.body, r.contentType ?? HTML, ctx.now(), status),
      cacheControl: status === 200 ? (r.cacheControl ?? REVALIDATE) : "no-store",
      link: (r.contentType ?? HTML) === HTML ? linkHeader(ctx) : undefined,
    };
    if (useCache && status === 200) ctx.cache.set(key, page, generation);
    return respond(c, page, anonymous ? page.cacheControl : "private, no-cache");
  };
}
