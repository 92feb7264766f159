import assert from "node:assert/strict";
import { afterEach, beforeEach, test } from "node:test";
import { NotFoundError, ValidationError } from "../lib/errors.ts";
import { createTestContext, type TestContext } from "../lib/testing.ts";
import { registerContentJobs } from "./jobs.ts";
import { searchPosts } from "./search.ts";
import { restoreRevision, savePost, setDigestPageHtml, systemActor } from "./service.ts";
import { historyStore, postStore } from "./store.ts";
import { saveTheme } from "./themes.ts";

let ctx: TestContext;
let themeId: number;
beforeEach(async () => {
  ctx = await createTestContext();
  themeId = (await saveTheme(ctx, { name: "Social web" })).id;
});
afterEach(async () => ctx.cleanup());

test("saving renders Markdown once and keeps a revision per save", async () => {
  const p = await savePost(ctx, systemActor, {
    title: "Liner notes",
    body: "# Hi\n\nSome **bold** words",
    themeIds: [themeId],
  });
  assert.equal(p.slug, "liner-notes");
  assert.match(p.body_html, /<strong>bold<\/strong>/);
  assert.equal(p.body_text.includes("bold words"), true);
  await savePost(ctx, systemActor, { title: "Liner notes", body: "changed", themeIds: [themeId] }, p.id);
  const revs = await historyStore(ctx.db).revisions(p.id);
  assert.equal(revs.length, 2);
  const restored = await restoreRevision(ctx, systemActor, revs[1].id);
  assert.equal(restored.body_md, "# Hi\n\nSome **bold** words");
  assert.equal((await historyStore(ctx.db).revisions(p.id)).length, 3);
});

test("changing a published slug leaves a redirect from the old path", async () => {
  const p = await savePost(ctx, systemActor, { title: "Old", status: "published", themeIds: [themeId] });
  await savePost(ctx, systemActor, { title: "Old", slug: "new-name", status: "published", themeIds: [themeId] }, p.id);
  assert.deepEqual(await historyStore(ctx.db).redirect("/posts/old"), { post_id: p.id });
});

test("publishing needs a theme, and bad slugs are refused with the field named", async () => {
  await assert.rejects(savePost(ctx, systemActor, { title: "No theme", status: "published" }), (e: unknown) => {
    return e instanceof ValidationError && e.field === "themeIds";
  });
  await assert.rejects(savePost(ctx, systemActor, { title: "x", slug: "Bad Slug" }), /slug: use lowercase/);
  assert.equal(await postStore(ctx.db).count({}), 0);
});

test("a scheduled post is published by the job at its time", async () => {
  registerContentJobs(ctx);
  const t0 = new Date("2026-03-01T10:00:00Z");
  ctx.setNow(t0);
  const p = await savePost(ctx, systemActor, {
    title: "Later",
    status: "scheduled",
    publishedAt: "2026-03-01T12:00:00Z",
    themeIds: [themeId],
  });
  assert.equal(p.status, "scheduled");
  await ctx.runner.drain();
  assert.equal((await postStore(ctx.db).byId(p.id))?.status, "scheduled");
  ctx.setNow(new Date("2026-03-01T12:00:01Z"));
  await ctx.runner.drain();
  assert.equal((await postStore(ctx.db).byId(p.id))?.status, "published");
});

test("search finds words in the body with a highlighted snippet", async () => {
  await savePost(ctx, systemActor, {
    title: "Small wins",
    body: "Album liner notes credited the session musicians and the producers.",
    status: "published",
    themeIds: [themeId],
  });
  await savePost(ctx, systemActor, { title: "Other", body: "Nothing here", status: "published", themeIds: [themeId] });
  await savePost(ctx, systemActor, { title: "Draft", body: "musicians draft", themeIds: [themeId] });
  const r = await searchPosts(ctx.db, { q: "musicians" });
  assert.equal(r.total, 1);
  assert.equal(r.hits[0].post.title, "Small wins");
  assert.match(r.hits[0].snippet, /<mark>musicians<\/mark>/);
  const stemmed = await searchPosts(ctx.db, { q: "producer" });
  assert.equal(stemmed.total, 1, "a singular finds the plural through stemming");
  assert.equal((await searchPosts(ctx.db, { q: "session zebra" })).total, 0, "every word is required");
  const admin = await searchPosts(ctx.db, { q: "musicians", includeUnpublished: true });
  assert.equal(admin.total, 2);
});

test("past the rank cap, the newest matches are ranked and the total is marked as a lower bound", async () => {
  for (let i = 1; i <= 8; i++) {
    const body =
      i > 5 ? "something else entirely" : i === 2 ? "conversation conversation conversation" : "a conversation";
    await savePost(ctx, systemActor, {
      title: `Post ${i}`,
      body,
      status: "published",
      publishedAt: `2026-01-0${i}T00:00:00Z`,
      themeIds: [themeId],
    });
  }
  const capped = await searchPosts(ctx.db, { q: "conversation", rankCap: 3 });
  assert.equal(capped.total, 3);
  assert.equal(capped.moreThan, true);
  assert.deepEqual(capped.hits.map((h) => h.post.title).sort(), ["Post 3", "Post 4", "Post 5"]);
  const full = await searchPosts(ctx.db, { q: "conversation" });
  assert.equal(full.total, 5);
  assert.equal(full.moreThan, undefined);
  assert.equal(full.hits[0].post.title, "Post 2", "with every match ranked, the densest wins");
});

test("a digest post's page HTML can be replaced; no other post's can", async () => {
  const digest = await savePost(ctx, systemActor, {
    kind: "digest",
    title: "Week 47",
    body: "* a",
    status: "published",
  });
  const row = await setDigestPageHtml(ctx, digest.id, '<div class="h-cite">a</div>');
  assert.equal(row.body_html, '<div class="h-cite">a</div>');
  assert.equal(row.body_md, "* a", "the Markdown stays the post's text");
  const article = await savePost(ctx, systemActor, { title: "An article", body: "text" });
  await assert.rejects(setDigestPageHtml(ctx, article.id, "<p>x</p>"), NotFoundError);
  assert.equal((await postStore(ctx.db).byId(article.id))?.body_html, article.body_html, "unchanged");
});
