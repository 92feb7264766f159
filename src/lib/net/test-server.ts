/**
 * Test support: a real HTTP server on a loopback address and port 0 that counts the connections
 * it accepted and the requests it is serving at once (to prove the guard refused without connecting,
 * and that the per-host limit holds on the server side).
 */
import http from "node:http";
import type { AddressInfo } from "node:net";

export interface TestServer {
  /** `http://<host>:<port>` without a trailing slash. */
  origin: string;
  port: number;
  /** TCP connections accepted so far. */
  connections(): number;
  /** Highest number of requests in progress at once. */
  maxInFlight(): number;
  close(): Promise<void>;
}

/** Start `handler` on `host` (any 127.x.y.z works on Linux). */
export async function serve(handler: http.RequestListener, host = "127.0.0.1"): Promise<TestServer> {
  let connections = 0;
  let inFlight = 0;
  let maxInFlight = 0;
  const server = http.createServer((req, res) => {
    inFlight++;
    maxInFlight = Math.max(maxInFlight, inFlight);
    res.on("close", () => inFlight--);
    handler(req, res);
  });
  server.on("connection", () => connections++);
  await new Promise<void>((resolve) => server.listen(0, host, resolve));
  const { port } = server.address() as AddressInfo;
  return {
    origin: `http://${host}:${port}`,
    port,
    connections: () => connections,
    maxInFlight: () => maxInFlight,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
