/** SQL of insights: the day's salt, counted views, daily rollups, outcomes, experiments, settings. */
import { CompiledQuery, type Insertable, type Selectable } from "kysely";
import type { Db } from "../lib/db/index.ts";
import type { InsightOutcomesTable, InsightViewsTable } from "../lib/db/schema.ts";

export type NewView = Insertable<InsightViewsTable>;
export type NewOutcome = Insertable<InsightOutcomesTable>;
export type OutcomeRow = Selectable<InsightOutcomesTable>;

/** Rows per INSERT. */
const CHUNK = 1000;
const COLUMNS = [
  "day",
  "at",
  "visitor",
  "path",
  "source",
  "referrer_host",
  "utm_source",
  "utm_medium",
  "utm_campaign",
  "ref",
  "device",
] as const;
const pick = COLUMNS.map((_, i) => `e->>${i}`).join(", ");
/** The INSERT of a JSON array of rows (each an array in COLUMNS order), per dialect. */
const INSERT: Record<string, string> = {
  sqlite: `insert into insight_views (${COLUMNS.join(", ")}) select ${pick} from (select value as e from json_each(?))`,
  postgres: `insert into insight_views (${COLUMNS.join(", ")}) select ${pick} from jsonb_array_elements($1::jsonb) as e`,
};

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
    /**
     * Store views: each chunk as one JSON parameter that the database unpacks (json_each,
     * jsonb_array_elements). Under load the views come by the tens of thousands a second, and
     * binding eleven values a row from JavaScript cost more than the insert itself.
     */
    async addViews(rows: NewView[]): Promise<void> {
      for (let i = 0; i < rows.length; i += CHUNK) {
        const chunk = rows.slice(i, i + CHUNK).map((r) => COLUMNS.map((c) => r[c] ?? null));
        await k.executeQuery(CompiledQuery.raw(INSERT[db.dialect], [JSON.stringify(chunk)]));
      }
    },
    /** Raw views of days before `day` deleted (the retention); how many. */
    async dropViewsBefore(day: string): Promise<number> {
      const r = await k.deleteFrom("insight_views").where("day", "<", day).executeTakeFirst();
      return Number(r.numDeletedRows);
    },
    /** Record an outcome; its id. */
    async addOutcome(row: NewOutcome): Promise<number> {
      const r = await k.insertInto("insight_outcomes").values(row).returning("id").executeTakeFirstOrThrow();
      return r.id;
    },
    outcome: (id: number): Promise<OutcomeRow | undefined> =>
      k.selectFrom("insight_outcomes").selectAll().where("id", "=", id).executeTakeFirst(),
    /** A visit: a visitor's views of a day up to `until`, in order (the day's rows scanned: see the index). */
    visit: (day: string, visitor: string, until: string): Promise<{ path: string; source: string; at: string }[]> =>
      k
        .selectFrom("insight_views")
        .select(["path", "source", "at"])
        .where("day", "=", day)
        .where("visitor", "=", visitor)
        .where("at", "<=", until)
        .orderBy("at")
        .orderBy("id")
        .execute(),
    async attributed(id: number, a: { entry_path: string; source: string; pages: string; at: string }): Promise<void> {
      await k
        .updateTable("insight_outcomes")
        .set({ entry_path: a.entry_path, source: a.source, pages: a.pages, attributed_at: a.at })
        .where("id", "=", id)
        .execute();
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
