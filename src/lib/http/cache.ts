/**
 * In-memory cache of rendered public responses, keyed by path and query.
 * Content changes call `clear()`; the entry's ETag lets clients revalidate cheaply.
 */
import { createHash } from "node:crypto";
import { brotliCompressSync, constants, gzipSync } from "node:zlib";

export interface CachedPage {
  body: string;
  contentType: string;
  etag: string;
  lastModified: string;
  status: number;
  /** The page's HTTP Link header (the endpoints it advertises), if any. */
  link?: string;
  /** Pre-compressed variants, made lazily on first request that accepts them. */
  br?: Buffer;
  gzip?: Buffer;
}

export class PageCache {
  private entries = new Map<string, CachedPage>();
  /** The most recently used key: a hit on it needs no LRU move (the common case under load). */
  private newest: string | undefined;
  /** Bumped on every clear, so renders that started before a change are not stored. */
  generation = 0;
  private readonly maxEntries: number;
  constructor(maxEntries = 2000) {
    this.maxEntries = maxEntries;
  }

  get(key: string): CachedPage | undefined {
    const hit = this.entries.get(key);
    if (hit && key !== this.newest) {
      // Refresh LRU position.
      this.entries.delete(key);
      this.entries.set(key, hit);
      this.newest = key;
    }
    return hit;
  }

  set(key: string, page: CachedPage, generation = this.generation): void {
    if (generation !== this.generation) return;
    // A key set again moves to the newest place, which `newest` relies on.
    this.entries.delete(key);
    if (this.entries.size >= this.maxEntries) {
      const oldest = this.entries.keys().next().value;
      if (oldest !== undefined) this.entries.delete(oldest);
    }
    this.entries.set(key, page);
    this.newest = key;
  }

  /**
   * Drop one entry (a comment changed one post's page). Renders already under way may hold the
   * old content, so they are not stored either: the generation moves as for `clear`.
   */
  invalidate(key: string): void {
    this.entries.delete(key);
    if (this.newest === key) this.newest = undefined;
    this.generation++;
  }

  clear(): void {
    this.entries.clear();
    this.newest = undefined;
    this.generation++;
  }

  get size(): number {
    return this.entries.size;
  }
}

/** A strong ETag from the body bytes. */
export function etagOf(body: string | Buffer): string {
  return `"${createHash("sha1").update(body).digest("base64url").slice(0, 22)}"`;
}

/** Compress once and keep the result on the entry. */
export function compressed(page: CachedPage, encoding: "br" | "gzip"): Buffer {
  if (encoding === "br") {
    page.br ??= brotliCompressSync(page.body, { params: { [constants.BROTLI_PARAM_QUALITY]: 5 } });
    return page.br;
  }
  page.gzip ??= gzipSync(page.body, { level: 6 });
  return page.gzip;
}
