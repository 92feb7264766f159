/**
 * SQL of the story over time: per month and theme, the posts published, the saves, the digest
 * entries sent and the copies sent elsewhere. Reads only, joined across the modules whose tables
 * they are (content, reader, digest, syndication), as a page that needs the join may.
 */
import { sql } from "kysely";
import type { Db } from "../lib/db/index.ts";

/** One count: a month (YYYY-MM), a theme, how many. */
export interface MonthCount {
  month: string;
  theme_id: number;
  n: number;
}

const month = (col: string) => sql<string>`substr(${sql.ref(col)}, 1, 7)`;

export function storyStore(db: Db) {
  const k = db.kysely;
  const since = (from: string) => `${from}-01`;
  return {
    posts: (from: string): Promise<MonthCount[]> =>
      k
        .selectFrom("posts as p")
        .innerJoin("post_themes as t", "t.post_id", "p.id")
        .select([month("p.published_at").as("month"), "t.theme_id", (eb) => eb.fn.countAll<number>().as("n")])
        .where("p.status", "=", "published")
        .where("p.kind", "not in", ["page", "digest"])
        .where("p.published_at", ">=", since(from))
        .groupBy([month("p.published_at"), "t.theme_id"])
        .execute(),
    saves: (from: string): Promise<MonthCount[]> =>
      k
        .selectFrom("saves as s")
        .innerJoin("save_themes as t", "t.save_id", "s.id")
        .select([month("s.created_at").as("month"), "t.theme_id", (eb) => eb.fn.countAll<number>().as("n")])
        .where("s.created_at", ">=", since(from))
        .groupBy([month("s.created_at"), "t.theme_id"])
        .execute(),
    digestEntries: (from: string): Promise<MonthCount[]> =>
      k
        .selectFrom("digest_entries as e")
        .innerJoin("digest_sections as s", "s.id", "e.section_id")
        .innerJoin("digests as d", "d.id", "e.digest_id")
        .select([month("d.sent_at").as("month"), "s.theme_id", (eb) => eb.fn.countAll<number>().as("n")])
        .where("d.status", "=", "sent")
        .where("s.theme_id", "is not", null)
        .where("d.sent_at", ">=", since(from))
        .groupBy([month("d.sent_at"), "s.theme_id"])
        .execute() as Promise<MonthCount[]>,
    copies: (from: string): Promise<MonthCount[]> =>
      k
        .selectFrom("synd_copies as c")
        .innerJoin("post_themes as t", "t.post_id", "c.post_id")
        .select([month("c.sent_at").as("month"), "t.theme_id", (eb) => eb.fn.countAll<number>().as("n")])
        .where("c.status", "=", "sent")
        .where("c.sent_at", ">=", since(from))
        .groupBy([month("c.sent_at"), "t.theme_id"])
        .execute(),
    /** Posts by theme with the outcomes each led to, the most first (then the newest). */
    keyPosts: () =>
      k
        .selectFrom("posts as p")
        .innerJoin("post_themes as t", "t.post_id", "p.id")
        // Outcomes that happened: not those still waiting (an unconfirmed subscription, a held comment).
        .leftJoin("insight_outcomes as o", (j) =>
          j.onRef("o.post_id", "=", "p.id").on("o.kind", "not like", "%:pending"),
        )
        .select(["p.title", "p.slug", "t.theme_id", "p.published_at", (eb) => eb.fn.count<number>("o.id").as("n")])
        .where("p.status", "=", "published")
        .where("p.kind", "not in", ["page", "digest"])
        .groupBy(["p.id", "p.title", "p.slug", "t.theme_id", "p.published_at"])
        .orderBy("n", "desc")
        .orderBy("p.published_at", "desc")
        .limit(500)
        .execute(),
    /** Published posts' days (for cadence and streaks), oldest first. */
    publishedDays: async (): Promise<string[]> =>
      (
        await k
          .selectFrom("posts")
          .select("published_at")
          .where("status", "=", "published")
          .where("kind", "not in", ["page", "digest"])
          .where("published_at", "is not", null)
          .orderBy("published_at")
          .execute()
      ).map((r) => (r.published_at ?? "").slice(0, 10)),
  };
}
