/**
 * One request/response exchange (one redirect hop) of the fetcher, under a timer that covers the
 * body too. Errors come out as FetchErrors naming the hop's URL.
 */
import http from "node:http";
import https from "node:https";
import { isIP, type LookupFunction } from "node:net";
import { BodyDecodeError, BodyTooLargeError, readBody } from "./body.ts";
import { type AddressPolicy, BlockedAddressError } from "./guard.ts";
import { FetchError, type FetchResult } from "./types.ts";

/** The SSRF guard of a fetcher: the policy for literal addresses and a validating DNS lookup. */
export interface Guard {
  policy: AddressPolicy;
  lookup: LookupFunction;
}

/** What one hop sends, and its limits. */
export interface HopRequest {
  method: "GET" | "HEAD" | "POST" | "PUT" | "DELETE";
  headers: Record<string, string>;
  body: string | Uint8Array | undefined;
  maxBytes: number;
  /** Time left for this hop; `totalTimeoutMs` is what the caller asked for (for the message). */
  timeoutMs: number;
  totalTimeoutMs: number;
  signal: AbortSignal | undefined;
  agent: http.Agent;
  guard: Guard | null;
}

export type HopOutcome =
  | { kind: "result"; result: FetchResult }
  | { kind: "redirect"; status: number; location: string }
  /** A reused keep-alive connection was closed by the server before answering: safe to retry once. */
  | { kind: "retry" };

const REDIRECTS = new Set([301, 302, 303, 307, 308]);
/** A redirect's own body is drained (to keep the connection) up to this much, else dropped. */
const REDIRECT_BODY_BYTES = 64 * 1024;

/** Send one request to `url` and read its response. */
export function exchange(url: URL, hop: HopRequest): Promise<HopOutcome> {
  const href = url.href;
  const literal = url.hostname.replace(/^\[|\]$/g, "");
  const reason = hop.guard && isIP(literal) ? hop.guard.policy(literal) : null;
  // IP literals never reach `lookup`, so they are judged here, before any connection.
  if (reason)
    return Promise.reject(new FetchError("blocked", href, `refused to fetch ${href}: ${literal} is ${reason}`));
  if (hop.timeoutMs <= 0) return Promise.reject(timeoutError(href, hop));
  return new Promise((resolve, reject) => {
    let settled = false;
    let responded = false;
    const settle = (fn: () => void) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      hop.signal?.removeEventListener("abort", onAbort);
      fn();
    };
    const fail = (err: FetchError) => {
      settle(() => reject(err));
      req.destroy();
    };
    const onAbort = () =>
      fail(new FetchError("network", href, `fetch of ${href} was cancelled`, { cause: hop.signal?.reason }));
    const timer = setTimeout(() => fail(timeoutError(href, hop)), hop.timeoutMs);

    const mod = url.protocol === "https:" ? https : http;
    const req = mod.request(url, {
      method: hop.method,
      headers: hop.headers,
      agent: hop.agent,
      lookup: hop.guard?.lookup,
    });
    req.on("error", (err: NodeJS.ErrnoException) => {
      const stale = req.reusedSocket && !responded && (err.code === "ECONNRESET" || err.code === "EPIPE");
      if (stale && hop.method !== "POST") return settle(() => resolve({ kind: "retry" }));
      fail(networkError(href, err));
    });
    req.on("response", (res) => {
      responded = true;
      const status = res.statusCode ?? 0;
      const location = res.headers.location;
      if (REDIRECTS.has(status) && location) {
        drain(res, () => settle(() => resolve({ kind: "redirect", status, location })));
        return;
      }
      const headers = toHeaders(res.rawHeaders);
      const result = (body: Uint8Array): FetchResult => ({
        status,
        url: href,
        headers,
        body,
        notModified: status === 304,
      });
      if (hop.method === "HEAD" || status === 204 || status === 304) {
        res.resume();
        return settle(() => resolve({ kind: "result", result: result(new Uint8Array(0)) }));
      }
      const declared = Number(res.headers["content-length"]);
      if (declared > hop.maxBytes) return fail(tooLarge(href, hop, declared));
      readBody(res, hop.maxBytes).then(
        (body) => settle(() => resolve({ kind: "result", result: result(body) })),
        (err: Error) => fail(err instanceof BodyTooLargeError ? tooLarge(href, hop) : bodyError(href, err)),
      );
    });
    hop.signal?.addEventListener("abort", onAbort, { once: true });
    if (hop.signal?.aborted) return onAbort();
    if (hop.body !== undefined) req.setHeader("content-length", Buffer.byteLength(hop.body));
    req.end(hop.body);
  });
}

function toHeaders(raw: string[]): Headers {
  const headers = new Headers();
  for (let i = 0; i + 1 < raw.length; i += 2) {
    try {
      headers.append(raw[i], raw[i + 1]);
    } catch {
      // A header the Fetch API cannot represent (odd bytes): dropped rather than failing the fetch.
    }
  }
  return headers;
}

/** Read a redirect's small body so the connection can be reused; drop the connection if it is big. */
function drain(res: http.IncomingMessage, done: () => void): void {
  let bytes = 0;
  res.on("data", (chunk: Buffer) => {
    bytes += chunk.length;
    if (bytes > REDIRECT_BODY_BYTES) {
      res.destroy();
      done();
    }
  });
  res.on("end", done);
  res.on("error", done);
}

function timeoutError(href: string, hop: HopRequest): FetchError {
  return new FetchError("timeout", href, `timed out fetching ${href} after ${seconds(hop.totalTimeoutMs)}`);
}

function tooLarge(href: string, hop: HopRequest, declared?: number): FetchError {
  const size = declared ? ` (${megabytes(declared)})` : "";
  return new FetchError("too-large", href, `${href} is larger than the ${megabytes(hop.maxBytes)} limit${size}`);
}

function bodyError(href: string, err: Error): FetchError {
  const detail = err instanceof BodyDecodeError ? err.message : describe(err as NodeJS.ErrnoException);
  return new FetchError("network", href, `could not read the response from ${href}: ${detail}`, { cause: err });
}

function networkError(href: string, err: NodeJS.ErrnoException): FetchError {
  if (err instanceof BlockedAddressError) {
    return new FetchError("blocked", href, `refused to fetch ${href}: ${err.message}`, { cause: err });
  }
  return new FetchError("network", href, `could not fetch ${href}: ${describe(err)}`, { cause: err });
}

/** A short, human description of a socket/TLS/parser error. */
function describe(err: NodeJS.ErrnoException): string {
  const code = err.code ?? "";
  if (code === "ENOTFOUND" || code === "EAI_AGAIN" || code === "EAI_NONAME") return "host not found";
  if (code === "ECONNREFUSED") return "connection refused";
  if (code === "ECONNRESET" || code === "EPIPE") return "connection reset";
  if (code === "ETIMEDOUT" || code === "ENETUNREACH" || code === "EHOSTUNREACH") return "host unreachable";
  if (/CERT|SELF_SIGNED|UNABLE_TO_VERIFY|ERR_TLS|ERR_SSL/.test(code)) return `TLS certificate problem (${code})`;
  if (code.startsWith("HPE_")) return "the server sent an invalid HTTP response";
  return err.message || code || "unknown error";
}

function seconds(ms: number): string {
  return ms >= 1000 ? `${Math.round(ms / 100) / 10} s` : `${Math.round(ms)} ms`;
}

/** A size for messages: "2.5 MB", or "300000 bytes" below a megabyte. */
export function megabytes(bytes: number): string {
  return bytes >= 1024 * 1024 ? `${Math.round((bytes / 1024 / 1024) * 10) / 10} MB` : `${bytes} bytes`;
}
