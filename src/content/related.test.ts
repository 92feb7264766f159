import assert from "node:assert/strict";
import { afterEach, beforeEach, test } from "node:test";
import { createTestContext, type TestContext } from "../lib/testing.ts";
import { distinctiveTerms, relatedPostIds } from "./related.ts";
import { savePost, systemActor } from "./service.ts";
import { saveTheme } from "./themes.ts";

let ctx: TestContext;
beforeEach(async () => {
  ctx = await createTestContext();
});
afterEach(async () => ctx.cleanup());

test("distinctive terms skip stopwords and weigh the title", () => {
  const terms = distinctiveTerms(
    "Sourdough",
    "The bread and the starter: the starter needs flour, and the bread needs time.",
  );
  assert.equal(terms[0], "sourdough");
  assert.ok(terms.includes("starter"));
  assert.ok(terms.includes("bread"));
  assert.ok(!terms.includes("the"));
  assert.ok(!terms.includes("and"));
  assert.ok(distinctiveTerms("x", "a ".repeat(50) + "word ".repeat(3), 8).length <= 8);
});

test("related posts prefer shared themes and similar text, never the post itself or drafts", async () => {
  const baking = (await saveTheme(ctx, { name: "Baking" })).id;
  const music = (await saveTheme(ctx, { name: "Music" })).id;
  const pub = { status: "published" as const };
  const post = await savePost(ctx, systemActor, {
    ...pub,
    title: "Sourdough starter basics",
    body: "A sourdough starter needs flour, water and patience. Feed the starter daily; sourdough bread rises slowly.",
    themeIds: [baking],
  });
  const sameThemeSimilar = await savePost(ctx, systemActor, {
    ...pub,
    title: "Sourdough bread schedule",
    body: "Plan your sourdough bread around the starter: feed the starter, mix flour and water, wait.",
    themeIds: [baking],
  });
  const otherThemeSimilar = await savePost(ctx, systemActor, {
    ...pub,
    title: "Songs about sourdough",
    body: "A sourdough starter inspired this album about bread, flour and patience.",
    themeIds: [music],
  });
  const sameThemeWeak = await savePost(ctx, systemActor, {
    ...pub,
    title: "Oven thermometers",
    body: "Calibrate the thermometer before baking bread.",
    themeIds: [baking],
  });
  const otherThemeModerate = [];
  for (const title of ["Sourdough songs, volume two", "Starter chords"]) {
    otherThemeModerate.push(
      await savePost(ctx, systemActor, {
        ...pub,
        title,
        body: "Sourdough starter rhymes with patience; a song cycle.",
        themeIds: [music],
      }),
    );
  }
  await savePost(ctx, systemActor, {
    ...pub,
    title: "Guitar strings",
    body: "Change strings every month.",
    themeIds: [music],
  });
  await savePost(ctx, systemActor, {
    title: "Draft about sourdough starter",
    body: "sourdough starter flour water bread patience",
    themeIds: [baking],
  });
  const ids = await relatedPostIds(ctx.db, post, { now: ctx.now().toISOString(), themeIds: [baking] });
  assert.equal(ids.length, 3);
  assert.equal(ids[0], sameThemeSimilar.id, "shared theme and similar text first");
  assert.ok(!ids.includes(post.id));
  // A weak text match in the same theme beats moderate matches in other themes...
  assert.ok(ids.includes(sameThemeWeak.id), "shared theme counts");
  for (const p of otherThemeModerate) assert.ok(!ids.includes(p.id));
  // ...and a strong text match in another theme still makes it.
  assert.ok(ids.includes(otherThemeSimilar.id), "similar text counts");
});

test("without similar text, recent posts of the same themes fill in", async () => {
  const t = (await saveTheme(ctx, { name: "Chess" })).id;
  const other = (await saveTheme(ctx, { name: "Go" })).id;
  ctx.setNow(new Date("2026-01-01T00:00:00Z"));
  const older = await savePost(ctx, systemActor, { status: "published", title: "Openings", body: "e4", themeIds: [t] });
  ctx.setNow(new Date("2026-02-01T00:00:00Z"));
  const newer = await savePost(ctx, systemActor, {
    status: "published",
    title: "Endgames",
    body: "kings",
    themeIds: [t],
  });
  await savePost(ctx, systemActor, { status: "published", title: "Stones", body: "ko", themeIds: [other] });
  const post = await savePost(ctx, systemActor, {
    status: "published",
    title: "Zugzwang",
    body: "zugzwang zugzwang",
    themeIds: [t],
  });
  const ids = await relatedPostIds(ctx.db, post, { now: ctx.now().toISOString(), themeIds: [t] });
  assert.deepEqual(ids, [newer.id, older.id]);
});

test("posts published in the future are not related yet", async () => {
  const t = (await saveTheme(ctx, { name: "Tea" })).id;
  ctx.setNow(new Date("2026-01-01T00:00:00Z"));
  const post = await savePost(ctx, systemActor, {
    status: "published",
    title: "Green tea",
    body: "green tea leaves",
    themeIds: [t],
  });
  await savePost(ctx, systemActor, {
    status: "published",
    title: "More green tea",
    body: "green tea leaves again",
    publishedAt: "2026-06-01T00:00:00Z",
    themeIds: [t],
  });
  assert.deepEqual(await relatedPostIds(ctx.db, post, { now: ctx.now().toISOString(), themeIds: [t] }), []);
});
