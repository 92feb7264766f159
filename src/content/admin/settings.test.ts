import assert from "node:assert/strict";
import { afterEach, beforeEach, test } from "node:test";
import type { Hono } from "hono";
import sharp from "sharp";
import { createApp } from "../../app.ts";
import { signIn } from "../../auth/testing.ts";
import type { AppEnv } from "../../lib/http/env.ts";
import { getTimeZone } from "../../lib/settings/time-zone.ts";
import { createTestContext, type TestContext } from "../../lib/testing.ts";
import { getSiteSettings } from "../settings.ts";

let ctx: TestContext;
let app: Hono<AppEnv>;
beforeEach(async () => {
  ctx = await createTestContext();
  app = await createApp(ctx);
});
afterEach(async () => ctx.cleanup());

const fields = {
  title: "Ada's notes",
  description: "On engines",
  language: "en-GB",
  timeZone: "Europe/London",
  name: "Ada Lovelace",
  photoUrl: "",
  location: "London",
  bio: "Writes about engines.",
  email: "ada@example.com",
  links: "Mastodon | https://social.example/@ada\nhttps://ada.example",
};

test("settings save the site and the author's h-card, and keep input on errors", async () => {
  const editor = await signIn(ctx, app, { role: "editor" });
  const photo = await sharp({ create: { width: 900, height: 900, channels: 3, background: "#abc" } })
    .jpeg()
    .toBuffer();
  const res = await editor.form("/admin/settings", {
    ...fields,
    photoFile: new File([new Uint8Array(photo)], "me.jpg"),
  });
  assert.equal(res.status, 303, await res.clone().text());
  const s = await getSiteSettings(ctx);
  assert.equal(s.title, "Ada's notes");
  assert.equal(s.language, "en-GB");
  assert.equal(s.author.name, "Ada Lovelace");
  assert.deepEqual(s.author.links, [
    { label: "Mastodon", url: "https://social.example/@ada" },
    { label: "https://ada.example", url: "https://ada.example" },
  ]);
  assert.match(s.author.photoUrl, /^\/media\/me-[0-9a-f]+-640\.webp$/);
  assert.equal((await app.request(s.author.photoUrl)).status, 200);
  assert.equal(await getTimeZone(ctx), "Europe/London");

  const bad = await editor.form("/admin/settings", { ...fields, title: "Changed", links: "Broken | not a url" });
  assert.equal(bad.status, 422);
  const html = await bad.text();
  assert.match(html, /id="f-links-error">each link must be a full URL/);
  assert.match(html, /value="Changed"/);
  assert.equal((await getSiteSettings(ctx)).title, "Ada's notes");
});

test("authors can't change settings", async () => {
  const author = await signIn(ctx, app, { role: "author" });
  assert.equal((await author.request("/admin/settings")).status, 403);
  assert.equal((await author.form("/admin/settings", fields)).status, 403);
  assert.equal((await getSiteSettings(ctx)).title, "Liner Notes");
});

test("a language, photo address or public email the public pages could not use is refused by its field", async () => {
  const editor = await signIn(ctx, app, { role: "editor" });
  assert.equal((await editor.form("/admin/settings", fields)).status, 303);
  for (const [field, value, message] of [
    ["language", "not a language!!", /id="f-language-error">use a language tag/],
    ["photoUrl", "javascript:alert(1)", /id="f-photoUrl-error">use an http\(s\):\/\/ address/],
    ["photoUrl", "//evil.example/x.png", /id="f-photoUrl-error">use an http\(s\):\/\/ address/],
    ["email", "me@@bad", /id="f-email-error">&quot;me@@bad&quot; is not an email address/],
  ] as const) {
    const res = await editor.form("/admin/settings", { ...fields, title: "Changed", [field]: value });
    assert.equal(res.status, 422, `${field}=${value}`);
    const html = await res.text();
    assert.match(html, message);
    assert.match(html, /value="Changed"/, "what was typed is kept");
  }
  const s = await getSiteSettings(ctx);
  assert.deepEqual(
    [s.title, s.language, s.author.photoUrl, s.author.email],
    ["Ada's notes", "en-GB", "", "ada@example.com"],
  );
  // Addresses pages can use are taken: an uploaded photo's path and https.
  assert.equal(
    (await editor.form("/admin/settings", { ...fields, photoUrl: "https://img.example/ada.jpg" })).status,
    303,
  );
  assert.equal((await getSiteSettings(ctx)).author.photoUrl, "https://img.example/ada.jpg");
});
