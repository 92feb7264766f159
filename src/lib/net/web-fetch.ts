/**
 * The guarded fetcher as a WHATWG `fetch`, for client libraries that take one (`@atproto/api`'s
 * agents, and the syndication clients): their requests go through the SSRF guard, size and time
 * limits like every other outbound request. Methods are those the fetcher sends (GET, HEAD, POST, PUT, DELETE);
 * bodies are read whole (API calls and uploads, never streams).
 */
import type { Fetcher, FetchOptions } from "./types.ts";

/** What the fetcher sends: reads, and an API's writes (PUT and DELETE edit and delete copies elsewhere). */
type Method = NonNullable<FetchOptions["method"]>;
const METHODS = new Set<string>(["GET", "HEAD", "POST", "PUT", "DELETE"] satisfies Method[]);

/** A `fetch` over `fetcher`. Options: the largest body read back, and the whole-request timeout. */
export function webFetch(fetcher: Fetcher, opts: { maxBytes?: number; timeoutMs?: number } = {}): typeof fetch {
  return async (input, init) => {
    const request = new Request(input, init);
    const method = request.method.toUpperCase();
    if (!METHODS.has(method)) throw new TypeError(`${method} is not a method this site sends (${request.url})`);
    const headers: Record<string, string> = {};
    request.headers.forEach((value, key) => {
      headers[key] = value;
    });
    const body = method === "POST" || method === "PUT" ? new Uint8Array(await request.arrayBuffer()) : undefined;
    const res = await fetcher.fetch(request.url, {
      method: method as Method,
      headers,
      body,
      maxBytes: opts.maxBytes ?? 5 * 1024 * 1024,
      timeoutMs: opts.timeoutMs ?? 30_000,
      maxRedirects: 0,
      signal: request.signal,
    });
    // The fetcher decompressed the body: the length and coding it was sent with no longer apply.
    const out = new Headers(res.headers);
    out.delete("content-encoding");
    out.delete("content-length");
    const empty = method === "HEAD" || res.status === 204 || res.status === 304;
    const response = new Response(empty ? null : (res.body as BodyInit), { status: res.status, headers: out });
    Object.defineProperty(response, "url", { value: res.url });
    return response;
  };
}
