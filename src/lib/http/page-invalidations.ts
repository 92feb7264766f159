/**
 * Dropping single pages from every process's page cache. A change that touches one page (a
 * comment on a post) should not empty the whole cache, which `contentChanged` does: it drops the
 * pages here and records them in `page_invalidations`; each process's freshness check (see
 * site/cache.ts) reads the rows it has not seen and drops the same pages.
 */
import type { AppContext } from "../context.ts";
import type { Db } from "../db/index.ts";
import { invalidationsStore } from "./invalidations-store.ts";

/** Rows older than this are swept: every process reads the table more often than that. */
const KEEP_MS = 3600_000;

/** Sweep at most this often per process: each sweep reads the whole table (a burst of 5,000 Likes swept 5,000 times). */
const SWEEP_EVERY_MS = 60_000;
const sweptAt = new WeakMap<Db, number>();

/** Drop `paths` (cache keys) here now and in every other process within a second. */
export async function invalidatePages(ctx: AppContext, paths: string[]): Promise<void> {
  for (const p of paths) ctx.cache.invalidate(p);
  const at = ctx.now();
  const store = invalidationsStore(ctx.db);
  await store.add(paths, at.toISOString());
  const last = sweptAt.get(ctx.db);
  if (last !== undefined && Math.abs(at.getTime() - last) < SWEEP_EVERY_MS) return;
  sweptAt.set(ctx.db, at.getTime());
  await store.sweep(new Date(at.getTime() - KEEP_MS).toISOString());
}

/** The newest invalidation's id (a process starts reading after it). */
export const lastInvalidation = (db: Db): Promise<number> => invalidationsStore(db).last();

/** Invalidations after `afterId`, oldest first. */
export const invalidationsAfter = (db: Db, afterId: number) => invalidationsStore(db).after(afterId);
