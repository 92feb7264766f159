import assert from "node:assert/strict";
import { afterEach, beforeEach, test } from "node:test";
import type { PostKind } from "../lib/db/schema.ts";
import { createTestContext, type TestContext } from "../lib/testing.ts";
import { type ImportItem, importPosts, importThemes } from "./bulk.ts";
import { registerContentJobs } from "./jobs.ts";
import { renderBody } from "./service.ts";
import { historyStore, postStore, themeStore } from "./store.ts";
import { saveTheme } from "./themes.ts";

let ctx: TestContext;
beforeEach(async () => {
  ctx = await createTestContext();
  ctx.setNow(new Date("2026-01-15T12:00:00Z"));
});
afterEach(async () => ctx.cleanup());

const item = (n: number, extra: Partial<ImportItem> = {}): ImportItem => ({
  kind: "article",
  title: `Post ${n}`,
  slug: `post-${n}`,
  summary: "",
  body: `Body of post ${n} with *emphasis*.`,
  tags: ["Social web"],
  draft: false,
  date: new Date(Date.UTC(2025, 0, n)),
  source: `posts/post-${n}.md`,
  ...extra,
});

test("imports across batch boundaries, rendering once and writing one revision per post", async () => {
  const items = Array.from({ length: 7 }, (_, i) => item(i + 1, i === 6 ? { tags: ["Writing", "social WEB"] } : {}));
  const progress: number[] = [];
  const r = await importPosts(ctx, items, { batchSize: 3, writers: 1, onProgress: (n) => progress.push(n) });
  assert.deepEqual([r.imported, r.updated, r.unchanged, r.failed.length], [7, 0, 0, 0]);
  assert.deepEqual(progress, [0, 3, 6, 7]);
  const posts = postStore(ctx.db);
  const p7 = await posts.bySlug("post-7");
  assert.ok(p7);
  assert.equal(p7.status, "published");
  assert.equal(p7.published_at, "2025-01-07T00:00:00.000Z");
  assert.match(p7.body_html, /<em>emphasis<\/em>/);
  assert.equal(r.posts[6].id, p7.id);
  // Theme names match case-insensitively, so "social WEB" is the same theme as "Social web".
  const themes = await themeStore(ctx.db).all();
  assert.deepEqual(themes.map((t) => t.name).sort(), ["Social web", "Writing"]);
  assert.equal((await posts.themesOf([p7.id])).get(p7.id)?.length, 2);
  assert.equal((await historyStore(ctx.db).revisions(p7.id)).length, 1);
});

test("re-importing is idempotent by slug; a changed post is updated with a new revision", async () => {
  const rendered: number[] = [];
  const render = async (jobs: { kind: PostKind; body: string }[]) => {
    rendered.push(jobs.length);
    return jobs.map((j) => renderBody(j.kind, j.body));
  };
  await importPosts(ctx, [item(1), item(2)], { render });
  const again = await importPosts(ctx, [item(1), item(2, { title: "Post two, retitled" })], { render });
  assert.deepEqual([again.imported, again.updated, again.unchanged], [0, 1, 1]);
  assert.deepEqual(rendered, [2, 1]);
  const p1 = await postStore(ctx.db).bySlug("post-1");
  const p2 = await postStore(ctx.db).bySlug("post-2");
  assert.equal((await historyStore(ctx.db).revisions(p1!.id)).length, 1);
  assert.equal((await historyStore(ctx.db).revisions(p2!.id)).length, 2);
  assert.equal(p2?.title, "Post two, retitled");
  // Theme changes count as changes too.
  const third = await importPosts(ctx, [item(1, { tags: ["Other"] })]);
  assert.equal(third.updated, 1);
});

test("bad items are reported with the field and skipped; the rest are imported", async () => {
  const r = await importPosts(ctx, [
    item(1),
    item(2, { slug: "Not A Slug" }),
    item(3, { slug: "post-1" }),
    item(4, { summary: "x".repeat(1001) }),
    item(5, { tags: ["y".repeat(100)] }),
    item(6),
  ]);
  assert.equal(r.imported, 2);
  assert.deepEqual(
    r.failed.map((f) => [f.index, f.field]),
    [
      [1, "slug"],
      [2, "slug"],
      [3, "summary"],
      [4, "tags"],
    ],
  );
  assert.match(r.failed[1].message, /also used by posts\/post-1\.md/);
  assert.equal(await postStore(ctx.db).count({}), 2);
});

test("posts without tags go to General (pages need none); existing themes are reused by name", async () => {
  const existing = await saveTheme(ctx, { name: "Learning in public", slug: "lip" });
  await importPosts(ctx, [
    item(1, { tags: [] }),
    item(2, { tags: [], kind: "page", slug: "about" }),
    item(3, { tags: ["learning in public"] }),
  ]);
  const posts = postStore(ctx.db);
  const themesOf = await posts.themesOf([1, 2, 3]);
  const p1 = await posts.bySlug("post-1");
  const about = await posts.bySlug("about");
  const p3 = await posts.bySlug("post-3");
  assert.deepEqual(
    themesOf.get(p1!.id)?.map((t) => t.name),
    ["General"],
  );
  assert.equal(themesOf.get(about!.id), undefined);
  assert.deepEqual(
    themesOf.get(p3!.id)?.map((t) => t.id),
    [existing.id],
  );
});

test("future dates are scheduled and published by the job; drafts stay drafts; no date keeps the stored one", async () => {
  registerContentJobs(ctx);
  const r = await importPosts(ctx, [
    item(1, { date: new Date("2026-02-01T09:00:00Z") }),
    item(2, { draft: true, date: null }),
    item(3, { date: null }),
  ]);
  assert.deepEqual(
    r.posts.map((p) => p.status),
    ["scheduled", "draft", "published"],
  );
  const posts = postStore(ctx.db);
  assert.equal((await posts.bySlug("post-2"))?.published_at, null);
  assert.equal((await posts.bySlug("post-3"))?.published_at, "2026-01-15T12:00:00.000Z");
  ctx.setNow(new Date("2026-02-01T09:00:01Z"));
  await ctx.runner.drain();
  assert.equal((await posts.bySlug("post-1"))?.status, "published");
  const again = await importPosts(ctx, [item(3, { date: null })]);
  assert.equal(again.unchanged, 1);
});

test("importThemes creates missing themes and updates changed ones, matching by slug then name", async () => {
  const old = await saveTheme(ctx, { name: "writing", slug: "words", description: "old" });
  const list = [
    { name: "Writing", slug: "writing", description: "New description.", position: 1 },
    { name: "Social web", slug: "social", description: "Where people talk.", position: 0 },
  ];
  assert.equal(await importThemes(ctx, list), 2);
  const all = await themeStore(ctx.db).all();
  assert.deepEqual(
    all.map((t) => [t.id === old.id, t.slug, t.name, t.description, t.position]),
    [
      [false, "social", "Social web", "Where people talk.", 0],
      [true, "words", "Writing", "New description.", 1],
    ],
  );
  assert.equal(await importThemes(ctx, list), 0);
});

test("a body that fails to render fails only its own post", async () => {
  const render = async (jobs: { kind: PostKind; body: string }[]) =>
    jobs.map((j) => (j.body.includes("boom") ? { error: "boom" } : renderBody(j.kind, j.body)));
  const r = await importPosts(ctx, [item(1), item(2, { body: "boom" })], { render });
  assert.equal(r.imported, 1);
  assert.deepEqual(
    r.failed.map((f) => [f.index, f.field, f.message]),
    [[1, "body", "body: cannot be rendered (boom)"]],
  );
});

test("several writers (PostgreSQL's default) import every batch exactly once", async () => {
  const items = Array.from({ length: 25 }, (_, i) => item(i + 1));
  const r = await importPosts(ctx, items, { batchSize: 4, writers: 3 });
  assert.equal(r.imported, 25);
  assert.deepEqual(
    r.posts.map((p) => p.index),
    items.map((_, i) => i),
  );
  assert.equal(await postStore(ctx.db).count({}), 25);
  assert.equal(new Set(r.posts.map((p) => p.id)).size, 25);
  assert.equal(
    await historyStore(ctx.db)
      .revisions(r.posts[24].id)
      .then((x) => x.length),
    1,
  );
});
