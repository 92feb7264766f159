/**
 * Freshness hints from response headers (RFC 9111 Cache-Control, Expires; RFC 9110 Retry-After),
 * for schedulers deciding when to ask a server again. Pure: no I/O, the clock is passed in.
 */

/** What the server said about when to come back. */
export interface CacheHints {
  /**
   * Seconds the response stays fresh from `now`: max-age (or s-maxage when larger, since a CDN in front
   * serves the same copy that long), minus the Age header; 0 for no-cache/no-store; null when not given.
   * Takes precedence over `expires` (RFC 9111 §4.2.1).
   */
  maxAgeSeconds: number | null;
  /** The Expires date when valid; null when absent or invalid (e.g. "0", which means "already stale"). */
  expires: Date | null;
  /** When to retry after a 429/503 (Retry-After in seconds or as an HTTP-date); null when absent or invalid. */
  retryAfter: Date | null;
  /** True for Cache-Control: no-store. */
  noStore?: boolean;
}

/** Read the caching and retry hints of a response. */
export function cacheHints(headers: Headers, now: Date): CacheHints {
  const directives = parseCacheControl(headers.get("cache-control"));
  const noStore = directives.has("no-store");
  let maxAgeSeconds: number | null = null;
  if (noStore || directives.has("no-cache")) {
    maxAgeSeconds = 0;
  } else {
    const maxAge = seconds(directives.get("max-age"));
    const sMaxAge = seconds(directives.get("s-maxage"));
    if (maxAge !== null || sMaxAge !== null) {
      const age = seconds(headers.get("age") ?? undefined) ?? 0;
      maxAgeSeconds = Math.max(0, Math.max(maxAge ?? 0, sMaxAge ?? 0) - age);
    }
  }
  const hints: CacheHints = {
    maxAgeSeconds,
    expires: httpDate(headers.get("expires")),
    retryAfter: retryAfter(headers.get("retry-after"), now),
  };
  if (noStore) hints.noStore = true;
  return hints;
}

/** Directive name (lower case) → value ("" for bare directives). Quoted values lose their quotes. */
function parseCacheControl(value: string | null): Map<string, string> {
  const out = new Map<string, string>();
  if (!value) return out;
  // Commas inside quoted values (no-cache="a, b") do not separate directives.
  for (const part of value.match(/(?:[^,"]|"[^"]*")+/g) ?? []) {
    const eq = part.indexOf("=");
    const name = (eq < 0 ? part : part.slice(0, eq)).trim().toLowerCase();
    if (!name) continue;
    const raw = eq < 0 ? "" : part.slice(eq + 1).trim();
    // The first occurrence wins when a directive repeats.
    if (!out.has(name)) out.set(name, raw.replace(/^"(.*)"$/, "$1"));
  }
  return out;
}

/** A non-negative integer number of seconds, else null. */
function seconds(value: string | undefined): number | null {
  if (value === undefined || !/^\d+$/.test(value.trim())) return null;
  return Math.min(Number(value.trim()), 2 ** 31);
}

/** An HTTP-date (IMF-fixdate, RFC 850 or asctime), else null. */
function httpDate(value: string | null): Date | null {
  // Date.parse accepts bare numbers like "5" as years; an HTTP-date always names a month.
  if (!value || !/[a-z]{3}/i.test(value)) return null;
  const ms = Date.parse(value);
  return Number.isNaN(ms) ? null : new Date(ms);
}

function retryAfter(value: string | null, now: Date): Date | null {
  if (value === null) return null;
  const delay = seconds(value);
  if (delay !== null) return new Date(now.getTime() + delay * 1000);
  return httpDate(value);
}
