/**
 * Storing what a poll got: new items (batch-inserted, duplicates skipped by the (source_id,
 * dedupe_key) index) and the source's refreshed details, validators and schedule, in one short
 * transaction per feed. Used by polling and by following a new source (its first fetch).
 */
import type { AppContext } from "../../lib/context.ts";
import { cacheHints } from "../../lib/net/http-cache.ts";
import type { FetchResult } from "../../lib/net/types.ts";
import { detailsPatch, type PreparedFeed } from "./rows.ts";
import { adaptiveIntervalMinutes, nextAfterSuccess, youngIntervalMinutes } from "./schedule.ts";
import { type ClaimedSource, type SourcePatch, sourceStore } from "./store.ts";

/**
 * Store a successful fetch of `src`: new items, details, validators, a cleared error state and the
 * next poll time. Returns the number of new items.
 */
export async function ingestFeed(
  ctx: AppContext,
  src: ClaimedSource,
  prepared: PreparedFeed,
  res: FetchResult,
): Promise<number> {
  const store = sourceStore(ctx.db);
  const now = ctx.now();
  const { feed } = prepared;
  // Polls of a feed without validators mostly return items we have: only new ones are written.
  const keys = prepared.rows.map((r) => r.dedupe_key);
  const known = keys.length ? await store.knownKeys(src.id, keys) : new Set<string>();
  const fetchedAt = now.toISOString();
  const rows = prepared.rows.filter((r) => !known.has(r.dedupe_key)).map((r) => ({ ...r, fetched_at: fetchedAt }));
  const interval = adaptiveIntervalMinutes(prepared.dates, now);
  // The stored interval is the feed's rhythm; a source's first day is scheduled shorter.
  const next = nextAfterSuccess({
    now,
    intervalMinutes: youngIntervalMinutes(interval, src.created_at, now),
    ttlMinutes: feed.ttlMinutes,
    hints: cacheHints(res.headers, now),
  });
  const patch: SourcePatch = {
    ...detailsPatch(src, feed),
    etag: res.headers.get("etag"),
    last_modified: res.headers.get("last-modified"),
    interval_minutes: interval,
    next_fetch_at: next.toISOString(),
    last_fetched_at: fetchedAt,
    last_success_at: fetchedAt,
    error_count: 0,
    last_error: null,
    last_error_at: null,
  };
  return store.finishPoll(src.id, patch, rows);
}

/** Record a 304: only the schedule moves (the stored interval still describes the feed). */
export async function recordNotModified(ctx: AppContext, src: ClaimedSource, res: FetchResult): Promise<void> {
  const now = ctx.now();
  const next = nextAfterSuccess({
    now,
    intervalMinutes: youngIntervalMinutes(src.interval_minutes, src.created_at, now),
    hints: cacheHints(res.headers, now),
  });
  const at = now.toISOString();
  await sourceStore(ctx.db).finishPoll(src.id, {
    next_fetch_at: next.toISOString(),
    last_fetched_at: at,
    last_success_at: at,
    error_count: 0,
    last_error: null,
    last_error_at: null,
    // A server may send a fresh validator with its 304.
    ...(res.headers.get("etag") ? { etag: res.headers.get("etag") } : {}),
    ...(res.headers.get("last-modified") ? { last_modified: res.headers.get("last-modified") } : {}),
  });
}
