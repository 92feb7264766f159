import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import type { Hono } from "hono";
import { createApp } from "../app.ts";
import { type Browser, signIn } from "../auth/testing.ts";
import { savePost, saveTheme, systemActor } from "../content/testing.ts";
import type { AppEnv } from "../lib/http/env.ts";
import { createTestContext, type TestContext } from "../lib/testing.ts";
import { insightStore } from "./store.ts";
import { lastMonths, streaks } from "./story.ts";
import { storyStore } from "./story-store.ts";
import { outcomeRow, viewRow } from "./testing.ts";

test("streaks of weeks with a post; the last months", () => {
  // Mondays 2026-11-02, -09, -16 (three weeks in a row), then a gap, then 2026-11-30 (this week).
  const days = ["2026-11-02", "2026-11-04", "2026-11-10", "2026-11-17", "2026-11-30"];
  assert.deepEqual(streaks(days, "2026-12-02"), { current: 1, longest: 3, weeks: 4 });
  assert.deepEqual(streaks(days, "2026-12-20"), { current: 0, longest: 3, weeks: 4 });
  assert.deepEqual(lastMonths(new Date("2026-03-15T00:00:00Z"), 3), ["2026-01", "2026-02", "2026-03"]);
});

let ctx: TestContext;
let app: Hono<AppEnv>;
let owner: Browser;
let craftId = 0;
let offId = 0;
before(async () => {
  ctx = await createTestContext();
  app = await createApp(ctx);
  owner = await signIn(ctx, app);
  const craft = await saveTheme(ctx, { name: "Craft", slug: "craft" });
  const travel = await saveTheme(ctx, { name: "Travel", slug: "travel" });
  craftId = craft.id;
  const month = (n: number) => new Date(ctx.now().getTime() - n * 31 * 86_400_000).toISOString();
  for (const [i, theme] of [craft, craft, travel].entries())
    await savePost(ctx, systemActor, {
      kind: "article",
      title: `Post ${i}`,
      slug: `post-${i}`,
      body: "Text.",
      themeIds: [theme.id],
      status: "published",
      publishedAt: month(i),
    });
  offId = (
    await savePost(ctx, systemActor, {
      kind: "note",
      title: "Holiday",
      slug: "holiday",
      body: "On the beach.",
      themeIds: [travel.id],
      status: "draft",
    })
  ).id;
});
after(() => ctx?.cleanup());

test("the story page: a stacked chart per kind with its title, description and numbers; the balance", async () => {
  const page = await (await owner.request("/admin/insights/story")).text();
  assert.match(
    page,
    /<svg class="plot-svg" viewBox="0 0 400 200" role="img" aria-labelledby="story-posts-title story-posts-desc"/,
  );
  assert.match(
    page,
    /<desc id="story-posts-desc">3 in all over 12 months; Craft 2, Travel 1\. Something on two themes counts under each\.<\/desc>/,
  );
  // A month's post or two: the axis has whole counts only. Nothing saved yet: a sentence, no chart.
  const posts = /<figure class="chart">[\s\S]*?story-posts-title[\s\S]*?<\/figure>/.exec(page)?.[0] ?? "";
  const ticks = [...posts.matchAll(/text-anchor="end"[^>]*>([^<]*)</g)].map((m) => m[1]);
  assert.ok(ticks.length >= 2 && ticks.every((t) => /^\d+$/.test(t)), ticks.join(","));
  assert.match(page, /<h2>Saves by theme, month by month<\/h2><p>None in the last 12 months yet\.<\/p>/);
  assert.match(page, /<details><summary>The numbers<\/summary>/);
  assert.equal((page.match(/<rect x=/g) ?? []).length >= 3, true, "a bar for each month's theme");
  assert.match(page, /100% of the last 12 months' posts \(by theme\) are on the themes you stand for\./);
});

test("a secondary theme: the balance says so, and a post only on it gets a notice in its editor; the public /story", async () => {
  const travel = await ctx.db.kysely
    .selectFrom("themes")
    .select("id")
    .where("slug", "=", "travel")
    .executeTakeFirstOrThrow();
  assert.equal((await app.request("/story")).status, 404, "off by default");
  const saved = await owner.form("/admin/insights/story", { secondary: [String(travel.id), "99999"], public: "1" });
  assert.equal(saved.headers.get("location"), "/admin/insights/story?msg=saved");
  const page = await (await owner.request("/admin/insights/story")).text();
  assert.match(
    page,
    /67% of the last 12 months' posts \(by theme\) are on the themes you stand for \(secondary: Travel\)\./,
  );
  const editor = await (await owner.request(`/admin/posts/${offId}`)).text();
  assert.match(editor, /This post is only on themes you marked secondary/);
  const onTheme = await ctx.db.kysely
    .selectFrom("posts")
    .select("id")
    .where("slug", "=", "post-0")
    .executeTakeFirstOrThrow();
  assert.doesNotMatch(await (await owner.request(`/admin/posts/${onTheme.id}`)).text(), /off-theme/);
  const pub = await app.request("/story");
  assert.equal(pub.status, 200);
  const body = await pub.text();
  assert.match(body, /<h1>What I&#39;ve been writing about<\/h1>/);
  assert.match(body, /<h3>Craft<\/h3><ul><li><a href="\/posts\/post-\d">Post \d<\/a><\/li>/);
  assert.doesNotMatch(body, /visitors|Balance/, "no visit counts in public");
  assert.ok(craftId);
});

test("key posts count outcomes that happened, not those still waiting; a day rolled up twice at once is one count", async () => {
  const post = await ctx.db.kysely
    .selectFrom("posts")
    .select("id")
    .where("status", "=", "published")
    .executeTakeFirstOrThrow();
  const store = insightStore(ctx.db);
  const at = new Date().toISOString();
  await store.addOutcome(outcomeRow("subscription:pending", at, { post_id: post.id, who: "subscriber:w" }));
  const n = async () => Number((await storyStore(ctx.db).keyPosts()).find((p) => p.n && p.title)?.n ?? 0);
  assert.equal(await n(), 0, "a subscription not yet confirmed");
  await store.addOutcome(outcomeRow("subscription", at, { post_id: post.id, who: "subscriber:c" }));
  assert.equal(await n(), 1);
  // The rollup job and a CLI command rolling the same day together (PostgreSQL: separate transactions).
  const day = at.slice(0, 10);
  await store.addViews([viewRow(day, "v1", "/", "direct", 1), viewRow(day, "v2", "/", "direct", 2)]);
  await Promise.all([store.rollDay(day), store.rollDay(day), store.rollDay(day)]);
  const total = await ctx.db.kysely
    .selectFrom("insight_daily")
    .select(["views", "visitors"])
    .where("day", "=", day)
    .where("dim", "=", "total")
    .execute();
  assert.deepEqual(
    total.map((t) => [Number(t.views), Number(t.visitors)]),
    [[2, 2]],
  );
});
