import assert from "node:assert/strict";
import { afterEach, beforeEach, test } from "node:test";
import type { Hono } from "hono";
import sharp from "sharp";
import { createApp } from "../../app.ts";
import { signIn } from "../../auth/testing.ts";
import type { AppEnv } from "../../lib/http/env.ts";
import { setTimeZone } from "../../lib/settings/time-zone.ts";
import { createTestContext, type TestContext } from "../../lib/testing.ts";
import { registerContentJobs } from "../jobs.ts";
import { listMedia } from "../media.ts";
import { savePost } from "../service.ts";
import { historyStore, postStore } from "../store.ts";
import { saveTheme } from "../themes.ts";

let ctx: TestContext;
let app: Hono<AppEnv>;
let themeId: number;
beforeEach(async () => {
  ctx = await createTestContext();
  app = await createApp(ctx);
  themeId = (await saveTheme(ctx, { name: "Social web" })).id;
});
afterEach(async () => ctx.cleanup());

const base = () => ({
  title: "Owning your words",
  kind: "article",
  slug: "",
  summary: "Why a home of your own",
  body: "Publishing on **your own** domain keeps the gardenhose flowing.",
  themeIds: [String(themeId)],
});

const idFrom = (res: Response) => Number(/\/admin\/posts\/(\d+)/.exec(res.headers.get("location") ?? "")?.[1]);

test("editor: save draft → publish → the post is public", async () => {
  const editor = await signIn(ctx, app, { role: "editor" });
  const draft = await editor.form("/admin/posts/new", { ...base(), action: "save" });
  assert.equal(draft.status, 303, await draft.clone().text());
  const id = idFrom(draft);
  let post = await postStore(ctx.db).byId(id);
  assert.equal(post?.status, "draft");
  assert.equal(post?.slug, "owning-your-words");
  assert.equal((await app.request("/posts/owning-your-words")).status, 404, "drafts are not public");

  const page = await (await editor.request(`/admin/posts/${id}?msg=draft`)).text();
  assert.match(page, /Saved as a draft/);
  assert.match(page, /value="Owning your words"/);

  const pub = await editor.form(`/admin/posts/${id}`, { ...base(), action: "publish" });
  assert.equal(pub.status, 303);
  post = await postStore(ctx.db).byId(id);
  assert.equal(post?.status, "published");
  assert.ok(post?.published_at);
  const publicPage = await app.request("/posts/owning-your-words");
  assert.equal(publicPage.status, 200);
  assert.match(await publicPage.text(), /gardenhose/);
  assert.equal((await historyStore(ctx.db).revisions(id)).length, 2, "a revision per save");

  const unpub = await editor.form(`/admin/posts/${id}`, { ...base(), action: "unpublish" });
  assert.equal(unpub.status, 303);
  assert.equal((await postStore(ctx.db).byId(id))?.status, "draft");
});

test("a validation error re-renders the form with the message by the field and all input kept", async () => {
  const editor = await signIn(ctx, app, { role: "editor" });
  const input = { ...base(), slug: "Bad Slug!", summary: "A <summary> & more", body: "Line one\n\n<kept> & body" };
  const res = await editor.form("/admin/posts/new", { ...input, action: "publish" });
  assert.equal(res.status, 422);
  const html = await res.text();
  assert.match(html, /id="f-slug-error">use lowercase letters/);
  assert.match(html, /aria-invalid="true"/);
  assert.match(html, /value="Owning your words"/);
  assert.match(html, /value="Bad Slug!"/);
  assert.match(html, />A &lt;summary&gt; &amp; more<\/textarea>/);
  assert.match(html, />Line one\n\n&lt;kept&gt; &amp; body<\/textarea>/);
  assert.match(html, new RegExp(`name="themeIds" value="${themeId}" checked`));
  assert.equal(await postStore(ctx.db).count({}), 0);

  const noTheme = await editor.form("/admin/posts/new", { ...base(), themeIds: [], action: "publish" });
  assert.equal(noTheme.status, 422);
  assert.match(await noTheme.text(), /id="f-themeIds-error">choose at least one theme/);

  const noTitle = await editor.form("/admin/posts/new", { ...base(), title: "", action: "save" });
  assert.equal(noTitle.status, 422);
  assert.match(await noTitle.text(), /id="f-title-error">Title is required/);
});

test("an author can't edit or delete another's post (403) but can edit their own", async () => {
  const editor = await signIn(ctx, app, { role: "editor" });
  const theirs = idFrom(await editor.form("/admin/posts/new", { ...base(), action: "save" }));
  const author = await signIn(ctx, app, { role: "author" });
  assert.equal((await author.request(`/admin/posts/${theirs}`)).status, 403);
  const edit = await author.form(`/admin/posts/${theirs}`, { ...base(), title: "Hijacked", action: "save" });
  assert.equal(edit.status, 403);
  assert.match(await edit.text(), /only edit your own posts/);
  assert.equal((await author.form(`/admin/posts/${theirs}/delete`, {})).status, 403);
  assert.equal((await postStore(ctx.db).byId(theirs))?.title, "Owning your words");

  const mine = await author.form("/admin/posts/new", { ...base(), title: "Mine", action: "save" });
  assert.equal(mine.status, 303);
  const list = await (await author.request("/admin/posts")).text();
  assert.match(list, />Mine</);
  assert.doesNotMatch(list, /Owning your words/, "authors see only their own posts");
  const all = await (await editor.request("/admin/posts")).text();
  assert.match(all, />Mine</);
  assert.match(all, /Owning your words/);
});

test("the posts list filters by status and kind and searches bodies", async () => {
  const editor = await signIn(ctx, app, { role: "editor" });
  await editor.form("/admin/posts/new", { ...base(), title: "Draft deck", kind: "presentation", action: "save" });
  await editor.form("/admin/posts/new", {
    ...base(),
    title: "Live article",
    body: "Discusses zeppelins at length",
    action: "publish",
  });
  const drafts = await (await editor.request("/admin/posts?status=draft")).text();
  assert.match(drafts, /Draft deck/);
  assert.doesNotMatch(drafts, /Live article/);
  const decks = await (await editor.request("/admin/posts?kind=presentation")).text();
  assert.match(decks, /Draft deck/);
  assert.doesNotMatch(decks, /Live article/);
  const found = await (await editor.request("/admin/posts?q=zeppelins")).text();
  assert.match(found, /Live article/);
  assert.match(found, /<mark>zeppelins<\/mark>/);
  assert.doesNotMatch(found, /Draft deck/);
});

test("preview: the endpoint renders Markdown, requires CSRF; the no-JS button keeps input", async () => {
  const author = await signIn(ctx, app, { role: "author" });
  const ok = await author.request("/admin/preview", {
    method: "POST",
    body: new URLSearchParams({ body: "# Heading\n\n*em* <script>alert(1)</script>" }),
  });
  assert.equal(ok.status, 200);
  const html = await ok.text();
  assert.match(html, /<h1[^>]*>Heading<\/h1>/);
  assert.match(html, /<em>em<\/em>/);
  assert.doesNotMatch(html, /<script/);
  const slides = await author.request("/admin/preview", {
    method: "POST",
    body: new URLSearchParams({ body: "# One\n\n---\n\n# Two", kind: "presentation" }),
  });
  assert.equal((await slides.text()).match(/<section/g)?.length, 2);
  const noCsrf = await author.request("/admin/preview", {
    method: "POST",
    body: new URLSearchParams({ body: "x" }),
    csrf: false,
  });
  assert.equal(noCsrf.status, 403);

  const res = await author.form("/admin/posts/new", { ...base(), body: "Some **strong** words", action: "preview" });
  assert.equal(res.status, 200);
  const page = await res.text();
  assert.match(page, /<strong>strong<\/strong>/);
  assert.match(page, />Some \*\*strong\*\* words<\/textarea>/);
  assert.match(page, /value="Owning your words"/);
  assert.match(page, /<script src="\/admin\/assets\/editor.js" defer><\/script>/);
  assert.equal(await postStore(ctx.db).count({}), 0, "preview saves nothing");
  assert.equal((await app.request("/admin/assets/editor.js")).status, 200);
});

test("schedule uses the owner's time zone and the job publishes on time", async () => {
  registerContentJobs(ctx);
  await setTimeZone(ctx, "Europe/Paris");
  ctx.setNow(new Date("2026-03-01T08:00:00Z"));
  const editor = await signIn(ctx, app, { role: "editor" });
  const missing = await editor.form("/admin/posts/new", { ...base(), action: "schedule" });
  assert.equal(missing.status, 422);
  assert.match(await missing.text(), /id="f-publishAt-error">choose the date and time/);

  const res = await editor.form("/admin/posts/new", { ...base(), publishAt: "2026-03-01T12:30", action: "schedule" });
  assert.equal(res.status, 303);
  const id = idFrom(res);
  const post = await postStore(ctx.db).byId(id);
  assert.equal(post?.status, "scheduled");
  assert.equal(post?.published_at, "2026-03-01T11:30:00.000Z", "12:30 in Paris is 11:30 UTC");
  const page = await (await editor.request(`/admin/posts/${id}`)).text();
  assert.match(page, /value="2026-03-01T12:30"/);
  assert.match(page, /Europe\/Paris \(UTC\+01:00\)/);
  ctx.setNow(new Date("2026-03-01T11:31:00Z"));
  await ctx.runner.drain();
  assert.equal((await postStore(ctx.db).byId(id))?.status, "published");
});

test("delete asks for confirmation, then removes the post", async () => {
  const editor = await signIn(ctx, app, { role: "editor" });
  const id = idFrom(await editor.form("/admin/posts/new", { ...base(), action: "save" }));
  const confirm = await editor.request(`/admin/posts/${id}/delete`);
  assert.equal(confirm.status, 200);
  assert.match(await confirm.text(), /Delete “Owning your words”\?/);
  assert.ok(await postStore(ctx.db).byId(id), "GET does not delete");
  const noCsrf = await editor.form(`/admin/posts/${id}/delete`, {}, { csrf: false });
  assert.equal(noCsrf.status, 403);
  assert.ok(await postStore(ctx.db).byId(id));
  const res = await editor.form(`/admin/posts/${id}/delete`, {});
  assert.equal(res.status, 303);
  assert.equal(await postStore(ctx.db).byId(id), undefined);
});

test("cover image and slide PDF can be uploaded from the editor", async () => {
  const author = await signIn(ctx, app, { role: "author" });
  const png = await sharp({ create: { width: 800, height: 450, channels: 3, background: "#345" } })
    .png()
    .toBuffer();
  const res = await author.form("/admin/posts/new", {
    ...base(),
    kind: "presentation",
    body: "# Slide one\n\n---\n\n# Slide two",
    coverFile: new File([new Uint8Array(png)], "cover.png"),
    pdfFile: new File(["%PDF-1.7\n%%EOF\n"], "deck.pdf"),
    action: "save",
  });
  assert.equal(res.status, 303, await res.clone().text());
  const post = await postStore(ctx.db).byId(idFrom(res));
  const [pdf] = await listMedia(ctx, { type: "pdf" });
  const [img] = await listMedia(ctx, { type: "image" });
  assert.equal(post?.pdf_media_id, pdf.id);
  assert.equal(post?.cover_media_id, img.id);
  const page = await (await author.request(`/admin/posts/${post?.id}`)).text();
  assert.match(page, new RegExp(`<option value="${pdf.id}" selected>deck.pdf`));

  // A bad cover file is refused, and the rest of the input is kept.
  const bad = await author.form("/admin/posts/new", {
    ...base(),
    title: "Kept title",
    coverFile: new File(["hello"], "cover.jpg"),
    action: "save",
  });
  assert.equal(bad.status, 415);
  const badPage = await bad.text();
  assert.match(badPage, /id="f-coverFile-error">&quot;cover.jpg&quot; is not/);
  assert.match(badPage, /value="Kept title"/);
});

test("editing a post made elsewhere shows its themes, and a slug change is saved", async () => {
  const p = await savePost(
    ctx,
    { id: null, role: "owner" },
    { title: "Imported", themeIds: [themeId], status: "published" },
  );
  const owner = await signIn(ctx, app, { role: "owner" });
  const page = await (await owner.request(`/admin/posts/${p.id}`)).text();
  assert.match(page, new RegExp(`name="themeIds" value="${themeId}" checked`));
  const res = await owner.form(`/admin/posts/${p.id}`, {
    ...base(),
    title: "Imported",
    slug: "renamed",
    action: "save",
  });
  assert.equal(res.status, 303);
  assert.equal((await postStore(ctx.db).byId(p.id))?.slug, "renamed");
  assert.equal((await postStore(ctx.db).byId(p.id))?.status, "published", "Update keeps it published");
  assert.deepEqual(await historyStore(ctx.db).redirect("/posts/imported"), { post_id: p.id });
  assert.equal((await owner.request("/admin/posts/999999")).status, 404);
});
