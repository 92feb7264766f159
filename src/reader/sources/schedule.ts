/**
 * When to poll a source next. Pure: the clock, the feed's item dates, the server's hints and the
 * random source are all passed in, so every rule is unit-tested.
 *
 * Success: the interval follows how often the feed publishes (half the median gap between its
 * recent items, 15 min … 24 h), then waits at least as long as the feed's <ttl>, Cache-Control
 * max-age and Expires ask. Failure: exponential backoff from that interval, capped at 24 h, and
 * at least Retry-After. Polling never stops: a feed that failed a hundred times is still asked
 * once a day. A source's first day is the exception: while we learn its rhythm (and its new
 * follower is watching it), polls stay short — 15 min growing to 1 h — whatever its feed's dates
 * say, so a manual "Poll now" on a new source does not push its next poll a day away.
 */
import type { CacheHints } from "../../lib/net/http-cache.ts";

export const MIN_INTERVAL_MINUTES = 15;
export const MAX_INTERVAL_MINUTES = 24 * 60;
/** Interval for feeds whose dates tell us nothing (fewer than two dated items). */
export const DEFAULT_INTERVAL_MINUTES = 60;
/** A server may push us back further than 24 h with Retry-After, but not for more than a week. */
const MAX_RETRY_AFTER_MS = 7 * 24 * 3_600_000;
const MINUTE = 60_000;

const clamp = (n: number, lo: number, hi: number) => Math.min(hi, Math.max(lo, n));

/**
 * Minutes between polls for a feed whose recent items carry these dates (ISO strings, any order,
 * nulls ignored): half the median gap between the newest 20, within 15 min … 24 h. A feed that
 * has gone quiet is polled less: at least a quarter of the time since its newest item.
 */
export function adaptiveIntervalMinutes(dates: (string | null)[], now: Date): number {
  const times = dates
    .map((d) => (d ? Date.parse(d) : Number.NaN))
    .filter((t) => Number.isFinite(t) && t <= now.getTime())
    .sort((a, b) => b - a)
    .slice(0, 20);
  if (times.length < 2) {
    // One dated item (or none): a long silence since it still means a quiet feed.
    if (times.length === 1 && now.getTime() - times[0] > 30 * 24 * 60 * MINUTE) return MAX_INTERVAL_MINUTES;
    return DEFAULT_INTERVAL_MINUTES;
  }
  const gaps: number[] = [];
  for (let i = 1; i < times.length; i++) gaps.push(times[i - 1] - times[i]);
  gaps.sort((a, b) => a - b);
  const mid = gaps.length >> 1;
  const median = gaps.length % 2 ? gaps[mid] : (gaps[mid - 1] + gaps[mid]) / 2;
  const silence = now.getTime() - times[0];
  return Math.round(clamp(Math.max(median / 2, silence / 4) / MINUTE, MIN_INTERVAL_MINUTES, MAX_INTERVAL_MINUTES));
}

/** How long a source counts as newly followed (its polls stay short: youngIntervalMinutes). */
export const YOUNG_SOURCE_MINUTES = 24 * 60;
/** The longest interval in a source's first day. */
export const YOUNG_MAX_INTERVAL_MINUTES = 60;

/**
 * The interval to schedule with for a source followed at `createdAt`: the feed's own `interval`,
 * but in the source's first day at most a quarter of its age, within 15 min … 1 h. Pure.
 */
export function youngIntervalMinutes(interval: number, createdAt: string, now: Date): number {
  const ageMinutes = (now.getTime() - Date.parse(createdAt)) / MINUTE;
  if (!(ageMinutes < YOUNG_SOURCE_MINUTES)) return interval;
  const cap = Math.round(clamp(ageMinutes / 4, MIN_INTERVAL_MINUTES, YOUNG_MAX_INTERVAL_MINUTES));
  return Math.min(interval, cap);
}

/** The earliest time the server's hints allow another request, or null when they say nothing. */
export function hintedTime(hints: CacheHints | null, now: Date, ttlMinutes: number | null = null): Date | null {
  let at = -Infinity;
  if (ttlMinutes && ttlMinutes > 0) at = Math.max(at, now.getTime() + ttlMinutes * MINUTE);
  if (hints?.maxAgeSeconds) at = Math.max(at, now.getTime() + hints.maxAgeSeconds * 1000);
  // Expires only counts when max-age is absent (max-age takes precedence, RFC 9111 §4.2.1).
  else if (hints?.expires && hints.maxAgeSeconds === null) at = Math.max(at, hints.expires.getTime());
  return Number.isFinite(at) ? new Date(at) : null;
}

export interface SuccessInput {
  now: Date;
  /** Minutes from the feed's item dates (adaptiveIntervalMinutes), or the stored interval on a 304. */
  intervalMinutes: number;
  ttlMinutes?: number | null;
  hints?: CacheHints | null;
  random?: () => number;
}

/** Next poll after a good response (200 or 304). Jitter of ±5% spreads sources added together. */
export function nextAfterSuccess(input: SuccessInput): Date {
  const random = input.random ?? Math.random;
  const interval = clamp(input.intervalMinutes, MIN_INTERVAL_MINUTES, MAX_INTERVAL_MINUTES);
  const base = input.now.getTime() + interval * MINUTE * (0.95 + random() * 0.1);
  const hinted = hintedTime(input.hints ?? null, input.now, input.ttlMinutes ?? null);
  const at = Math.max(base, hinted ? hinted.getTime() : base);
  return new Date(Math.min(at, input.now.getTime() + MAX_INTERVAL_MINUTES * MINUTE));
}

export interface FailureInput {
  now: Date;
  intervalMinutes: number;
  /** Consecutive failures including this one (1 after the first). */
  errorCount: number;
  /** Retry-After of a 429/503, when given. */
  retryAfter?: Date | null;
  random?: () => number;
}

/** Backoff delay in ms: interval × 2^errors with ±10% jitter, capped at 24 h. */
export function backoffMs(intervalMinutes: number, errorCount: number, random: () => number = Math.random): number {
  const interval = clamp(intervalMinutes, MIN_INTERVAL_MINUTES, MAX_INTERVAL_MINUTES) * MINUTE;
  // 2^errors overflows nothing below 2^1024; cap the exponent anyway so the product stays finite.
  const raw = interval * 2 ** Math.min(Math.max(0, errorCount), 20);
  return Math.min(raw * (0.9 + random() * 0.2), MAX_INTERVAL_MINUTES * MINUTE);
}

/** Next poll after a failure; Retry-After wins when it asks for longer (up to a week). */
export function nextAfterFailure(input: FailureInput): Date {
  const delay = backoffMs(input.intervalMinutes, input.errorCount, input.random);
  let at = input.now.getTime() + delay;
  if (input.retryAfter) {
    const retry = Math.min(input.retryAfter.getTime(), input.now.getTime() + MAX_RETRY_AFTER_MS);
    at = Math.max(at, retry);
  }
  return new Date(at);
}
