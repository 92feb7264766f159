/**
 * A fixed-window counter of failed attempts, kept in memory. It is per process: with several web
 * processes each one counts separately, which still bounds guessing to a small multiple.
 */

export interface RateLimiterOptions {
  /** Attempts allowed per window. */
  limit: number;
  windowMs: number;
  now: () => Date;
  /** Entries kept before expired ones are swept. */
  maxEntries?: number;
}

export class RateLimiter {
  private readonly hits = new Map<string, { count: number; resetAt: number }>();
  private readonly opts: RateLimiterOptions;
  constructor(opts: RateLimiterOptions) {
    this.opts = opts;
  }

  /** Milliseconds until `key` may try again, or 0 if it is under the limit. */
  retryAfter(key: string): number {
    const entry = this.hits.get(key);
    const now = this.opts.now().getTime();
    if (!entry || entry.resetAt <= now) return 0;
    return entry.count >= this.opts.limit ? entry.resetAt - now : 0;
  }

  /** Count one attempt for `key`. */
  hit(key: string): void {
    const now = this.opts.now().getTime();
    const entry = this.hits.get(key);
    if (!entry || entry.resetAt <= now) {
      if (this.hits.size >= (this.opts.maxEntries ?? 10_000)) this.sweep(now);
      this.hits.set(key, { count: 1, resetAt: now + this.opts.windowMs });
    } else {
      entry.count++;
    }
  }

  /** Forget `key` (after a successful sign-in). */
  reset(key: string): void {
    this.hits.delete(key);
  }

  private sweep(now: number): void {
    for (const [k, v] of this.hits) if (v.resetAt <= now) this.hits.delete(k);
    // Still full of live entries (an attack from many addresses): drop the oldest half.
    if (this.hits.size >= (this.opts.maxEntries ?? 10_000)) {
      let n = Math.floor(this.hits.size / 2);
      for (const k of this.hits.keys()) {
        if (n-- <= 0) break;
        this.hits.delete(k);
      }
    }
  }
}
