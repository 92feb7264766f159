/** SQL the admin needs beyond the content stores: a few lookups and the owner's time zone. */
import type { AppContext } from "../lib/context.ts";

const TZ_KEY = "admin_timezone";

/** Is `tz` an IANA time zone this runtime knows? */
export function isTimeZone(tz: string): boolean {
  try {
    new Intl.DateTimeFormat("en", { timeZone: tz });
    return tz.length > 0;
  } catch {
    return false;
  }
}

/** The owner's time zone for scheduling (default: the server's). */
export async function getTimeZone(ctx: AppContext): Promise<string> {
  const row = await ctx.db.kysely.selectFrom("settings").select("value").where("key", "=", TZ_KEY).executeTakeFirst();
  const tz = row ? (JSON.parse(row.value) as string) : "";
  return isTimeZone(tz) ? tz : Intl.DateTimeFormat().resolvedOptions().timeZone || "UTC";
}

export async function setTimeZone(ctx: AppContext, tz: string): Promise<void> {
  const value = JSON.stringify(tz);
  await ctx.db.kysely
    .insertInto("settings")
    .values({ key: TZ_KEY, value })
    .onConflict((oc) => oc.column("key").doUpdateSet({ value }))
    .execute();
}

/** Display names of users by id (for "who" columns). */
export async function userNames(ctx: AppContext): Promise<Map<number, string>> {
  const rows = await ctx.db.kysely.selectFrom("users").select(["id", "name", "email"]).execute();
  return new Map(rows.map((r) => [r.id, r.name || r.email]));
}

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
