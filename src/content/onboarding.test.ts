import assert from "node:assert/strict";
import { afterEach, beforeEach, test } from "node:test";
import type { Hono } from "hono";
import { createApp } from "../app.ts";
import { ensureDemoList } from "../audience/index.ts";
import { createList } from "../audience/testing.ts";
import { signIn } from "../auth/testing.ts";
import type { AppEnv } from "../lib/http/env.ts";
import { createTestContext, type TestContext } from "../lib/testing.ts";
import { addSource } from "../reader/testing.ts";
import { seedDemo } from "./demo.ts";
import { savePost } from "./service.ts";
import { getSiteSettings, saveSiteSettings } from "./settings.ts";
import { postStore, themeStore } from "./store.ts";
import { saveTheme } from "./themes.ts";

let ctx: TestContext;
let app: Hono<AppEnv>;
beforeEach(async () => {
  ctx = await createTestContext();
  ctx.setNow(new Date("2026-06-01T09:00:00Z"));
  await seedDemo(ctx);
  await ensureDemoList(ctx);
  app = await createApp(ctx);
});
afterEach(async () => ctx.cleanup());

/** The checklist's items as [label, "Done" | "To do"], read from the admin home. */
function checklistOf(html: string): [string, string][] {
  const section = /<section class="checklist"[\s\S]*?<\/section>/.exec(html)?.[0] ?? "";
  return [...section.matchAll(/<span class="badge[^"]*">(Done|To do)<\/span>\s*<a href="[^"]*">([^<]*)<\/a>/g)].map(
    (m) => [m[2] ?? "", m[1] ?? ""],
  );
}

test("the admin home's checklist shows each item done or not from the modules' real data, and can be dismissed", async () => {
  const owner = await signIn(ctx, app, { name: "Ann Owner" });
  const first = checklistOf(await (await owner.request("/admin")).text());
  assert.deepEqual(first, [
    ["Set your name and photo", "To do"],
    ["Choose your themes", "To do"],
    ["Write your first post", "To do"],
    ["Add a list", "To do"],
    ["Connect email", "To do"],
    ["Follow five sources", "To do"],
  ]);

  const s = await getSiteSettings(ctx);
  await saveSiteSettings(ctx, { ...s, title: "Ann's notes", author: { ...s.author, name: "Ann Owner" } });
  await saveTheme(ctx, { name: "Field work", description: "", position: 9 });
  await createList(ctx, { name: "Field notes", promise: "Monthly." });
  for (let i = 0; i < 4; i++) await addSource(ctx);
  const partly = new Map(checklistOf(await (await owner.request("/admin")).text()));
  assert.equal(partly.get("Set your name and photo"), "To do", "a photo is still missing");
  assert.equal(partly.get("Choose your themes"), "Done");
  assert.equal(partly.get("Write your first post"), "To do");
  assert.equal(partly.get("Add a list"), "Done");
  assert.equal(partly.get("Follow five sources"), "To do");
  assert.match(await (await owner.request("/admin")).text(), /4 of 5 followed/);

  await saveSiteSettings(ctx, {
    ...(await getSiteSettings(ctx)),
    author: { ...s.author, name: "Ann Owner", photoUrl: "/media/ann.webp" },
  });
  await savePost(
    ctx,
    { id: owner.user.id, role: "owner" },
    { kind: "note", title: "Hello", body: "Mine.", status: "draft" },
  );
  await addSource(ctx);
  ctx.config.mail = { ...ctx.config.mail, smtpUrl: "smtp://127.0.0.1:2525" };
  const home = await (await owner.request("/admin")).text();
  assert.ok(
    checklistOf(home).every(([, state]) => state === "Done"),
    JSON.stringify(checklistOf(home)),
  );
  assert.match(home, /6 of 6 done/);

  const editor = await signIn(ctx, app, { role: "editor" });
  assert.deepEqual(checklistOf(await (await editor.request("/admin")).text()), [], "the checklist is the owner's");
  assert.equal((await editor.form("/admin/checklist/dismiss", {})).status, 403);

  const dismissed = await owner.form("/admin/checklist/dismiss", {});
  assert.equal(dismissed.status, 303);
  const after = await (await owner.request("/admin")).text();
  assert.doesNotMatch(after, /class="checklist"/);
  assert.match(after, /<h1>Posts<\/h1>/, "the home page is still there");
});

test("one action removes the demo's posts, themes and list from the site, feeds, search and sitemap; undo puts them back", async () => {
  const owner = await signIn(ctx, app, { name: "Ann Owner" });
  const actor = { id: owner.user.id, role: "owner" as const };
  // The owner's own post, and a demo post the owner rewrote: both must survive.
  const field = await saveTheme(ctx, { name: "Field work", description: "", position: 9 });
  const mine = await savePost(ctx, actor, {
    themeIds: [field.id],
    kind: "article",
    title: "My columnar notes",
    slug: "my-notes",
    body: "Columnar storage, in my words.",
    status: "published",
  });
  const about = await postStore(ctx.db).bySlug("about");
  assert.ok(about);
  await savePost(
    ctx,
    actor,
    { kind: "page", title: "About", slug: "about", body: "I'm Ann.", status: "published" },
    about.id,
  );
  // Whole rows, so a column the undo forgets (a new one, say) fails here; the search vector aside.
  const rowsOf = async () =>
    (await ctx.db.kysely.selectFrom("posts").selectAll().orderBy("id").execute()).map(
      ({ search_tsv: _s, ...row }: Record<string, unknown>) => row,
    );
  await ctx.db.kysely
    .updateTable("posts")
    .set({ cover_alt: "A sleeve" })
    .where("slug", "=", "write-down-the-answer")
    .execute();
  const rowsBefore = await rowsOf();
  const postsBefore = rowsBefore.length;
  const themesBefore = (await themeStore(ctx.db).all()).map((t) => t.slug).sort();

  const home = await (await owner.request("/admin")).text();
  assert.match(home, /action="\/admin\/demo\/remove"/, "the checklist offers the removal");
  assert.equal((await app.request("/posts/write-down-the-answer")).status, 200);

  const removed = await owner.form("/admin/demo/remove", {});
  assert.equal(removed.status, 303);
  assert.equal(removed.headers.get("location"), "/admin?demo=removed");
  const msg = await (await owner.request("/admin?demo=removed")).text();
  assert.match(msg, /Demo content removed\./);
  assert.match(msg, /action="\/admin\/demo\/undo"[\s\S]*?>Undo<\/button>/);

  const left = await postStore(ctx.db).list({ limit: 100 });
  assert.deepEqual(left.map((p) => p.slug).sort(), ["about", "my-notes"]);
  assert.deepEqual(
    (await themeStore(ctx.db).all()).map((t) => t.slug),
    ["field-work"],
  );
  const lists = await ctx.db.kysely.selectFrom("lists").select("slug").execute();
  assert.deepEqual(lists, []);

  assert.equal((await app.request("/posts/write-down-the-answer")).status, 404);
  assert.equal((await app.request("/posts/my-notes")).status, 200);
  const homePage = await (await app.request("/")).text();
  assert.doesNotMatch(homePage, /Write down the answer/);
  assert.match(homePage, /My columnar notes/);
  for (const feed of ["/feed.atom", "/feed.rss", "/feed.json"]) {
    const body = await (await app.request(feed)).text();
    assert.doesNotMatch(body, /write-down-the-answer/, feed);
    assert.match(body, /my-notes/, feed);
  }
  assert.doesNotMatch(await (await app.request("/sitemap.xml")).text(), /write-down-the-answer/);
  assert.doesNotMatch(await (await app.request("/search?q=sent+mail")).text(), /Write down the answer/);
  assert.equal((await app.request("/themes/learning-in-public")).status, 404);

  const undone = await owner.form("/admin/demo/undo", {});
  assert.equal(undone.status, 303);
  assert.equal(undone.headers.get("location"), "/admin?demo=restored");
  assert.match(await (await owner.request("/admin?demo=restored")).text(), /Demo content restored\./);

  assert.equal((await postStore(ctx.db).list({ limit: 100 })).length, postsBefore);
  assert.deepEqual(await rowsOf(), rowsBefore, "every column of every post came back");
  assert.deepEqual((await themeStore(ctx.db).all()).map((t) => t.slug).sort(), themesBefore);
  assert.deepEqual(await ctx.db.kysely.selectFrom("lists").select("slug").execute(), [{ slug: "articles" }]);
  const page = await (await app.request("/posts/write-down-the-answer")).text();
  assert.match(page, /Write down the answer you keep giving/);
  assert.match(page, /Writing that leads to work/, "its themes came back with it");
  assert.match(await (await app.request("/search?q=sent+mail")).text(), /Write down the answer/);
  assert.match(await (await app.request("/sitemap.xml")).text(), /write-down-the-answer/);
  assert.match(await (await app.request("/feed.atom")).text(), /write-down-the-answer/);
  assert.equal((await postStore(ctx.db).bySlug("about"))?.body_md, "I'm Ann.", "the owner's edit is untouched");
  assert.equal((await postStore(ctx.db).byId(mine.id))?.title, "My columnar notes");

  // Nothing left to undo; and a second removal after the undo works again.
  assert.equal((await owner.form("/admin/demo/undo", {})).headers.get("location"), "/admin?demo=nothing-to-undo");
  const editor = await signIn(ctx, app, { role: "editor" });
  assert.equal((await editor.form("/admin/demo/remove", {})).status, 403);
});

test("a demo list the owner renamed is theirs: removing the demo keeps it", async () => {
  const owner = await signIn(ctx, app);
  await ctx.db.kysely.updateTable("lists").set({ name: "Ann's articles" }).where("slug", "=", "articles").execute();
  await owner.form("/admin/demo/remove", {});
  assert.deepEqual(await ctx.db.kysely.selectFrom("lists").select("slug").execute(), [{ slug: "articles" }]);
});

test("after removing the demo the public site has no dead ends: no About link, no subscribe box or footer link; undo brings them back", async () => {
  const owner = await signIn(ctx, app, { name: "Ann Owner" });
  const navOf = (html: string) => /<nav aria-label="Main">([\s\S]*?)<\/nav>/.exec(html)?.[1] ?? "";
  const before = await (await app.request("/")).text();
  assert.match(navOf(before), /href="\/about">About</);
  assert.match(before, /<aside class="subscribe-cta"/);
  assert.match(before, /<a href="\/subscribe">By email<\/a>/);

  assert.equal((await owner.form("/admin/demo/remove", {})).status, 303);
  assert.equal((await app.request("/about")).status, 404);
  for (const path of ["/", "/archive", "/themes", "/search?q=x"]) {
    const html = await (await app.request(path)).text();
    assert.doesNotMatch(navOf(html), /About/, `${path}: no About link to a removed page`);
    assert.doesNotMatch(html, /href="\/subscribe"/, `${path}: nothing to subscribe to`);
    for (const [, href] of navOf(html).matchAll(/href="([^"]+)"/g)) {
      assert.equal((await app.request(href ?? "")).status, 200, `${path}: nav link ${href}`);
    }
  }
  assert.match(await (await app.request("/subscribe")).text(), /nothing to subscribe to/, "the link would dead-end");

  assert.equal((await owner.form("/admin/demo/undo", {})).status, 303);
  const after = await (await app.request("/")).text();
  assert.match(navOf(after), /href="\/about">About</);
  assert.match(after, /<aside class="subscribe-cta"/);
  assert.match(after, /<a href="\/subscribe">By email<\/a>/);
  assert.equal((await app.request("/about")).status, 200);
});

test("a site with no posts: the admin list invites a first post and the Atom feed is as new as now, not 1970", async () => {
  const owner = await signIn(ctx, app, { name: "Ann Owner" });
  assert.equal((await owner.form("/admin/demo/remove", {})).status, 303);
  const list = await (await owner.request("/admin/posts")).text();
  assert.match(list, /No posts yet\. <a href="\/admin\/posts\/new">Write your first post<\/a>\./);
  assert.doesNotMatch(list, /No posts match/);
  const filtered = await (await owner.request("/admin/posts?status=draft")).text();
  assert.match(filtered, /No posts match\./, "with a filter on, the filter is why");
  const atom = await (await app.request("/feed.atom")).text();
  assert.doesNotMatch(atom, /1970/);
  assert.match(atom, /<feed[^>]*>[\s\S]*?<updated>2026-06-01T09:00:00\.000Z<\/updated>/);
  const json = JSON.parse(await (await app.request("/feed.json")).text());
  assert.deepEqual(json.items, []);
});
