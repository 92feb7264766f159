/**
 * Dropping single pages from every process's page cache. A change that touches one page (a
 * comment on a post) should not empty the whole cache, which `contentChanged` does: it drops the
 * pages here and records them in `page_invalidations`; each process's freshness check (see
 * site/cache.ts) reads the rows it has not seen and drops the same pages.
 */
import type { AppContext } from "../context.ts";
import type { Db } from "../db/index.ts";

/** Rows older than this are swept: every process reads the table more often than that. */
const KEEP_MS = 3600_000;

/** Drop `paths` (cache keys) here now and in every other process within a second. */
export async function invalidatePages(ctx: AppContext, paths: string[]): Promise<void> {
  for (const p of paths) ctx.cache.invalidate(p);
  const at = ctx.now();
  const k = ctx.db.kysely;
  await k
    .insertInto("page_invalidations")
    .values(paths.map((path) => ({ path, at: at.toISOString() })))
    .execute();
  await k
    .deleteFrom("page_invalidations")
    .where("at", "<", new Date(at.getTime() - KEEP_MS).toISOString())
    .execute();
}

/** The newest invalidation's id (a process starts reading after it). */
export async function lastInvalidation(db: Db): Promise<number> {
  const r = await db.kysely
    .selectFrom("page_invalidations")
    .select((eb) => eb.fn.max("id").as("id"))
    .executeTakeFirst();
  return Number(r?.id ?? 0);
}

/** Invalidations after `afterId`, oldest first. */
export function invalidationsAfter(db: Db, afterId: number): Promise<{ id: number; path: string }[]> {
  return db.kysely
    .selectFrom("page_invalidations")
    .select(["id", "path"])
    .where("id", ">", afterId)
    .orderBy("id")
    .limit(1000)
    .execute();
}
