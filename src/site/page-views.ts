/**
 * Handing the site's served pages to the modules that count them (lib/module.ts `PageView`): only
 * HTML pages answered 200, or 304 to a browser that had the page, to readers signed out. Counting
 * itself (and what is kept) is the listening module's; this only reads the few headers it needs.
 */
import type { IncomingMessage } from "node:http";
import type { MiddlewareHandler } from "hono";
import type { AppContext } from "../lib/context.ts";
import { peerAddress } from "../lib/http/client-ip.ts";
import type { AppEnv } from "../lib/http/env.ts";
import type { PageView, PageViewSink } from "../lib/module.ts";
import type { HeaderReader } from "./cache.ts";

const counted = (contentType: string, status: number) =>
  (status === 200 || status === 304) && contentType.startsWith("text/html");

/** Note a view answered through a header reader (the router's way, the fetch-level fast path). */
export function noteView(
  sink: PageViewSink | undefined,
  view: { contentType: string; status: number; url: string; peer: string; at: number },
  header: HeaderReader,
): void {
  if (!sink || !counted(view.contentType, view.status)) return;
  const u = new URL(view.url);
  sink({
    path: u.pathname,
    search: u.search,
    peer: view.peer,
    forwardedFor: header("x-forwarded-for"),
    forwarded: header("forwarded"),
    referer: header("referer"),
    ua: header("user-agent"),
    dnt: header("dnt"),
    gpc: header("sec-gpc"),
    purpose: header("sec-purpose") ?? header("purpose"),
    at: view.at,
  });
}

/** Note a view answered on the Node fast path, its headers read from `rawHeaders`. */
export function noteNodeView(
  sink: PageViewSink | undefined,
  req: IncomingMessage,
  page: { contentType: string },
  status: number,
  at: number,
): void {
  if (!sink || !counted(page.contentType, status)) return;
  const target = req.url ?? "/";
  const q = target.indexOf("?");
  const view: PageView = {
    path: q < 0 ? target : target.slice(0, q),
    search: q < 0 ? "" : target.slice(q),
    peer: req.socket.remoteAddress ?? "unknown",
    at,
  };
  const raw = req.rawHeaders;
  for (let i = 0; i < raw.length; i += 2) {
    const name = raw[i].toLowerCase();
    const value = raw[i + 1];
    if (name === "referer") view.referer = value;
    else if (name === "user-agent") view.ua = value;
    else if (name === "dnt") view.dnt = value;
    else if (name === "sec-gpc") view.gpc = value;
    else if (name === "sec-purpose" || name === "purpose") view.purpose = value;
    else if (name === "x-forwarded-for") view.forwardedFor = value;
    else if (name === "forwarded") view.forwarded = value;
  }
  sink(view);
}

/** Paths whose pages are not the readers': the admin and signing in (auth's token pages are its `secretPaths`). */
const NOT_COUNTED = /^\/(?:admin|login|logout)(?:\/|$)/;

/**
 * Middleware: after the router answers a signed-out GET with an HTML page (200, or 304), hand it
 * to the counting modules. Covers every module's public pages; the cached fast path, which never
 * reaches the router, hands over its own.
 */
export function countedPages(ctx: AppContext, views: PageViewSink): MiddlewareHandler<AppEnv> {
  // Token links and private previews (modules' `secretPaths`): their addresses are kept nowhere.
  const secret = ctx.host.secretPaths();
  return async (c, next) => {
    await next();
    // The cheap checks first: most answers that are no page end here.
    if (c.req.method !== "GET" || !counted(c.res.headers.get("content-type") ?? "", c.res.status)) return;
    if (c.get("user") || NOT_COUNTED.test(c.req.path)) return;
    const path = c.req.path;
    if (secret.some((s) => (typeof s === "string" ? path.startsWith(s) : s.test(path)))) return;
    noteView(
      views,
      {
        contentType: c.res.headers.get("content-type") ?? "",
        status: c.res.status,
        url: c.req.url,
        peer: peerAddress(c),
        at: ctx.now().getTime(),
      },
      (n) => c.req.header(n),
    );
  };
}
