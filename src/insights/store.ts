/** SQL of insights: the day's salt, counted views, daily rollups, outcomes, experiments, settings. */
import type { Insertable } from "kysely";
import type { Db } from "../lib/db/index.ts";
import type { InsightViewsTable } from "../lib/db/schema.ts";

export type NewView = Insertable<InsightViewsTable>;

/** Rows per INSERT: 11 columns each stays far below SQLite's 32,766 parameters. */
const CHUNK = 500;

export function insightStore(db: Db) {
  const k = db.kysely;
  return {
    /** The salt of `day`, made by whichever process asks first (the others read the same). */
    async salt(day: string, fresh: string): Promise<string> {
      await k
        .insertInto("insight_salts")
        .values({ day, salt: fresh })
        .onConflict((oc) => oc.column("day").doNothing())
        .execute();
      const row = await k.selectFrom("insight_salts").select("salt").where("day", "=", day).executeTakeFirstOrThrow();
      return row.salt;
    },
    /** Delete the salts of days before `day`: yesterday's visitors can no longer be recognized. */
    async dropSaltsBefore(day: string): Promise<void> {
      await k.deleteFrom("insight_salts").where("day", "<", day).execute();
    },
    /** Store views, in one transaction. */
    async addViews(rows: NewView[]): Promise<void> {
      if (!rows.length) return;
      await k.transaction().execute(async (tx) => {
        for (let i = 0; i < rows.length; i += CHUNK)
          await tx
            .insertInto("insight_views")
            .values(rows.slice(i, i + CHUNK))
            .execute();
      });
    },
    /** Raw views of days before `day` deleted (the retention); how many. */
    async dropViewsBefore(day: string): Promise<number> {
      const r = await k.deleteFrom("insight_views").where("day", "<", day).executeTakeFirst();
      return Number(r.numDeletedRows);
    },
    setting: async (name: string): Promise<string | undefined> =>
      (await k.selectFrom("insight_settings").select("value").where("name", "=", name).executeTakeFirst())?.value,
    async setSetting(name: string, value: string): Promise<void> {
      await k
        .insertInto("insight_settings")
        .values({ name, value })
        .onConflict((oc) => oc.column("name").doUpdateSet({ value }))
        .execute();
    },
  };
}
