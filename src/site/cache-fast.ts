/**
 * The cached-page fast paths: a signed-out GET of a page in the page cache is answered before the
 * request reaches the router. No cookie at all means no session, so the answer is exactly what
 * `publicRoute` gives for a hit (same body and headers, security headers included). Anything
 * else, a miss, or a cache whose freshness is being checked takes the normal way.
 *
 * Two entry points with one answer: `cachedPageFastPath` works on a fetch Request (app.fetch, so
 * `app.request()` in tests), and `cachedPageNodeFastPath` on Node's request and response, used by
 * the server. The Node one skips building a Request, a Response and a Headers object, and writes
 * a header list made once per page and encoding, with only the CSP nonce filled in per request.
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import type { AppContext } from "../lib/context.ts";
import { addSecurityHeaders, contentSecurityPolicy, nextNonce } from "../lib/http/security.ts";
import type { PageViewSink } from "../lib/module.ts";
import {
  type Answer,
  answerOf,
  bodyOf,
  cacheKey,
  cacheKeyOfTarget,
  freshness,
  type HeaderReader,
  pageHeaders,
  pageResponse,
  type SitePage,
} from "./cache.ts";
import { noteNodeView, noteView } from "./page-views.ts";

/**
 * The cache holds pages: a client that asks for JSON (a fediverse server fetching a post as
 * ActivityStreams) goes the normal way, where the route that speaks JSON answers it.
 */
const wantsJson = (accept: string | undefined) => accept?.includes("json") === true;

/** Fast path over a fetch Request; `env.incoming` (from @hono/node-server) has the parsed headers. */
export function cachedPageFastPath(
  ctx: AppContext,
  views?: PageViewSink,
): (req: Request, env: unknown) => Response | undefined {
  const fresh = freshness(ctx);
  return (req, env) => {
    if (!ctx.config.pageCache || req.method !== "GET") return undefined;
    // Under @hono/node-server the Node request is at hand; its header object is already parsed.
    const incoming = (env as { incoming?: IncomingMessage } | undefined)?.incoming;
    const nodeHeaders = incoming?.headers;
    const header: HeaderReader = nodeHeaders
      ? (name) => {
          const v = nodeHeaders[name];
          return typeof v === "string" ? v : undefined;
        }
      : (name) => req.headers.get(name) ?? undefined;
    if (header("cookie") !== undefined || wantsJson(header("accept")) || fresh.ensure()) return undefined;
    const hit = ctx.cache.get(cacheKey(req.url)) as SitePage | undefined;
    if (!hit) return undefined;
    const res = pageResponse(header, hit, hit.cacheControl, addSecurityHeaders({}, nextNonce()));
    if (views) {
      const peer = incoming?.socket?.remoteAddress ?? "local";
      const at = ctx.now().getTime();
      noteView(views, { contentType: hit.contentType, status: res.status, url: req.url, peer, at }, header);
    }
    return res;
  };
}

// What @hono/node-server sends through without rebuilding the URL (its own checks): anything
// else (dot segments, odd characters, absolute-form targets, unusual Host headers) goes the normal
// way, so the cache key here is always the one the router would compute.
const SIMPLE_TARGET = /^\/[!#$&-;=?-[\]_a-z~]*$/;
const DOT_SEGMENT = /\/\.\.?(?:[/?#]|$)/;
const SIMPLE_HOST = /^[a-z0-9._-]+(?::(?:[1-5]\d{3,4}|[6-9]\d{3}))?$/;

/** Is `name` (any case) equal to `lower` (lower case)? Without allocating for the usual spellings. */
function named(name: string, lower: string): boolean {
  return name.length === lower.length && (name === lower || name.toLowerCase() === lower);
}

const NONCE_SLOT = "\0nonce\0";

/** A response's header list (name, value, name, value …) and where its CSP value goes. */
interface HeaderList {
  list: string[];
  csp: number;
}

/** Per-entry header lists, one per answer (status and encoding); they go when the entry goes. */
const listsOf = new WeakMap<SitePage, Map<string, HeaderList>>();

/**
 * The header list for an answer, in the order and case the router's response has (a Headers
 * object: lower-case names, sorted; then Content-Length), so both ways give the same bytes.
 */
function headerList(page: SitePage, answer: Answer, body: Buffer | null): HeaderList {
  let lists = listsOf.get(page);
  if (!lists) {
    lists = new Map();
    listsOf.set(page, lists);
  }
  const id = `${answer.status}${answer.enc ?? ""}`;
  let made = lists.get(id);
  if (!made) {
    const record = addSecurityHeaders(pageHeaders(page, answer, page.cacheControl, {}), NONCE_SLOT);
    const entries = Object.entries(record)
      .map(([name, value]) => [name.toLowerCase(), value])
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    const list = entries.flat();
    if (body) list.push("Content-Length", String(body.length));
    made = { list, csp: list.indexOf(contentSecurityPolicy(NONCE_SLOT)) };
    lists.set(id, made);
  }
  return made;
}

/**
 * Fast path over Node's request and response: true when it answered. Used by the server before
 * the Hono adapter; the fetch-level path stays for everything else (tests, other adapters).
 */
export function cachedPageNodeFastPath(
  ctx: AppContext,
  views?: PageViewSink,
): (req: IncomingMessage, res: ServerResponse) => boolean {
  const fresh = freshness(ctx);
  return (req, res) => {
    if (!ctx.config.pageCache || req.method !== "GET") return false;
    const target = req.url ?? "";
    if (!SIMPLE_TARGET.test(target) || DOT_SEGMENT.test(target)) return false;
    // The few headers that matter, straight from rawHeaders (cheaper than Node building its header
    // object). A cookie means a possible session, and Node would join a repeated header: both
    // take the normal way.
    const raw = req.rawHeaders;
    let host: string | undefined;
    let acceptEncoding: string | undefined;
    let ifNoneMatch: string | undefined;
    let ifModifiedSince: string | undefined;
    for (let i = 0; i < raw.length; i += 2) {
      const name = raw[i];
      const value = raw[i + 1];
      if (named(name, "host")) {
        if (host !== undefined) return false;
        host = value;
      } else if (named(name, "cookie")) return false;
      else if (named(name, "accept") && wantsJson(value)) return false;
      else if (named(name, "accept-encoding")) {
        if (acceptEncoding !== undefined) return false;
        acceptEncoding = value;
      } else if (named(name, "if-none-match")) {
        if (ifNoneMatch !== undefined) return false;
        ifNoneMatch = value;
      } else if (named(name, "if-modified-since")) {
        if (ifModifiedSince !== undefined) return false;
        ifModifiedSince = value;
      }
    }
    if (host === undefined || !SIMPLE_HOST.test(host) || fresh.ensure()) return false;
    const hit = ctx.cache.get(cacheKeyOfTarget(target)) as SitePage | undefined;
    if (!hit) return false;
    const answer = answerOf(hit, acceptEncoding, ifNoneMatch, ifModifiedSince);
    const body = bodyOf(hit, answer);
    const { list, csp } = headerList(hit, answer, body);
    // writeHead reads the list synchronously and keeps none of it, so the one list is reused.
    list[csp] = contentSecurityPolicy(nextNonce());
    res.writeHead(answer.status, list);
    if (body) res.end(body);
    else res.end();
    if (views) noteNodeView(views, req, hit, answer.status, ctx.now().getTime());
    return true;
  };
}
