/** Start the HTTP server for a context (used by `liner serve` and benchmarks). */
import { type ServerType, serve } from "@hono/node-server";
import { createApp } from "./app.ts";
import type { AppContext } from "./lib/context.ts";

export interface RunningServer {
  server: ServerType;
  url: string;
  close(): Promise<void>;
}

/** Listen on host:port (port 0 picks a free one). Resolves once listening. */
export async function startServer(ctx: AppContext, host: string, port: number): Promise<RunningServer> {
  const app = await createApp(ctx);
  return new Promise<RunningServer>((resolve) => {
    const server = serve({ fetch: app.fetch, hostname: host, port }, (info) => {
      const h = info.address.includes(":") ? `[${info.address}]` : info.address;
      resolve({
        server,
        url: `http://${h}:${info.port}`,
        close: () => new Promise((r) => server.close(() => r())),
      });
    });
  });
}
