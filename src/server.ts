/**
 * Start the HTTP server for a context (used by `liner serve` and benchmarks).
 *
 * Two things keep it fast and fair under many connections:
 * - Cached pages for signed-out visitors are answered on Node's request and response, before the
 *   Hono adapter builds a Request (`cachedPageNodeFastPath`); everything else goes through Hono.
 * - Several listening sockets on one port (SO_REUSEPORT, Linux). libuv accepts one connection per
 *   socket per event-loop turn, and under load a turn serves every busy connection once: at 1,000
 *   keep-alive connections a turn took ~40 ms, so new connections waited in the kernel's queue
 *   for seconds (wrk counted them as timeouts). With ACCEPT_SOCKETS sockets, as many are accepted
 *   per turn. A cluster worker (`--processes N`) listens once: the primary accepts for it.
 */
import cluster from "node:cluster";
import http from "node:http";
import net from "node:net";
import { getRequestListener } from "@hono/node-server";
import type { Hono } from "hono";
import { createApp } from "./app.ts";
import type { AppContext } from "./lib/context.ts";
import type { AppEnv } from "./lib/http/env.ts";
import type { PageViewSink } from "./lib/module.ts";
import { cachedPageNodeFastPath } from "./site/index.ts";

/** Listening sockets per process (Linux); see the module comment. */
export const ACCEPT_SOCKETS = 16;
/** Each socket's accept queue (the kernel caps it at net.core.somaxconn; Node's default is 511). */
const BACKLOG = 2048;

export interface RunningServer {
  server: http.Server;
  url: string;
  close(): Promise<void>;
}

/** A failure to listen, in words that say what to change. */
function listenError(err: NodeJS.ErrnoException, host: string, port: number): Error {
  const where = `${host.includes(":") ? `[${host}]` : host}:${port}`;
  if (err.code === "EADDRINUSE") {
    return new ListenError(`${where} is in use by another program: stop it, or choose another port (PORT or --port)`);
  }
  if (err.code === "EADDRNOTAVAIL")
    return new ListenError(`${host} is not an address of this machine (HOST or --host)`);
  if (err.code === "EACCES")
    return new ListenError(`not allowed to listen on ${where} (ports below 1024 need privileges)`);
  return err;
}

/** The server could not listen; the message says why and what to change. */
export class ListenError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "ListenError";
  }
}

/**
 * Fail now, with a ListenError, if host:port cannot be listened on: `liner serve --processes N`
 * asks before forking, so a taken port is one line rather than every worker failing in turn.
 */
export function checkListen(host: string, port: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const probe = net.createServer();
    probe.once("error", (err: NodeJS.ErrnoException) => reject(listenError(err, host, port)));
    probe.listen({ host, port, exclusive: true }, () => probe.close(() => resolve()));
  });
}

/**
 * The server's request listener: the cached-page fast path, else the app through the Hono adapter.
 * `hostname` stands in for a missing Host header, as in @hono/node-server's `serve()`.
 */
export function requestListener(
  ctx: AppContext,
  app: Hono<AppEnv>,
  hostname?: string,
  views?: PageViewSink,
): http.RequestListener {
  const fast = cachedPageNodeFastPath(ctx, views);
  const hono = getRequestListener(app.fetch, { hostname });
  return (req, res) => {
    let answered = false;
    try {
      answered = fast(req, res);
    } catch (err) {
      // It throws before writing anything: the normal way answers (and reports its own failures).
      ctx.log.warn("cached-page fast path failed", { path: req.url, error: String(err) });
    }
    if (!answered) void hono(req, res);
  };
}

/** Listen on host:port (port 0 picks a free one). Resolves once listening. */
export async function startServer(ctx: AppContext, host: string, port: number): Promise<RunningServer> {
  const sockets = process.platform === "linux" && !cluster.isWorker ? ACCEPT_SOCKETS : 1;
  // Sharing a port through SO_REUSEPORT would also let a second `liner serve` join this one's
  // port silently: ask for the port exclusively first, so a taken port is still an error.
  if (sockets > 1 && port !== 0) await checkListen(host, port);
  const server = http.createServer(requestListener(ctx, await createApp(ctx), host, await ctx.host.pageViews(ctx)));
  const extras: net.Server[] = [];
  const listen = (srv: net.Server, p: number, address: string) =>
    new Promise<void>((resolve, reject) => {
      // Before it listens, a failure (the port is taken, the address is not ours) is the caller's to report.
      srv.once("error", (err: NodeJS.ErrnoException) => reject(listenError(err, host, port)));
      srv.listen({ host: address, port: p, backlog: BACKLOG, reusePort: sockets > 1 }, () => resolve());
    });
  const closeAll = () =>
    Promise.all([server, ...extras].map((s) => new Promise<void>((r) => s.close(() => r())))).then(() => undefined);
  await listen(server, port, host);
  const info = server.address() as net.AddressInfo;
  for (let i = 1; i < sockets; i++) {
    // http.Server sets TCP_NODELAY on its sockets; these must match.
    const extra = net.createServer({ noDelay: true }, (socket) => server.emit("connection", socket));
    try {
      await listen(extra, info.port, info.address);
    } catch (err) {
      // The port is ours already: serve on the sockets we have rather than not at all.
      ctx.log.warn("listening on fewer sockets", { sockets: i, error: String(err) });
      break;
    }
    extras.push(extra);
  }
  const h = info.address.includes(":") ? `[${info.address}]` : info.address;
  return { server, url: `http://${h}:${info.port}`, close: closeAll };
}
