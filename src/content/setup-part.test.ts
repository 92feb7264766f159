import assert from "node:assert/strict";
import { afterEach, beforeEach, test } from "node:test";
import type { Hono } from "hono";
import sharp from "sharp";
import { createApp } from "../app.ts";
import { ensureDemoList } from "../audience/index.ts";
import { countUsers, createSetupToken } from "../auth/index.ts";
import { browser, TEST_PASSWORD } from "../auth/testing.ts";
import type { AppEnv } from "../lib/http/env.ts";
import { createTestContext, type TestContext } from "../lib/testing.ts";
import { seedDemo } from "./demo.ts";
import { getSiteSettings } from "./settings.ts";

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

async function openSetup() {
  const link = await createSetupToken(ctx);
  const b = browser(app);
  const page = await b.request(link);
  assert.equal(page.status, 200);
  const text = await page.text();
  await b.refreshCsrf(link);
  return { b, link, text };
}

const account = { email: "ann@example.com", name: "Ann Owner", password: TEST_PASSWORD };

test("setup asks for the site's title and the author's name, bio and photo; the owner's values replace the demo's everywhere", async () => {
  const { b, link, text } = await openSetup();
  for (const field of ["siteTitle", "authorName", "authorBio", "authorPhoto"]) {
    assert.match(text, new RegExp(`name="${field}"`), `the setup form has ${field}`);
  }
  assert.match(text, /enctype="multipart\/form-data"/);
  assert.doesNotMatch(text, /Dana Whitfield/, "the demo's identity is not offered as the owner's");

  const photo = new File(
    [
      await sharp({ create: { width: 400, height: 400, channels: 3, background: "#468" } })
        .png()
        .toBuffer(),
    ],
    "ann.png",
    { type: "image/png" },
  );
  const res = await b.form(link, {
    ...account,
    siteTitle: "Ann's field notes",
    authorName: "Ann Owner",
    authorBio: "I write about field work.",
    authorPhoto: photo,
  });
  assert.equal(res.status, 303, await res.text());

  const s = await getSiteSettings(ctx);
  assert.equal(s.title, "Ann's field notes");
  assert.equal(s.author.name, "Ann Owner");
  assert.equal(s.author.bio, "I write about field work.");
  assert.match(s.author.photoUrl, /^\/media\/ann-[0-9a-f]+(?:-\d+)?\.(?:webp|png)$/);
  assert.equal(s.author.location, "", "the demo's location goes with its author");
  assert.deepEqual(s.author.links, []);

  // Site title, footer, byline and feed author are the owner's.
  const home = await (await app.request("/")).text();
  assert.match(home, /<a class="site-title" href="\/">Ann&#39;s field notes<\/a>/);
  assert.match(home, /<div class="h-card site-author">[\s\S]*?Ann Owner<\/a>/);
  assert.doesNotMatch(home, /Dana Whitfield/);
  const post = await (await app.request("/posts/write-down-the-answer")).text();
  assert.match(post, /By <a class="p-author h-card"[^>]*>Ann Owner<\/a>/);
  const atom = await (await app.request("/feed.atom")).text();
  assert.match(atom, /<author><name>Ann Owner<\/name>/);
  assert.match(
    atom,
    /<title>Ann&apos;s field notes<\/title>|<title>Ann's field notes<\/title>|<title>Ann&#39;s field notes<\/title>/,
  );
  const json = JSON.parse(await (await app.request("/feed.json")).text());
  assert.equal(json.authors?.[0]?.name ?? json.author?.name, "Ann Owner");
});

test("left empty, the author's name is carried across from the account and the title from the name", async () => {
  const { b, link } = await openSetup();
  const res = await b.form(link, { ...account, siteTitle: "", authorName: "", authorBio: "" });
  assert.equal(res.status, 303);
  const s = await getSiteSettings(ctx);
  assert.equal(s.author.name, "Ann Owner");
  assert.equal(s.title, "Ann Owner");
  assert.equal(s.author.bio, "");
  const rss = await (await app.request("/feed.rss")).text();
  const channel = rss.slice(0, rss.indexOf("<item>"));
  assert.match(channel, /<title>Ann Owner<\/title>/);
  assert.doesNotMatch(channel, /Dana Whitfield/);
});

test("bad input on setup comes back with the message beside its field, everything typed kept, no account made", async () => {
  const { b, link } = await openSetup();
  const long = await b.form(link, { ...account, siteTitle: "T".repeat(121), authorName: "Ann", authorBio: "Bio kept" });
  assert.equal(long.status, 422);
  const text = await long.text();
  assert.match(
    text,
    /<p class="field-error" id="f-siteTitle-error">Site title is too long: at most 120 characters.<\/p>/,
  );
  assert.match(text, /id="f-siteTitle"[^>]*aria-invalid="true"/);
  assert.match(text, />Bio kept<\/textarea>/);
  assert.match(text, /value="ann@example.com"/);
  assert.equal(await countUsers(ctx), 0);

  const notImage = new File(["hello"], "notes.txt", { type: "text/plain" });
  const bad = await b.form(link, { ...account, siteTitle: "Mine", authorPhoto: notImage });
  assert.equal(bad.status, 422);
  assert.match(await bad.text(), /<p class="field-error" id="f-authorPhoto-error">&quot;notes.txt&quot; is not a JPEG/);
  assert.equal(await countUsers(ctx), 0);
  assert.equal((await getSiteSettings(ctx)).author.name, "Dana Whitfield", "nothing saved");
});

test("with no name typed, setup asks for one beside 'Your name' rather than putting the email's local part on the site", async () => {
  const { b, link } = await openSetup();
  const bea = { email: "bea@example.com", password: TEST_PASSWORD, name: "" };
  const res = await b.form(link, { ...bea, siteTitle: "Field notes", authorName: "", authorBio: "Bio kept" });
  assert.equal(res.status, 422);
  const text = await res.text();
  assert.match(text, /<p class="field-error" id="f-name-error">Your name is required[^<]*<\/p>/);
  assert.match(text, /id="f-name"[^>]*aria-invalid="true"/);
  assert.match(text, /value="bea@example.com"/);
  assert.match(text, /value="Field notes"/);
  assert.match(text, />Bio kept<\/textarea>/);
  assert.equal(await countUsers(ctx), 0);
  assert.equal((await getSiteSettings(ctx)).author.name, "Dana Whitfield", "nothing saved");

  // The author name on the site's part of the form is enough.
  const ok = await b.form(link, { ...bea, siteTitle: "", authorName: "Bea Author", authorBio: "" });
  assert.equal(ok.status, 303, await ok.text());
  const s = await getSiteSettings(ctx);
  assert.equal(s.author.name, "Bea Author");
  assert.equal(s.title, "Bea Author");
  const home = await (await app.request("/")).text();
  assert.doesNotMatch(home, />bea</);
});

test("an invited editor's setup link asks only for the account and leaves the site's identity alone", async () => {
  const before = await getSiteSettings(ctx);
  const link = await createSetupToken(ctx, "editor");
  const b = browser(app);
  const text = await (await b.request(link)).text();
  assert.doesNotMatch(text, /name="siteTitle"|name="authorName"/);
  await b.refreshCsrf(link);
  const res = await b.form(link, { email: "ed@example.com", name: "Ed Itor", password: TEST_PASSWORD });
  assert.equal(res.status, 303, await res.text());
  assert.deepEqual(await getSiteSettings(ctx), before, "the demo's (or owner's) identity is untouched");
});
