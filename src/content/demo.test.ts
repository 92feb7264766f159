import assert from "node:assert/strict";
import { afterEach, beforeEach, test } from "node:test";
import { createTestContext, type TestContext } from "../lib/testing.ts";
import { demoWasSeeded, seedDemo } from "./demo.ts";
import { getSiteSettings } from "./settings.ts";
import { postStore, themeStore } from "./store.ts";

let ctx: TestContext;
const now = new Date("2026-06-01T09:00:00Z");
beforeEach(async () => {
  ctx = await createTestContext();
  ctx.setNow(now);
});
afterEach(async () => ctx.cleanup());

test("the demo is a believable consultant's site: settings, themes, articles, a note, a deck, an about page", async () => {
  assert.equal(await demoWasSeeded(ctx), false);
  const n = await seedDemo(ctx);
  assert.equal(await demoWasSeeded(ctx), true);

  const settings = await getSiteSettings(ctx);
  assert.ok(settings.author.name && settings.author.location && settings.author.bio);
  assert.ok(settings.author.links.length >= 2);

  const themes = await themeStore(ctx.db).all();
  assert.equal(themes.length, 3);
  for (const t of themes) assert.ok(t.description.length > 80, `${t.name} has a description`);

  const posts = await postStore(ctx.db).list({ limit: 100 });
  assert.equal(posts.length, n);
  const byKind = (k: string) => posts.filter((p) => p.kind === k);
  assert.ok(byKind("article").length >= 4 && byKind("article").length <= 5);
  for (const a of byKind("article")) assert.ok(a.word_count >= 250, `${a.slug}: ${a.word_count} words`);
  assert.equal(byKind("note").length, 1);
  const [deck] = byKind("presentation");
  const slides = JSON.parse(deck.render_extra).slides;
  assert.ok(slides >= 6 && slides <= 8, `${slides} slides`);
  const [about] = byKind("page");
  assert.equal(about.slug, "about");

  const themed = await postStore(ctx.db).themesOf(posts.map((p) => p.id));
  const months = new Set<string>();
  for (const p of posts) {
    assert.equal(p.status, "published");
    assert.ok(p.published_at && p.published_at < now.toISOString(), `${p.slug} is in the past`);
    months.add(p.published_at.slice(0, 7));
    if (p.kind !== "page") assert.ok(themed.get(p.id)?.length, `${p.slug} has a theme`);
  }
  assert.ok(months.size >= 4, "dates spread over several months");
});

test("seeding keeps site settings the owner already saved", async () => {
  const { saveSiteSettings } = await import("./settings.ts");
  await saveSiteSettings(ctx, { title: "Mine" });
  await seedDemo(ctx);
  assert.equal((await getSiteSettings(ctx)).title, "Mine");
});
