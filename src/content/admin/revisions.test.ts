import assert from "node:assert/strict";
import { afterEach, beforeEach, test } from "node:test";
import type { Hono } from "hono";
import { createApp } from "../../app.ts";
import { signIn } from "../../auth/testing.ts";
import type { AppEnv } from "../../lib/http/env.ts";
import { createTestContext, type TestContext } from "../../lib/testing.ts";
import { historyStore, postStore } from "../store.ts";
import { saveTheme } from "../themes.ts";
import { lineDiff } from "./diff.ts";

let ctx: TestContext;
let app: Hono<AppEnv>;
beforeEach(async () => {
  ctx = await createTestContext();
  app = await createApp(ctx);
});
afterEach(async () => ctx.cleanup());

test("revisions are listed, viewable with a diff, and restorable (and the restore is undoable)", async () => {
  const themeId = (await saveTheme(ctx, { name: "Craft" })).id;
  const editor = await signIn(ctx, app, { role: "editor", name: "Edith" });
  const fields = { title: "Draft one", kind: "article", themeIds: [String(themeId)], action: "save" };
  const created = await editor.form("/admin/posts/new", { ...fields, body: "first line\nsecond line" });
  const id = Number(/\/admin\/posts\/(\d+)/.exec(created.headers.get("location") ?? "")?.[1]);
  await editor.form(`/admin/posts/${id}`, { ...fields, title: "Draft two", body: "first line\nchanged line" });

  const list = await editor.request(`/admin/posts/${id}/revisions`);
  assert.equal(list.status, 200);
  const listHtml = await list.text();
  assert.match(listHtml, /Edith/);
  assert.equal(listHtml.match(/\/revisions\/\d+"/g)?.length, 2);

  const revs = await historyStore(ctx.db).revisions(id);
  const first = revs[revs.length - 1];
  const view = await (await editor.request(`/admin/posts/${id}/revisions/${first.id}`)).text();
  assert.match(view, /<p>first line\nsecond line<\/p>/, "rendered");
  assert.match(view, /<pre class="markdown">first line\nsecond line<\/pre>/, "as Markdown");
  assert.match(view, /class="diff-del">− second line/);
  assert.match(view, /class="diff-add">\+ changed line/);

  const noCsrf = await editor.form(`/admin/posts/${id}/revisions/${first.id}/restore`, {}, { csrf: false });
  assert.equal(noCsrf.status, 403);
  assert.equal((await postStore(ctx.db).byId(id))?.title, "Draft two");

  const res = await editor.form(`/admin/posts/${id}/revisions/${first.id}/restore`, {});
  assert.equal(res.status, 303);
  const post = await postStore(ctx.db).byId(id);
  assert.equal(post?.title, "Draft one");
  assert.equal(post?.body_md, "first line\nsecond line");
  const after = await historyStore(ctx.db).revisions(id);
  assert.equal(after.length, 3, "the restore is itself a revision");
  assert.match(after[0].note, /Restored revision/);
  // Undo: restore the version that was current before.
  await editor.form(`/admin/posts/${id}/revisions/${after[1].id}/restore`, {});
  assert.equal((await postStore(ctx.db).byId(id))?.title, "Draft two");

  // Another author can't see them; a revision of another post is 404.
  const author = await signIn(ctx, app, { role: "author" });
  assert.equal((await author.request(`/admin/posts/${id}/revisions`)).status, 403);
  assert.equal((await editor.request(`/admin/posts/${id}/revisions/999999`)).status, 404);
});

test("lineDiff marks added and removed lines and keeps the rest", () => {
  assert.deepEqual(lineDiff("a\nb\nc", "a\nx\nc"), [
    { op: "same", text: "a" },
    { op: "add", text: "x" },
    { op: "del", text: "b" },
    { op: "same", text: "c" },
  ]);
  assert.deepEqual(lineDiff("same", "same"), [{ op: "same", text: "same" }]);
  assert.equal(lineDiff("a\nb", "c\nd", 3), null, "too large to diff");
});
