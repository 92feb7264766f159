/**
 * Test support for following and polling: a feed server on 127.0.0.1 whose routes a test sets
 * (and changes between polls), which records every request; and a small RSS generator.
 */
import http from "node:http";
import type { AddressInfo } from "node:net";

export interface TestItem {
  id: string;
  title?: string;
  link?: string;
  /** ISO date; omitted from the feed when absent. */
  date?: string;
  description?: string;
}

const esc = (s: string) => s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");

/** An RSS 2.0 document. */
export function rss(o: { title?: string; link?: string; ttl?: number; items: TestItem[] }): string {
  const items = o.items
    .map(
      (i) =>
        `<item><guid isPermaLink="false">${esc(i.id)}</guid><title>${esc(i.title ?? `Item ${i.id}`)}</title>` +
        `<link>${esc(i.link ?? `https://example.org/${encodeURIComponent(i.id)}`)}</link>` +
        (i.date ? `<pubDate>${new Date(i.date).toUTCString()}</pubDate>` : "") +
        `<description>${esc(i.description ?? `<p>About ${i.id}</p>`)}</description></item>`,
    )
    .join("\n");
  return `<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0"><channel><title>${esc(o.title ?? "Test feed")}</title><link>${esc(o.link ?? "https://example.org/")}</link>
<description>A feed for tests</description>${o.ttl ? `<ttl>${o.ttl}</ttl>` : ""}
${items}
</channel></rss>`;
}

/** What a route answers: a fixed response, or a handler for anything special (slow bodies...). */
export type Route =
  | { status?: number; headers?: Record<string, string>; body?: string | Buffer; etag?: string; lastModified?: string }
  | ((req: http.IncomingMessage, res: http.ServerResponse) => void);

export interface SeenRequest {
  path: string;
  headers: http.IncomingHttpHeaders;
}

export interface FeedServer {
  origin: string;
  url(path: string): string;
  /** Set (or replace) what a path answers. Unknown paths answer 404. */
  route(path: string, r: Route): void;
  requests: SeenRequest[];
  /** Requests seen for one path. */
  hits(path: string): SeenRequest[];
  close(): Promise<void>;
}

/**
 * Start a feed server on 127.0.0.1 (port 0). Fixed routes with `etag`/`lastModified` answer 304
 * to a matching If-None-Match / If-Modified-Since, as a well-behaved server does.
 */
export async function feedServer(host = "127.0.0.1"): Promise<FeedServer> {
  const routes = new Map<string, Route>();
  const requests: SeenRequest[] = [];
  const server = http.createServer((req, res) => {
    const path = new URL(req.url ?? "/", "http://x").pathname;
    requests.push({ path, headers: req.headers });
    const r = routes.get(path);
    if (!r) {
      res.writeHead(404, { "content-type": "text/plain" }).end("not found");
      return;
    }
    if (typeof r === "function") {
      r(req, res);
      return;
    }
    const headers: Record<string, string> = { "content-type": "application/rss+xml; charset=utf-8", ...r.headers };
    if (r.etag) headers.etag = r.etag;
    if (r.lastModified) headers["last-modified"] = r.lastModified;
    const fresh =
      (r.etag && req.headers["if-none-match"] === r.etag) ||
      (r.lastModified && !r.etag && req.headers["if-modified-since"] === r.lastModified);
    if (fresh) {
      res.writeHead(304, headers).end();
      return;
    }
    res.writeHead(r.status ?? 200, headers).end(r.body ?? "");
  });
  await new Promise<void>((resolve) => server.listen(0, host, resolve));
  const { port } = server.address() as AddressInfo;
  const origin = `http://${host}:${port}`;
  return {
    origin,
    url: (path) => `${origin}${path}`,
    route: (path, r) => routes.set(path, r),
    requests,
    hits: (path) => requests.filter((q) => q.path === path),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
