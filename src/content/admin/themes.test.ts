import assert from "node:assert/strict";
import { afterEach, beforeEach, test } from "node:test";
import type { Hono } from "hono";
import { createApp } from "../../app.ts";
import { type Browser, signIn } from "../../auth/testing.ts";
import type { AppEnv } from "../../lib/http/env.ts";
import { createTestContext, type TestContext } from "../../lib/testing.ts";
import { savePost, systemActor } from "../service.ts";
import { themeStore } from "../store.ts";

let ctx: TestContext;
let app: Hono<AppEnv>;
let editor: Browser;
beforeEach(async () => {
  ctx = await createTestContext();
  app = await createApp(ctx);
  editor = await signIn(ctx, app, { role: "editor" });
});
afterEach(async () => ctx.cleanup());

test("themes: create, list with counts, edit, delete with confirmation", async () => {
  const created = await editor.form("/admin/themes", { name: "Open standards", description: "Why they matter." });
  assert.equal(created.status, 303);
  const theme = await themeStore(ctx.db).bySlug("open-standards");
  assert.ok(theme);
  await savePost(ctx, systemActor, { title: "One", themeIds: [theme.id], status: "draft" });
  const list = await (await editor.request("/admin/themes")).text();
  assert.match(
    list,
    /Open standards<\/a><\/td>\s*<td><a href="\/themes\/open-standards">open-standards<\/a><\/td>\s*<td>1<\/td>/,
  );

  const dup = await editor.form("/admin/themes", { name: "Open standards 2", slug: "open-standards" });
  assert.equal(dup.status, 422);
  const dupHtml = await dup.text();
  assert.match(dupHtml, /id="f-slug-error">theme &quot;open-standards&quot; already exists/);
  assert.match(dupHtml, /value="Open standards 2"/);

  const edited = await editor.form(`/admin/themes/${theme.id}`, {
    name: "Open web standards",
    slug: "open-standards",
    description: "Updated.",
    position: "2",
  });
  assert.equal(edited.status, 303);
  assert.equal((await themeStore(ctx.db).byId(theme.id))?.name, "Open web standards");
  const bad = await editor.form(`/admin/themes/${theme.id}`, { name: "", slug: "", description: "", position: "0" });
  assert.equal(bad.status, 422);
  assert.match(await bad.text(), /id="f-name-error">Name is required/);
  const position = await editor.form(`/admin/themes/${theme.id}`, {
    name: "Kept",
    slug: "",
    description: "",
    position: "abc",
  });
  assert.equal(position.status, 422);
  const positionPage = await position.text();
  assert.match(positionPage, /id="f-position-error">enter a whole number \(lower numbers come first\)/);
  assert.match(positionPage, /value="Kept"/);

  const confirm = await editor.request(`/admin/themes/${theme.id}/delete`);
  assert.match(await confirm.text(), /Delete the theme “Open web standards”\?/);
  assert.ok(await themeStore(ctx.db).byId(theme.id));
  const del = await editor.form(`/admin/themes/${theme.id}/delete`, {});
  assert.equal(del.status, 303);
  assert.equal(await themeStore(ctx.db).byId(theme.id), undefined);
});

test("a theme that is the only theme of a published post can't be deleted", async () => {
  await editor.form("/admin/themes", { name: "Alpha" });
  await editor.form("/admin/themes", { name: "Beta" });
  const a = await themeStore(ctx.db).bySlug("alpha");
  const b = await themeStore(ctx.db).bySlug("beta");
  assert.ok(a && b);
  await savePost(ctx, systemActor, { title: "Only alpha", themeIds: [a.id], status: "published" });
  await savePost(ctx, systemActor, { title: "Both", themeIds: [a.id, b.id], status: "published" });
  const res = await editor.form(`/admin/themes/${a.id}/delete`, {});
  assert.equal(res.status, 409);
  const html = await res.text();
  assert.match(html, /only theme of 1 published or scheduled post/);
  assert.match(html, /Only alpha/);
  assert.ok(await themeStore(ctx.db).byId(a.id));
  // Beta is never the only theme: deletable.
  assert.equal((await editor.form(`/admin/themes/${b.id}/delete`, {})).status, 303);
});

test("authors can't manage themes", async () => {
  const author = await signIn(ctx, app, { role: "author" });
  assert.equal((await author.request("/admin/themes")).status, 403);
  const res = await author.form("/admin/themes", { name: "Sneaky" });
  assert.equal(res.status, 403);
  assert.match(await res.text(), /Only editors and the owner/);
  assert.equal((await themeStore(ctx.db).all()).length, 0);
});
