/** SQL the content admin needs beyond the content stores: theme lookups. */
import type { AppContext } from "../../lib/context.ts";

/** Published posts whose only theme is `themeId` (deleting it would leave them without one). */
export async function postsOnlyInTheme(ctx: AppContext, themeId: number): Promise<{ id: number; title: string }[]> {
  return ctx.db.kysely
    .selectFrom("posts")
    .select(["posts.id", "posts.title"])
    .where("posts.status", "in", ["published", "scheduled"])
    .where("posts.kind", "!=", "page")
    .where((eb) =>
      eb.exists(
        eb
          .selectFrom("post_themes")
          .select("post_themes.post_id")
          .whereRef("post_themes.post_id", "=", "posts.id")
          .where("post_themes.theme_id", "=", themeId),
      ),
    )
    .where((eb) =>
      eb.not(
        eb.exists(
          eb
            .selectFrom("post_themes")
            .select("post_themes.post_id")
            .whereRef("post_themes.post_id", "=", "posts.id")
            .where("post_themes.theme_id", "!=", themeId),
        ),
      ),
    )
    .orderBy("posts.title")
    .execute();
}

/** Number of posts (any status) per theme id. */
export async function themePostCounts(ctx: AppContext): Promise<Map<number, number>> {
  const rows = await ctx.db.kysely
    .selectFrom("post_themes")
    .select(["theme_id", (eb) => eb.fn.countAll<number>().as("n")])
    .groupBy("theme_id")
    .execute();
  return new Map(rows.map((r) => [r.theme_id, Number(r.n)]));
}
