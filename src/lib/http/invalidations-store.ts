/** SQL of `page_invalidations` (lib): single pages every process drops from its page cache. */
import type { Db } from "../db/index.ts";

export function invalidationsStore(db: Db) {
  const k = db.kysely;
  return {
    async add(paths: string[], at: string): Promise<void> {
      await k
        .insertInto("page_invalidations")
        .values(paths.map((path) => ({ path, at })))
        .execute();
    },
    async sweep(before: string): Promise<void> {
      await k.deleteFrom("page_invalidations").where("at", "<", before).execute();
    },
    async last(): Promise<number> {
      const r = await k
        .selectFrom("page_invalidations")
        .select((eb) => eb.fn.max("id").as("id"))
        .executeTakeFirst();
      return Number(r?.id ?? 0);
    },
    after: (afterId: number): Promise<{ id: number; path: string }[]> =>
      k
        .selectFrom("page_invalidations")
        .select(["id", "path"])
        .where("id", ">", afterId)
        .orderBy("id")
        .limit(1000)
        .execute(),
  };
}
