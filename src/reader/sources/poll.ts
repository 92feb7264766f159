/**
 * Polling: claim due sources with a lease, fetch them concurrently through the guarded fetcher
 * (conditional GET), and store what changed. A feed that fails (network, HTTP 4xx/5xx, invalid
 * XML, timeout, oversize) gets a short message on its source and a backoff; it never stops the
 * others and never stops being polled.
 */
import { z } from "zod";
import type { AppContext } from "../../lib/context.ts";
import { jobKind } from "../../lib/jobs/kinds.ts";
import { megabytes } from "../../lib/net/exchange.ts";
import { cacheHints } from "../../lib/net/http-cache.ts";
import { FetchError, type FetchResult } from "../../lib/net/types.ts";
import { FeedParseError } from "../feed/types.ts";
import { ingestFeed, recordNotModified } from "./ingest.ts";
import { FEED_KIND, refreshKindSource } from "./kinds.ts";
import { type FeedParser, inlineParser, ParsePool } from "./parse-pool.ts";
import { nextAfterFailure, youngIntervalMinutes } from "./schedule.ts";
import { type ClaimedSource, sourceStore } from "./store.ts";

/** Accept header for feed requests: feed types first, anything as a last resort (servers mislabel). */
export const FEED_ACCEPT =
  "application/atom+xml, application/rss+xml, application/feed+json, application/rdf+xml;q=0.9, application/xml;q=0.9, text/xml;q=0.9, application/json;q=0.8, */*;q=0.5";

/** Job kind of the citation indexer (another part of the reader registers its handler). */
/** Index the citations of new items (queued after a poll that inserted some). */
export const INDEX_CITATIONS_JOB = jobKind("reader.index-citations", z.object({}));

export interface PollOptions {
  /** Whole-request timeout per feed (default 20 s). */
  timeoutMs?: number;
  /** Body size cap per feed (default 10 MB). */
  maxBytes?: number;
  /** Feeds fetched at once (default 32; the fetcher also limits connections per host). */
  concurrency?: number;
  /** Stop claiming new sources after this long (ms); what is in flight still finishes. */
  budgetMs?: number;
  /** Stop claiming new sources when aborted (Ctrl-C). */
  signal?: AbortSignal;
  /** Called after each source with the number done so far. */
  onProgress?: (done: number) => void;
  /**
   * Parse worker threads for a pass: 0 parses inline; by default a pass of at least 64 sources
   * uses one worker per spare core (see parse-pool.ts).
   */
  workers?: number;
  /** Parse with this instead (pollDue passes its pool to each pollSource). */
  parser?: FeedParser;
}

/** Below this many due sources a pass parses inline. */
const POOL_THRESHOLD = 64;

export type PollOutcome =
  | { kind: "fetched"; newItems: number }
  | { kind: "not-modified" }
  | { kind: "error"; message: string };

export interface PollSummary {
  polled: number;
  fetched: number;
  notModified: number;
  newItems: number;
  errors: number;
  /** The first 100 failures of the pass. */
  failures: { sourceId: number; feedUrl: string; message: string }[];
  /** True when due sources were left for the next pass (budget spent or aborted). */
  more: boolean;
}

const DEFAULTS = { timeoutMs: 20_000, maxBytes: 10 * 1024 * 1024, concurrency: 32 };
/** Connections we start to one host at once before preferring other hosts' feeds. */
const PER_HOST = 2;

const statusText: Record<number, string> = {
  400: "Bad Request",
  401: "Unauthorized",
  403: "Forbidden",
  404: "Not Found",
  410: "Gone",
  429: "Too Many Requests",
  500: "Internal Server Error",
  502: "Bad Gateway",
  503: "Service Unavailable",
  504: "Gateway Timeout",
};

/** A short, user-facing message for a failed poll. Pure. */
export function errorMessage(err: unknown, opts: { timeoutMs?: number; maxBytes?: number } = {}): string {
  if (err instanceof FetchError) {
    if (err.code === "timeout") return `Timed out after ${Math.round((opts.timeoutMs ?? DEFAULTS.timeoutMs) / 1000)} s`;
    if (err.code === "too-large") {
      return `The feed is larger than ${megabytes(opts.maxBytes ?? DEFAULTS.maxBytes)}`;
    }
    if (err.code === "too-many-redirects") return "Too many redirects";
    return err.message;
  }
  if (err instanceof FeedParseError) return err.message.charAt(0).toUpperCase() + err.message.slice(1);
  return `Unexpected error: ${err instanceof Error ? err.message : String(err)}`;
}

/** The message for an HTTP error status. Pure. */
export function httpErrorMessage(status: number): string {
  return `The server answered HTTP ${status}${statusText[status] ? ` ${statusText[status]}` : ""}`;
}

class HttpStatusError extends Error {
  readonly status: number;
  readonly res: FetchResult;
  constructor(res: FetchResult) {
    super(httpErrorMessage(res.status));
    this.status = res.status;
    this.res = res;
  }
}

/** Fetch, parse and store one claimed source. Never throws for a bad feed: failures are recorded. */
export async function pollSource(ctx: AppContext, src: ClaimedSource, opts: PollOptions = {}): Promise<PollOutcome> {
  const timeoutMs = opts.timeoutMs ?? DEFAULTS.timeoutMs;
  const maxBytes = opts.maxBytes ?? DEFAULTS.maxBytes;
  try {
    // Another kind's source (a fediverse account) is its kind's to refresh, unless it says "read its feed".
    const refreshed = src.kind === FEED_KIND ? undefined : await refreshKindSource(ctx, src);
    if (refreshed) return refreshed;
    const res = await ctx.fetcher.fetch(src.feed_url, {
      timeoutMs,
      maxBytes,
      etag: src.etag,
      lastModified: src.last_modified,
      headers: { Accept: FEED_ACCEPT },
    });
    if (res.notModified || res.status === 304) {
      await recordNotModified(ctx, src, res);
      return { kind: "not-modified" };
    }
    if (res.status < 200 || res.status >= 300) throw new HttpStatusError(res);
    const parser = opts.parser ?? inlineParser;
    const prepared = await parser.parse(res.body, { url: res.url, contentType: res.headers.get("content-type") });
    const newItems = await ingestFeed(ctx, src, prepared, res);
    return { kind: "fetched", newItems };
  } catch (err) {
    const known = err instanceof FetchError || err instanceof FeedParseError || err instanceof HttpStatusError;
    if (!known) ctx.log.warn("poll failed", { source: src.id, url: src.feed_url, error: String(err) });
    const message = (err instanceof HttpStatusError ? err.message : errorMessage(err, opts)).slice(0, 500);
    await recordFailure(ctx, src, message, err instanceof HttpStatusError ? err.res : null);
    return { kind: "error", message };
  }
}

async function recordFailure(ctx: AppContext, src: ClaimedSource, message: string, res: FetchResult | null) {
  const now = ctx.now();
  const errorCount = src.error_count + 1;
  const retryAfter = res && (res.status === 429 || res.status === 503) ? cacheHints(res.headers, now).retryAfter : null;
  const intervalMinutes = youngIntervalMinutes(src.interval_minutes, src.created_at, now);
  const next = nextAfterFailure({ now, intervalMinutes, errorCount, retryAfter });
  await sourceStore(ctx.db).finishPoll(src.id, {
    error_count: errorCount,
    last_error: message,
    last_error_at: now.toISOString(),
    last_fetched_at: now.toISOString(),
    next_fetch_at: next.toISOString(),
  });
}

const hostOf = (url: string) => {
  try {
    return new URL(url).host;
  } catch {
    return "";
  }
};

/** How long a claimed source stays ours: the fetch timeout plus room to store the result. */
const leaseMs = (timeoutMs: number) => timeoutMs + 120_000;

/**
 * Poll every source that is due now (those due when the pass starts: a pass never polls one
 * source twice), `concurrency` at a time, preferring hosts with nothing in flight. Returns counts.
 */
export async function pollDue(ctx: AppContext, options: PollOptions = {}): Promise<PollSummary> {
  let opts = options;
  const store = sourceStore(ctx.db);
  const concurrency = opts.concurrency ?? DEFAULTS.concurrency;
  const timeoutMs = opts.timeoutMs ?? DEFAULTS.timeoutMs;
  const cutoff = ctx.now().toISOString();
  const started = performance.now();
  const summary: PollSummary = {
    polled: 0,
    fetched: 0,
    notModified: 0,
    newItems: 0,
    errors: 0,
    failures: [],
    more: false,
  };
  const queue: ClaimedSource[] = [];
  const active = new Map<string, number>();
  let exhausted = false;
  let claiming: Promise<void> | null = null;

  const stopClaiming = () =>
    opts.signal?.aborted || (opts.budgetMs !== undefined && performance.now() - started > opts.budgetMs);

  const refill = async () => {
    if (stopClaiming()) {
      summary.more = (await store.countDue(cutoff)) > 0;
      exhausted = true;
      return;
    }
    const now = ctx.now();
    const until = new Date(now.getTime() + leaseMs(timeoutMs)).toISOString();
    // Claim only what was due when the pass began, with the lease check at the current time.
    const rows = await store.claimDue(cutoff < now.toISOString() ? cutoff : now.toISOString(), until, concurrency * 4);
    if (!rows.length) exhausted = true;
    queue.push(...rows);
  };

  /** The next queued source whose host has a free slot, else the oldest (the fetcher will queue it). */
  const take = (): ClaimedSource | undefined => {
    const i = queue.findIndex((s) => (active.get(hostOf(s.feed_url)) ?? 0) < PER_HOST);
    return queue.splice(i < 0 ? 0 : i, 1)[0];
  };

  const worker = async () => {
    for (;;) {
      if (queue.length <= concurrency && !exhausted) {
        claiming ??= refill().finally(() => {
          claiming = null;
        });
        if (!queue.length) await claiming;
      }
      // Aborted: what is in flight finishes; what is only queued is handed back below.
      if (opts.signal?.aborted) return;
      const src = take();
      if (!src) {
        if (exhausted && !claiming) return;
        if (claiming) await claiming;
        continue;
      }
      const host = hostOf(src.feed_url);
      active.set(host, (active.get(host) ?? 0) + 1);
      let outcome: PollOutcome;
      try {
        outcome = await pollSource(ctx, src, opts);
      } catch (err) {
        // Only the database failing lands here; the lease expires and another pass retries.
        ctx.log.error("poll could not be recorded", { source: src.id, error: String(err) });
        outcome = { kind: "error", message: String(err) };
      } finally {
        const n = (active.get(host) ?? 1) - 1;
        if (n) active.set(host, n);
        else active.delete(host);
      }
      summary.polled++;
      if (outcome.kind === "fetched") {
        summary.fetched++;
        summary.newItems += outcome.newItems;
      } else if (outcome.kind === "not-modified") {
        summary.notModified++;
      } else {
        summary.errors++;
        if (summary.failures.length < 100) {
          summary.failures.push({ sourceId: src.id, feedUrl: src.feed_url, message: outcome.message });
        }
      }
      opts.onProgress?.(summary.polled);
    }
  };

  const due = opts.workers === 0 || opts.parser ? 0 : await store.countDue(cutoff);
  const pool = due >= POOL_THRESHOLD ? new ParsePool(opts.workers) : null;
  if (pool) opts = { ...opts, parser: pool };
  try {
    await Promise.all(Array.from({ length: concurrency }, worker));
  } finally {
    await pool?.close();
  }
  if (claiming) await claiming;
  if (queue.length) {
    await store.releaseLeases(queue.map((q) => q.id));
    summary.more = true;
  }
  if (summary.newItems > 0) await enqueueCitations(ctx);
  return summary;
}

/** "Retry now": poll one source at once, whatever its schedule. Undefined if another worker has it. */
export async function pollNow(
  ctx: AppContext,
  sourceId: number,
  opts: PollOptions = {},
): Promise<PollOutcome | undefined> {
  const now = ctx.now();
  const until = new Date(now.getTime() + leaseMs(opts.timeoutMs ?? DEFAULTS.timeoutMs)).toISOString();
  const src = await sourceStore(ctx.db).claimOne(sourceId, now.toISOString(), until);
  if (!src) return undefined;
  const outcome = await pollSource(ctx, src, opts);
  if (outcome.kind === "fetched" && outcome.newItems > 0) await enqueueCitations(ctx);
  return outcome;
}

/**
 * Ask for the citation index to be brought up to date. Its handler is registered by another part
 * of the reader; a runner without it leaves the job queued (claims only take registered kinds).
 */
export async function enqueueCitations(ctx: AppContext): Promise<void> {
  try {
    await ctx.jobs.enqueue(INDEX_CITATIONS_JOB, {}, { uniqueKey: INDEX_CITATIONS_JOB.name });
  } catch (err) {
    // Two processes enqueueing at once: the unique index lets one win, which is all we need.
    ctx.log.debug("citation job not enqueued", { error: String(err) });
  }
}
