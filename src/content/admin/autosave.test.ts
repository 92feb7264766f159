import assert from "node:assert/strict";
import { afterEach, beforeEach, test } from "node:test";
import type { Hono } from "hono";
import { createApp } from "../../app.ts";
import { signIn } from "../../auth/testing.ts";
import type { AppEnv } from "../../lib/http/env.ts";
import { createTestContext, type TestContext } from "../../lib/testing.ts";
import { autosaveStore } from "../autosave-store.ts";
import { historyStore, postStore } from "../store.ts";
import { saveTheme } from "../themes.ts";

let ctx: TestContext;
let app: Hono<AppEnv>;
let themeId: number;
beforeEach(async () => {
  ctx = await createTestContext();
  ctx.setNow(new Date("2026-05-01T10:00:00Z"));
  app = await createApp(ctx);
  themeId = (await saveTheme(ctx, { name: "Social web" })).id;
});
afterEach(async () => ctx.cleanup());

const fields = () => ({
  title: "Owning your words",
  kind: "article",
  summary: "Why a home of your own",
  body: "The live text.",
  themeIds: [String(themeId)],
});
const idFrom = (res: Response) => Number(/\/admin\/posts\/(\d+)/.exec(res.headers.get("location") ?? "")?.[1]);

test("autosave keeps one rolling copy beside a published post: no revisions, live text untouched", async () => {
  const editor = await signIn(ctx, app, { role: "editor" });
  const pub = await editor.form("/admin/posts/new", { ...fields(), action: "publish" });
  assert.equal(pub.status, 303, await pub.clone().text());
  const id = idFrom(pub);
  const autosave = (body: string) =>
    editor.request(`/admin/posts/${id}/autosave`, {
      method: "POST",
      body: new URLSearchParams({ title: "Owning your words", summary: "Why", body }),
    });

  for (const [i, body] of ["Draft one.", "Draft two.", "Draft three."].entries()) {
    ctx.setNow(new Date(Date.parse("2026-05-01T10:01:00Z") + i * 30_000));
    const res = await autosave(body);
    assert.equal(res.status, 200);
    assert.deepEqual(await res.json(), { savedAt: ctx.now().toISOString() });
  }
  const row = await autosaveStore(ctx.db).byPost(id);
  assert.equal(row?.body_md, "Draft three.", "the autosave is replaced, not added to");
  assert.equal((await historyStore(ctx.db).revisions(id)).length, 1, "autosaves write no revisions");
  assert.equal((await postStore(ctx.db).byId(id))?.body_md, "The live text.");
  assert.match(await (await app.request("/posts/owning-your-words")).text(), /The live text\./);

  // The editor offers the newer autosave; restoring fills the form without saving.
  const page = await (await editor.request(`/admin/posts/${id}`)).text();
  assert.match(page, /There is an autosaved version from/);
  assert.match(page, /href="\/admin\/posts\/\d+\?autosave=restore"/);
  assert.match(page, />The live text\.<\/textarea>/);
  const restored = await (await editor.request(`/admin/posts/${id}?autosave=restore`)).text();
  assert.match(restored, />Draft three\.<\/textarea>/);
  assert.match(restored, /data-warn-unsaved="changed"/, "restored text counts as unsaved");
  assert.equal((await postStore(ctx.db).byId(id))?.body_md, "The live text.");

  // A real save replaces the autosave.
  ctx.setNow(new Date("2026-05-01T10:05:00Z"));
  const upd = await editor.form(`/admin/posts/${id}`, { ...fields(), body: "Draft three.", action: "save" });
  assert.equal(upd.status, 303);
  assert.equal(await autosaveStore(ctx.db).byPost(id), undefined);
  assert.doesNotMatch(await (await editor.request(`/admin/posts/${id}`)).text(), /autosaved version/);
});

test("an autosave can be discarded; it needs CSRF, the author's rights and sane sizes", async () => {
  const author = await signIn(ctx, app, { role: "author" });
  const draft = await author.form("/admin/posts/new", { ...fields(), action: "save" });
  const id = idFrom(draft);
  ctx.setNow(new Date("2026-05-01T10:02:00Z"));
  const body = () => new URLSearchParams({ title: "T", summary: "", body: "Unsaved words" });

  const noCsrf = await author.request(`/admin/posts/${id}/autosave`, { method: "POST", body: body(), csrf: false });
  assert.equal(noCsrf.status, 403);
  const other = await signIn(ctx, app, { role: "author", email: "other@example.com" });
  const notMine = await other.request(`/admin/posts/${id}/autosave`, { method: "POST", body: body() });
  assert.equal(notMine.status, 403);
  const missing = await author.request("/admin/posts/9999/autosave", { method: "POST", body: body() });
  assert.equal(missing.status, 404);
  const tooLong = await author.request(`/admin/posts/${id}/autosave`, {
    method: "POST",
    body: new URLSearchParams({ title: "x".repeat(301), summary: "", body: "" }),
  });
  assert.equal(tooLong.status, 400);
  assert.match(await tooLong.text(), /title: at most 300 characters/);
  assert.equal(await autosaveStore(ctx.db).byPost(id), undefined);

  assert.equal((await author.request(`/admin/posts/${id}/autosave`, { method: "POST", body: body() })).status, 200);
  assert.ok(await autosaveStore(ctx.db).byPost(id));
  const discard = await author.form(`/admin/posts/${id}/autosave/discard`, {});
  assert.equal(discard.status, 303);
  assert.equal(await autosaveStore(ctx.db).byPost(id), undefined);
  assert.equal((await postStore(ctx.db).byId(id))?.body_md, "The live text.");
});

test("the editor form is marked for the unsaved-changes warning, loaded on every admin page", async () => {
  const editor = await signIn(ctx, app, { role: "editor" });
  const page = await (await editor.request("/admin/posts/new")).text();
  assert.match(page, /<form method="post" action="\/admin\/posts\/new"[^>]*data-warn-unsaved=""/);
  assert.match(page, /<script src="\/admin\/assets\/unsaved.js" defer><\/script>/);
  const media = await (await editor.request("/admin/media")).text();
  assert.match(media, /<script src="\/admin\/assets\/unsaved.js" defer><\/script>/);
  const js = await app.request("/admin/assets/unsaved.js");
  assert.equal(js.status, 200);
  assert.match(await js.text(), /data-warn-unsaved/);
  // A form that came back with errors is unsaved from the start.
  const bad = await editor.form("/admin/posts/new", { ...fields(), title: "", action: "save" });
  assert.equal(bad.status, 422);
  assert.match(await bad.text(), /data-warn-unsaved="changed"/);
});
