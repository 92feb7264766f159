import assert from "node:assert/strict";
import { test } from "node:test";
import { cacheHints } from "../../lib/net/http-cache.ts";
import {
  adaptiveIntervalMinutes,
  backoffMs,
  DEFAULT_INTERVAL_MINUTES,
  MAX_INTERVAL_MINUTES,
  MIN_INTERVAL_MINUTES,
  nextAfterFailure,
  nextAfterSuccess,
  youngIntervalMinutes,
} from "./schedule.ts";

const now = new Date("2026-03-01T12:00:00Z");
const hoursAgo = (h: number) => new Date(now.getTime() - h * 3_600_000).toISOString();
const mid = () => 0.5; // no jitter
const minutesFrom = (d: Date) => (d.getTime() - now.getTime()) / 60_000;

test("the interval is half the median gap between recent items", () => {
  // Items every 4 hours, the newest 4 hours ago: median gap 4 h → poll every 2 h.
  const dates = [4, 8, 12, 16, 20, 24].map(hoursAgo);
  assert.equal(adaptiveIntervalMinutes(dates, now), 120);
  // Order and nulls do not matter.
  assert.equal(adaptiveIntervalMinutes([null, ...dates.reverse(), null], now), 120);
});

test("the interval stays within 15 minutes and 24 hours", () => {
  const busy = Array.from({ length: 20 }, (_, i) => new Date(now.getTime() - i * 60_000).toISOString());
  assert.equal(adaptiveIntervalMinutes(busy, now), MIN_INTERVAL_MINUTES);
  const quiet = [24 * 30, 24 * 60, 24 * 90].map(hoursAgo);
  assert.equal(adaptiveIntervalMinutes(quiet, now), MAX_INTERVAL_MINUTES);
});

test("feeds without usable dates get the default; a lone old item means a quiet feed", () => {
  assert.equal(adaptiveIntervalMinutes([], now), DEFAULT_INTERVAL_MINUTES);
  assert.equal(adaptiveIntervalMinutes([null, "not a date"], now), DEFAULT_INTERVAL_MINUTES);
  assert.equal(adaptiveIntervalMinutes([hoursAgo(2)], now), DEFAULT_INTERVAL_MINUTES);
  assert.equal(adaptiveIntervalMinutes([hoursAgo(24 * 60)], now), MAX_INTERVAL_MINUTES);
  // Future dates (clock skew, scheduled posts) are ignored.
  assert.equal(adaptiveIntervalMinutes([hoursAgo(-5), hoursAgo(-10)], now), DEFAULT_INTERVAL_MINUTES);
});

test("a feed that went quiet is polled at least every quarter of its silence", () => {
  // Hourly posts that stopped 2 days ago: 48 h / 4 = 12 h, not the 30 minutes its history suggests.
  assert.equal(adaptiveIntervalMinutes([48, 49, 50].map(hoursAgo), now), 720);
  // Still active: the history decides.
  assert.equal(adaptiveIntervalMinutes([1, 2, 3].map(hoursAgo), now), 30);
});

test("success: the interval, or longer when TTL, max-age or Expires ask", () => {
  assert.equal(minutesFrom(nextAfterSuccess({ now, intervalMinutes: 60, random: mid })), 60);
  assert.equal(minutesFrom(nextAfterSuccess({ now, intervalMinutes: 60, ttlMinutes: 180, random: mid })), 180);
  const maxAge = cacheHints(new Headers({ "cache-control": "max-age=7200" }), now);
  assert.equal(minutesFrom(nextAfterSuccess({ now, intervalMinutes: 60, hints: maxAge, random: mid })), 120);
  const expires = cacheHints(new Headers({ expires: new Date(now.getTime() + 5 * 3_600_000).toUTCString() }), now);
  assert.equal(minutesFrom(nextAfterSuccess({ now, intervalMinutes: 60, hints: expires, random: mid })), 300);
  // Shorter hints never make us poll more often than the feed's pace.
  const short = cacheHints(new Headers({ "cache-control": "max-age=60" }), now);
  assert.equal(minutesFrom(nextAfterSuccess({ now, intervalMinutes: 60, hints: short, random: mid })), 60);
  // max-age wins over Expires (RFC 9111).
  const both = cacheHints(
    new Headers({ "cache-control": "max-age=3600", expires: new Date(now.getTime() + 10 * 3_600_000).toUTCString() }),
    now,
  );
  assert.equal(minutesFrom(nextAfterSuccess({ now, intervalMinutes: 15, hints: both, random: mid })), 60);
  // Never more than a day, whatever the hints say.
  assert.equal(minutesFrom(nextAfterSuccess({ now, intervalMinutes: 60, ttlMinutes: 10_000, random: mid })), 1440);
});

test("success: jitter stays within ±5%", () => {
  const lo = minutesFrom(nextAfterSuccess({ now, intervalMinutes: 100, random: () => 0 }));
  const hi = minutesFrom(nextAfterSuccess({ now, intervalMinutes: 100, random: () => 0.999999 }));
  assert.ok(lo >= 95 && lo < 100, `low ${lo}`);
  assert.ok(hi > 100 && hi <= 105, `high ${hi}`);
});

test("failure: exponential backoff from the interval, capped at 24 hours, never stopping", () => {
  assert.equal(backoffMs(60, 1, mid) / 60_000, 120);
  assert.equal(backoffMs(60, 2, mid) / 60_000, 240);
  assert.equal(backoffMs(60, 3, mid) / 60_000, 480);
  assert.equal(backoffMs(60, 10, mid) / 60_000, 1440);
  assert.equal(backoffMs(60, 10_000, mid) / 60_000, 1440);
  const growing = [1, 2, 3, 4].map((n) =>
    minutesFrom(nextAfterFailure({ now, intervalMinutes: 30, errorCount: n, random: mid })),
  );
  assert.deepEqual(growing, [60, 120, 240, 480]);
  const jittered = backoffMs(60, 1, () => 0) / 60_000;
  assert.ok(jittered >= 108 && jittered < 120);
});

test("failure: Retry-After wins when it asks for longer, up to a week", () => {
  const in2days = new Date(now.getTime() + 48 * 3_600_000);
  const next = nextAfterFailure({ now, intervalMinutes: 15, errorCount: 1, retryAfter: in2days, random: mid });
  assert.equal(next.toISOString(), in2days.toISOString());
  const soon = new Date(now.getTime() + 60_000);
  assert.equal(
    minutesFrom(nextAfterFailure({ now, intervalMinutes: 15, errorCount: 1, retryAfter: soon, random: mid })),
    30,
  );
  const year = new Date(now.getTime() + 365 * 24 * 3_600_000);
  assert.equal(
    minutesFrom(nextAfterFailure({ now, intervalMinutes: 15, errorCount: 1, retryAfter: year, random: mid })),
    7 * 1440,
  );
});

test("a source's first day is polled at most a quarter of its age apart, 15 min … 1 h", () => {
  assert.equal(youngIntervalMinutes(1440, hoursAgo(0), now), 15);
  assert.equal(youngIntervalMinutes(1440, hoursAgo(2), now), 30);
  assert.equal(youngIntervalMinutes(1440, hoursAgo(23), now), 60);
  // A busier feed keeps its shorter interval; after a day the feed's own interval applies.
  assert.equal(youngIntervalMinutes(20, hoursAgo(23), now), 20);
  assert.equal(youngIntervalMinutes(1440, hoursAgo(25), now), 1440);
});
