/** SQL of insights: the day's salt, counted views, daily rollups, outcomes, experiments, settings. */
import {
  CompiledQuery,
  type ExpressionBuilder,
  expressionBuilder,
  type Insertable,
  type Kysely,
  type Selectable,
} from "kysely";
import type { Db } from "../lib/db/index.ts";
import type {
  Database,
  InsightDailyTable,
  InsightExperimentsTable,
  InsightOutcomesTable,
  InsightViewsTable,
} from "../lib/db/schema.ts";

export type NewView = Insertable<InsightViewsTable>;
export type NewOutcome = Insertable<InsightOutcomesTable>;
export type OutcomeRow = Selectable<InsightOutcomesTable>;
/** An outcome as listed, with its post's slug. */
export type OutcomeListed = Awaited<ReturnType<ReturnType<typeof insightStore>["outcomesBetween"]>>[number];

/** Rows per INSERT. */
const CHUNK = 1000;
/** A stored view's columns, in the order of inserts and of the CSV export. */
export const VIEW_COLUMNS = [
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
const COLUMNS = VIEW_COLUMNS;
const pick = COLUMNS.map((_, i) => `e->>${i}`).join(", ");
/** The INSERT of a JSON array of rows (each an array in COLUMNS order), per dialect. */
const INSERT: Record<string, string> = {
  // jsonb_each: each row's array comes out parsed once (json_each's text is parsed per column).
  sqlite: `insert into insight_views (${COLUMNS.join(", ")}) select ${pick} from (select value as e from jsonb_each(jsonb(?)))`,
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
    /** Record many outcomes (an import, a benchmark). */
    async addOutcomes(rows: NewOutcome[]): Promise<void> {
      for (let i = 0; i < rows.length; i += 500)
        await k
          .insertInto("insight_outcomes")
          .values(rows.slice(i, i + 500))
          .execute();
    },
    /** A pending outcome of `who` (the latest, of that post if given) made one at `at`; false when none. */
    async confirmPending(kind: string, who: string, postId: number | null, at: string): Promise<boolean> {
      let q = k
        .selectFrom("insight_outcomes")
        .select("id")
        .where("kind", "=", `${kind}:pending`)
        .where("who", "=", who);
      if (postId !== null) q = q.where("post_id", "=", postId);
      const row = await q.orderBy("id", "desc").limit(1).executeTakeFirst();
      if (!row) return false;
      await k.updateTable("insight_outcomes").set({ kind, at }).where("id", "=", row.id).execute();
      return true;
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
    /** Days with raw views and no rollup yet, before `today`. */
    daysToRoll: async (today: string): Promise<string[]> => {
      const rows = await k
        .selectFrom("insight_views")
        .select("day")
        .distinct()
        .where("day", "<", today)
        .where(({ not, exists, selectFrom }) =>
          not(
            exists(
              selectFrom("insight_daily as d")
                .select("d.day")
                .whereRef("d.day", "=", "insight_views.day")
                .where("d.dim", "=", "total"),
            ),
          ),
        )
        .orderBy("day")
        .execute();
      return rows.map((r) => r.day);
    },
    /**
     * A day's counts by each dimension, from its raw views, in one transaction: the total, by
     * page, by source, by device, by our emails' markers, and by entry page (a visit's first view).
     */
    async rollDay(day: string): Promise<void> {
      await k.transaction().execute(async (tx) => {
        const v = () => tx.selectFrom("insight_views").where("day", "=", day);
        const counts = (eb: ExpressionBuilder<Database, "insight_views">) => [
          eb.fn.countAll<number>().as("views"),
          eb.fn.count<number>("visitor").distinct().as("visitors"),
        ];
        const rows: Insertable<InsightDailyTable>[] = [];
        const total = await v().select(counts).executeTakeFirst();
        // No raw views (none that day, or gone with the retention): its rollup stays as it is.
        if (!Number(total?.views ?? 0)) return;
        await tx.deleteFrom("insight_daily").where("day", "=", day).execute();
        rows.push({
          day,
          dim: "total",
          key: "",
          views: Number(total?.views ?? 0),
          visitors: Number(total?.visitors ?? 0),
        });
        // Sources are counted by visit, in visitsOfDay: a click from one of the site's pages to another
        // is no source of its own.
        for (const [dim, col] of [
          ["path", "path"],
          ["device", "device"],
        ] as const) {
          for (const r of await v()
            .select([col, ...counts(expressionBuilder())])
            .groupBy(col)
            .execute())
            rows.push({ day, dim, key: String(r[col]), views: Number(r.views), visitors: Number(r.visitors) });
        }
        for (const r of await v()
          .select(["ref", ...counts(expressionBuilder())])
          .where("ref", "is not", null)
          .groupBy("ref")
          .execute())
          rows.push({ day, dim: "ref", key: String(r.ref), views: Number(r.views), visitors: Number(r.visitors) });
        // Entry pages: each visitor's first view of the day (the lowest id: one pass, grouped).
        const firsts = await tx
          .selectFrom("insight_views")
          .select(["path", (eb) => eb.fn.countAll<number>().as("n")])
          .where("id", "in", (eb) =>
            eb
              .selectFrom("insight_views")
              .select((f) => f.fn.min<number>("id").as("id"))
              .where("day", "=", day)
              .groupBy("visitor"),
          )
          .groupBy("path")
          .execute();
        for (const r of firsts)
          rows.push({ day, dim: "entry", key: r.path, views: Number(r.n), visitors: Number(r.n) });
        rows.push(...(await visitsOfDay(tx, day)));
        for (let i = 0; i < rows.length; i += 500)
          await tx
            .insertInto("insight_daily")
            .values(rows.slice(i, i + 500))
            // Another process rolling the same day at once (a CLI command beside the job): on
            // PostgreSQL its rows are not seen by this delete; the later count wins.
            .onConflict((oc) =>
              oc.columns(["day", "dim", "key"]).doUpdateSet((eb) => ({
                views: eb.ref("excluded.views"),
                visitors: eb.ref("excluded.visitors"),
              })),
            )
            .execute();
      });
    },
    /**
     * The first day with counted visits: when counting began (outcomes recorded by hand may be
     * dated long before, so they say nothing about it).
     */
    async firstCountedDay(): Promise<string | undefined> {
      const r = await k
        .selectFrom("insight_daily")
        .select((eb) => eb.fn.min<string>("day").as("day"))
        .where("dim", "=", "total")
        .executeTakeFirst();
      return r?.day ?? undefined;
    },
    async deleteExperiment(id: number): Promise<void> {
      await k.deleteFrom("insight_experiments").where("id", "=", id).execute();
    },
    experiment: (id: number) => k.selectFrom("insight_experiments").selectAll().where("id", "=", id).executeTakeFirst(),
    /** Counts of days in [from, to) by one dimension, summed; the largest first. */
    daily: (dim: string, from: string, to: string, limit = 10) =>
      k
        .selectFrom("insight_daily")
        .select([
          "key",
          (eb) => eb.fn.sum<number>("views").as("views"),
          (eb) => eb.fn.sum<number>("visitors").as("visitors"),
        ])
        .where("dim", "=", dim)
        .where("day", ">=", from)
        .where("day", "<", to)
        .groupBy("key")
        .orderBy("views", "desc")
        .limit(limit)
        .execute(),
    /** Outcomes in [from, to), oldest first, with their post's slug. */
    outcomesBetween: (from: string, to: string) =>
      k
        .selectFrom("insight_outcomes as o")
        .leftJoin("posts as p", "p.id", "o.post_id")
        .select([
          "o.id",
          "o.kind",
          "o.at",
          "o.post_id",
          "p.slug",
          "p.kind as post_kind",
          "o.who",
          "o.entry_path",
          "o.source",
          "o.pages",
          "o.note",
          "o.value_cents",
          "o.currency",
          "o.attributed_at",
        ])
        .where("o.kind", "not like", "%:pending")
        .where("o.at", ">=", from)
        .where("o.at", "<", to)
        .orderBy("o.at")
        .orderBy("o.id")
        .execute(),
    /** Each person's first outcome, for those whose first is at or after `since`. */
    firstOutcomes: (since: string): Promise<{ who: string; at: string }[]> =>
      k
        .selectFrom("insight_outcomes")
        .select(["who", (eb) => eb.fn.min<string>("at").as("at")])
        .where("kind", "not like", "%:pending")
        .where("kind", "not in", ["forward", "manual"]) // a forward's reader is known only for the day
        .groupBy("who")
        .having((eb) => eb.fn.min("at"), ">=", since)
        .execute(),
    /** How many outcomes in [from, to). */
    countOutcomes: async (from: string, to: string): Promise<number> =>
      Number(
        (
          await k
            .selectFrom("insight_outcomes")
            .select((eb) => eb.fn.countAll<number>().as("n"))
            .where("kind", "not like", "%:pending")
            .where("at", ">=", from)
            .where("at", "<", to)
            .executeTakeFirst()
        )?.n ?? 0,
      ),
    /** Raw views after id `after`, in id order (the export, page by page). */
    viewsAfter: (after: number, limit: number) =>
      k.selectFrom("insight_views").selectAll().where("id", ">", after).orderBy("id").limit(limit).execute(),
    /**
     * Pages' counts summed over all days, by dimension (path, entry, deep), and their readers'
     * sources (`path-source`, keyed "path\tsource": read as a key range, so by the index).
     */
    async pagesTotals(paths: string[]) {
      if (!paths.length) return [];
      const rows = await k
        .selectFrom("insight_daily")
        .select([
          "dim",
          "key",
          (eb) => eb.fn.sum<number>("views").as("views"),
          (eb) => eb.fn.sum<number>("visitors").as("visitors"),
        ])
        .where((eb) =>
          eb.or([
            eb.and([eb("dim", "in", ["path", "entry", "deep"]), eb("key", "in", paths)]),
            ...paths.map((path) =>
              eb.and([eb("dim", "=", "path-source"), eb("key", ">", `${path}\t`), eb("key", "<", `${path}\n`)]),
            ),
          ]),
        )
        .groupBy(["dim", "key"])
        .execute();
      return rows.map((r) => ({ dim: r.dim, key: r.key, views: Number(r.views), visitors: Number(r.visitors) }));
    },
    /** Forwards since `since` not yet linked to a post (the counting thread knows only their path). */
    unlinkedForwards: (since: string) =>
      k
        .selectFrom("insight_outcomes")
        .select(["id", "entry_path"])
        .where("kind", "=", "forward")
        .where("post_id", "is", null)
        .where("at", ">=", since)
        .orderBy("id", "desc")
        .limit(1000)
        .execute(),
    async linkPost(id: number, postId: number): Promise<void> {
      await k.updateTable("insight_outcomes").set({ post_id: postId }).where("id", "=", id).execute();
    },
    /** Outcomes some of these posts led to: about one, entered at one, or after reading one. */
    outcomesOfPosts: (ids: number[], paths: string[]) =>
      k
        .selectFrom("insight_outcomes")
        .select(["kind", "post_id", "entry_path", "pages", "value_cents", "currency"])
        .where("kind", "not like", "%:pending")
        .where((eb) =>
          eb.or([
            ...(ids.length ? [eb("post_id", "in", ids)] : []),
            ...(paths.length ? [eb("entry_path", "in", paths)] : []),
            ...paths.map((path) => eb("pages", "like", `%${JSON.stringify(path)}%`)),
          ]),
        )
        .execute(),
    async addExperiment(row: Insertable<InsightExperimentsTable>): Promise<number> {
      const r = await k.insertInto("insight_experiments").values(row).returning("id").executeTakeFirstOrThrow();
      return r.id;
    },
    experiments: () =>
      k.selectFrom("insight_experiments").selectAll().orderBy("starts_on", "desc").orderBy("id", "desc").execute(),
    async stopExperiment(id: number, day: string): Promise<boolean> {
      const r = await k
        .updateTable("insight_experiments")
        .set({ stopped_on: day })
        .where("id", "=", id)
        .where("stopped_on", "is", null)
        .where("ends_on", ">=", day)
        .executeTakeFirst();
      return Number(r.numUpdatedRows) > 0;
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

/**
 * A day's visits read in order, for what grouped counts can't say: by page, the visits that read
 * 3 or more pages after it ("deep", counted as visitors), and where each page's readers came from
 * ("path-source", key "PATH<TAB>SOURCE"). One pass over the day's rows, in visitor order.
 */
/** The source of a view reached from another of the site's pages (visit.ts). */
const INTERNAL = "internal";

async function visitsOfDay(db: Kysely<Database>, day: string): Promise<Insertable<InsightDailyTable>[]> {
  const views = await db
    .selectFrom("insight_views")
    .select(["visitor", "path", "source"])
    .where("day", "=", day)
    .orderBy("visitor")
    .orderBy("id")
    .execute();
  const deep = new Map<string, number>();
  const bySource = new Map<string, { views: number; visitors: number }>();
  const sources = new Map<string, { views: number; visitors: number }>();
  for (let i = 0; i < views.length; ) {
    let j = i;
    while (j < views.length && views[j].visitor === views[i].visitor) j++;
    const visit = views.slice(i, j);
    // The visit's source: where it came from outside the site (its first view's, unless that came
    // from one of the site's own pages, which happens when the first page was not counted).
    const source = visit.find((v) => v.source !== INTERNAL)?.source ?? INTERNAL;
    const s = sources.get(source) ?? { views: 0, visitors: 0 };
    s.visitors++;
    s.views += visit.length;
    sources.set(source, s);
    const firstAt = new Map<string, number>();
    for (const [n, v] of visit.entries()) if (!firstAt.has(v.path)) firstAt.set(v.path, n);
    for (const [path, n] of firstAt) {
      if (visit.length - n - 1 >= 3) deep.set(path, (deep.get(path) ?? 0) + 1);
      const key = `${path}\t${source}`;
      const c = bySource.get(key) ?? { views: 0, visitors: 0 };
      c.visitors++;
      c.views += visit.filter((v) => v.path === path).length;
      bySource.set(key, c);
    }
    i = j;
  }
  return [
    ...[...sources].map(([key, c]) => ({ day, dim: "source", key, views: c.views, visitors: c.visitors })),
    ...[...deep].map(([key, n]) => ({ day, dim: "deep", key, views: n, visitors: n })),
    ...[...bySource].map(([key, c]) => ({ day, dim: "path-source", key, views: c.views, visitors: c.visitors })),
  ];
}
