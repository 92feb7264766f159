import assert from "node:assert/strict";
import { afterEach, beforeEach, test } from "node:test";
import type { Hono } from "hono";
import sharp from "sharp";
import { createApp } from "../../app.ts";
import { createList } from "../../audience/testing.ts";
import { signIn } from "../../auth/testing.ts";
import type { AppEnv } from "../../lib/http/env.ts";
import { createTestContext, type TestContext } from "../../lib/testing.ts";
import { listMedia } from "../media.ts";
import { postStore } from "../store.ts";
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

const png = async () =>
  new Uint8Array(
    await sharp({ create: { width: 400, height: 300, channels: 3, background: "#c00" } })
      .png()
      .toBuffer(),
  );
const idFrom = (res: Response) => Number(/\/admin\/posts\/(\d+)/.exec(res.headers.get("location") ?? "")?.[1]);

test("media have alt text: set on upload, edited on the media page, in the snippet with a copy button", async () => {
  const author = await signIn(ctx, app, { role: "author" });
  const up = await author.form("/admin/media", {
    file: new File([await png()], "red.png", { type: "image/png" }),
    alt: "A red square",
  });
  assert.equal(up.status, 303, await up.clone().text());
  const [m] = await listMedia(ctx);
  assert.equal(m.alt, "A red square");
  const page = await (await author.request("/admin/media")).text();
  const url = /!\[A red square\]\((\/media\/[^)]+\.png)\)/.exec(page)?.[1];
  assert.ok(url, "the snippet carries the alt text and the full-size file");
  assert.match(page, new RegExp(`data-copy="!\\[A red square\\]\\(${url}\\)"`));
  assert.match(page, /<input id="alt-\d+" name="alt" value="A red square"/);
  assert.match(page, /<script src="\/admin\/assets\/media.js" defer>/);

  const edit = await author.form(`/admin/media/${m.id}/alt`, { alt: "  A red   square on white " });
  assert.equal(edit.status, 303);
  assert.equal((await listMedia(ctx))[0].alt, "A red square on white");
  const tooLong = await author.form(`/admin/media/${m.id}/alt`, { alt: "x".repeat(501) });
  assert.equal(tooLong.status, 400);
  assert.match(await tooLong.text(), /Alt text: at most 500 characters/);
  assert.equal((await author.form("/admin/media/999/alt", { alt: "x" })).status, 404);
});

test("the editor's upload (JSON) stores the alt text and answers with the Markdown to insert", async () => {
  const author = await signIn(ctx, app, { role: "author" });
  const res = await author.form(
    "/admin/media",
    { file: new File([await png()], "image.png", { type: "image/png" }), alt: "Chart [draft]" },
    { headers: { Accept: "application/json" } },
  );
  assert.equal(res.status, 201);
  const j = (await res.json()) as { id: number; url: string; alt: string; markdown: string };
  assert.equal(j.alt, "Chart [draft]");
  assert.match(j.url, /^\/media\/.+\.png$/);
  assert.equal(j.markdown, `![Chart draft](${j.url})`, "brackets can't break the Markdown");
  assert.equal((await app.request(j.url)).status, 200);

  const bad = await author.form(
    "/admin/media",
    { file: new File(["not an image"], "notes.png", { type: "image/png" }), alt: "" },
    { headers: { Accept: "application/json" } },
  );
  assert.equal(bad.status, 415);
  assert.match(((await bad.json()) as { error: string }).error, /notes\.png/);
});

test("the cover's alt text is stored with the post and used by <img alt> and og:image:alt", async () => {
  const editor = await signIn(ctx, app, { role: "editor" });
  const fields = {
    title: "Red things",
    kind: "article",
    summary: "",
    body: "Text.",
    themeIds: [String(themeId)],
    coverFile: new File([await png()], "cover.png", { type: "image/png" }),
    coverAlt: "A red square on a table",
    action: "publish",
  };
  const res = await editor.form("/admin/posts/new", fields);
  assert.equal(res.status, 303, await res.clone().text());
  const post = await postStore(ctx.db).byId(idFrom(res));
  assert.equal(post?.cover_alt, "A red square on a table");
  const edit = await (await editor.request(`/admin/posts/${post?.id}`)).text();
  assert.match(edit, /name="coverAlt" type="text" value="A red square on a table"/);
  const pub = await (await app.request("/posts/red-things")).text();
  assert.match(pub, /<figure class="cover"><img class="u-photo"[^>]* alt="A red square on a table"/);
  assert.match(pub, /<meta property="og:image:alt" content="A red square on a table">/);

  // Without its own, the cover uses the image's alt text from the media library.
  const [m] = await listMedia(ctx);
  await editor.form(`/admin/media/${m.id}/alt`, { alt: "Library alt" });
  const { coverFile: _, ...rest } = fields;
  await editor.form(`/admin/posts/${post?.id}`, { ...rest, coverMediaId: String(m.id), coverAlt: "", action: "save" });
  assert.match(await (await app.request("/posts/red-things")).text(), /alt="Library alt" fetchpriority/);
});

test("after publishing, the live post is linked beside emailing it; event details open for events", async () => {
  await createList(ctx, { name: "New articles" });
  const editor = await signIn(ctx, app, { role: "editor" });
  const res = await editor.form("/admin/posts/new", {
    title: "Live now",
    kind: "article",
    summary: "",
    body: "x",
    themeIds: [String(themeId)],
    action: "publish",
  });
  assert.match(res.headers.get("location") ?? "", /\/email\?msg=published$/);
  const email = await (await editor.request(res.headers.get("location") ?? "")).text();
  assert.match(email, /<a href="\/posts\/live-now" class="live-link">View the live post<\/a>/);
  const editorPage = await (await editor.request(`/admin/posts/${idFrom(res)}`)).text();
  assert.match(
    editorPage,
    /<a href="\/posts\/live-now" class="live-link">View the live post<\/a> · <a href="\/admin\/posts\/\d+\/email">/,
  );

  // Without JavaScript, the event details are open when the form comes back as an event.
  const preview = await editor.form("/admin/posts/new", {
    title: "Workshop",
    kind: "event",
    body: "",
    action: "preview",
  });
  assert.match(await preview.text(), /<details class="field event-fields" open>/);
  const article = await (await editor.request("/admin/posts/new")).text();
  assert.match(article, /<details class="field event-fields">/);
});
