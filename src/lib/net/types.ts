/**
 * The contract of the one guarded fetcher that every outbound request goes through
 * (feeds, pages, images, webmentions later). Implemented in `fetcher.ts`; `ctx.fetcher` is one.
 */

/** Options for one fetch. */
export interface FetchOptions {
  /** Whole-request timeout including the body, default 15 s. */
  timeoutMs?: number;
  /** Body size cap in bytes, default 10 MB; larger bodies fail with code "too-large". */
  maxBytes?: number;
  /** Redirects followed (each hop re-checked by the SSRF guard), default 5. */
  maxRedirects?: number;
  /** Extra request headers (Accept, ...). User-Agent and Accept-Encoding are set by the fetcher. */
  headers?: Record<string, string>;
  /** Conditional GET validators from the previous response. */
  etag?: string | null;
  lastModified?: string | null;
  method?: "GET" | "HEAD" | "POST" | "PUT" | "DELETE";
  body?: string | Uint8Array;
  signal?: AbortSignal;
}

/** A response of any HTTP status (4xx/5xx are results, not exceptions). */
export interface FetchResult {
  status: number;
  /** The final URL after redirects. */
  url: string;
  headers: Headers;
  /** Decompressed body bytes (empty for 304 and HEAD). */
  body: Uint8Array;
  /** True for 304 Not Modified. */
  notModified: boolean;
}

export type FetchErrorCode = "bad-url" | "blocked" | "timeout" | "too-large" | "too-many-redirects" | "network";

/** A fetch that produced no HTTP response we can use. The message is user-facing and names the URL. */
export class FetchError extends Error {
  readonly code: FetchErrorCode;
  readonly url: string;
  constructor(code: FetchErrorCode, url: string, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = "FetchError";
    this.code = code;
    this.url = url;
  }
}

/** The guarded fetcher. */
export interface Fetcher {
  /** Fetch `url`; throws FetchError for blocked, timed-out, oversize, redirect-looping or failed requests. */
  fetch(url: string, options?: FetchOptions): Promise<FetchResult>;
  /** Close kept-alive connections (closeContext calls it). */
  close?(): void;
}
