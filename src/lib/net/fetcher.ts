/**
 * The guarded outbound fetcher (see types.ts for the contract). node:http/node:https with keep-alive
 * agents, a per-host concurrency limit, an SSRF guard applied to the address actually connected to
 * (a validating DNS `lookup`, so no rebinding gap) and re-applied on every redirect hop.
 */
import http from "node:http";
import https from "node:https";
import { ACCEPT_ENCODING } from "./body.ts";
import { exchange, type Guard, type HopRequest } from "./exchange.ts";
import { blockedReason, guardedLookup } from "./guard.ts";
import { HostLimiter } from "./limiter.ts";
import { FetchError, type Fetcher, type FetchOptions, type FetchResult } from "./types.ts";

/** Options for `createFetcher`. */
export interface FetcherOptions {
  /** Lift the SSRF guard (tests, benchmarks, intranets: LINER_ALLOW_PRIVATE_FETCH=1). */
  allowPrivate: boolean;
  /** Sent on every request; the app uses `LinerNotes/0.1 (+<baseUrl>)`. */
  userAgent?: string;
  /** Requests in flight to one host name at once, default 2. */
  perHostConcurrency?: number;
  /** Test-only: IP addresses that pass the guard even though they are private. */
  trustedAddresses?: string[];
}

const DEFAULT_TIMEOUT_MS = 15_000;
const DEFAULT_MAX_BYTES = 10 * 1024 * 1024;
const DEFAULT_MAX_REDIRECTS = 5;
/** Credentials the caller meant for one origin only. */
const ORIGIN_BOUND = ["authorization", "cookie", "proxy-authorization"];

/** Build the guarded fetcher. Create one per process (its agents keep connections alive). */
export function createFetcher(opts: FetcherOptions): Fetcher {
  const limiter = new HostLimiter(opts.perHostConcurrency ?? 2);
  const agentOptions = { keepAlive: true, scheduling: "lifo" as const, timeout: 30_000 };
  const agents = { http: new http.Agent(agentOptions), https: new https.Agent(agentOptions) };
  const trusted = new Set((opts.trustedAddresses ?? []).map((a) => a.toLowerCase()));
  const policy = (ip: string) => (trusted.has(ip.toLowerCase()) ? null : blockedReason(ip));
  const guard: Guard | null = opts.allowPrivate ? null : { policy, lookup: guardedLookup(policy) };
  const userAgent = opts.userAgent ?? "LinerNotes/0.1";

  async function fetchUrl(input: string, options: FetchOptions = {}): Promise<FetchResult> {
    let url = parseUrl(input);
    const maxRedirects = options.maxRedirects ?? DEFAULT_MAX_REDIRECTS;
    let budgetMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    const hop: HopRequest = {
      method: options.method ?? "GET",
      headers: requestHeaders(options, userAgent),
      body: options.body,
      maxBytes: options.maxBytes ?? DEFAULT_MAX_BYTES,
      timeoutMs: budgetMs,
      totalTimeoutMs: budgetMs,
      signal: options.signal,
      agent: agents.http,
      guard,
    };
    for (let redirects = 0, retried = false; ; ) {
      const release = await acquire(url, input, options.signal);
      const started = performance.now();
      let outcome: Awaited<ReturnType<typeof exchange>>;
      try {
        hop.agent = url.protocol === "https:" ? agents.https : agents.http;
        hop.timeoutMs = budgetMs;
        outcome = await exchange(url, hop);
      } catch (err) {
        throw err instanceof FetchError ? asked(err, input, redirects > 0) : err;
      } finally {
        release();
        // The timeout covers the whole request, redirects included, but not waiting for a slot.
        budgetMs -= performance.now() - started;
      }
      if (outcome.kind === "retry" && !retried) {
        retried = true; // a kept-alive connection the server had closed: once more on a fresh one
        continue;
      }
      if (outcome.kind === "result") return outcome.result;
      if (outcome.kind === "retry")
        throw new FetchError("network", input, `could not fetch ${url.href}: connection reset`);
      if (redirects >= maxRedirects) {
        throw new FetchError("too-many-redirects", input, `gave up on ${input} after ${maxRedirects} redirects`);
      }
      const next = redirectTarget(url, outcome.location, input);
      redirects++;
      retried = false;
      if ((outcome.status === 303 && hop.method !== "HEAD") || (hop.method === "POST" && outcome.status <= 302)) {
        hop.method = "GET";
        hop.body = undefined;
        delete hop.headers["content-type"];
      }
      if (next.origin !== url.origin) for (const name of ORIGIN_BOUND) delete hop.headers[name];
      url = next;
    }
  }

  async function acquire(url: URL, input: string, signal: AbortSignal | undefined): Promise<() => void> {
    try {
      return await limiter.acquire(url.hostname, signal);
    } catch (err) {
      throw new FetchError("network", input, `fetch of ${url.href} was cancelled`, { cause: err });
    }
  }

  return {
    fetch: fetchUrl,
    close() {
      agents.http.destroy();
      agents.https.destroy();
    },
  };
}

function parseUrl(input: string): URL {
  let url: URL;
  try {
    url = new URL(input);
  } catch (err) {
    throw new FetchError("bad-url", input, `"${input}" is not a valid URL`, { cause: err });
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") {
    throw new FetchError("bad-url", input, `refused to fetch ${input}: only http and https URLs can be fetched`);
  }
  return url;
}

function redirectTarget(from: URL, location: string, input: string): URL {
  let next: URL;
  try {
    next = new URL(location, from);
  } catch (err) {
    throw new FetchError("bad-url", input, `${from.href} redirected to "${location}", which is not a valid URL`, {
      cause: err,
    });
  }
  if (next.protocol !== "http:" && next.protocol !== "https:") {
    throw new FetchError("blocked", input, `refused to follow the redirect from ${from.href} to ${next.href}`);
  }
  return next;
}

/** An error of one hop, re-issued for the URL asked for (`FetchError.url` is always the caller's string). */
function asked(err: FetchError, input: string, redirected: boolean): FetchError {
  if (!redirected && err.url === input) return err;
  const message = redirected ? `${err.message} (redirected from ${input})` : err.message;
  return new FetchError(err.code, input, message, { cause: err.cause ?? err });
}

function requestHeaders(options: FetchOptions, userAgent: string): Record<string, string> {
  const headers: Record<string, string> = { accept: "*/*" };
  for (const [name, value] of Object.entries(options.headers ?? {})) headers[name.toLowerCase()] = value;
  headers["user-agent"] = userAgent;
  headers["accept-encoding"] = ACCEPT_ENCODING;
  if (options.etag) headers["if-none-match"] = options.etag;
  if (options.lastModified) headers["if-modified-since"] = options.lastModified;
  return headers;
}
