/** Start the HTTP server for a context (used by `liner serve` and benchmarks). */
import net from "node:net";
import { type ServerType, serve } from "@hono/node-server";
import { createApp } from "./app.ts";
import type { AppContext } from "./lib/context.ts";

export interface RunningServer {
  server: ServerType;
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

/** Listen on host:port (port 0 picks a free one). Resolves once listening. */
export async function startServer(ctx: AppContext, host: string, port: number): Promise<RunningServer> {
  const app = await createApp(ctx);
  return new Promise<RunningServer>((resolve, reject) => {
    const server = serve({ fetch: app.fetch, hostname: host, port }, (info) => {
      const h = info.address.includes(":") ? `[${info.address}]` : info.address;
      resolve({
        server,
        url: `http://${h}:${info.port}`,
        close: () => new Promise((r) => server.close(() => r())),
      });
    });
    // Before it listens, a failure (the port is taken, the address is not ours) is the caller's to report.
    server.once("error", (err: NodeJS.ErrnoException) => reject(listenError(err, host, port)));
  });
}
