import assert from "node:assert/strict";
import { afterEach, beforeEach, test } from "node:test";
import { createApp } from "../app.ts";
import { getSiteSettings, saveSiteSettings } from "../content/index.ts";
import { createTestContext, type TestContext } from "../lib/testing.ts";
import { type Seeded, seedSite } from "./test-fixtures.ts";

let ctx: TestContext;
let s: Seeded;
beforeEach(async () => {
  ctx = await createTestContext();
  s = await seedSite(ctx);
});
afterEach(async () => ctx.cleanup());

const get = async (path: string) => (await (await createApp(ctx)).request(path)).text();
const base = "http://127.0.0.1:4321";

/** Change the author's settings (photo, bio) and the site description of the seeded site. */
async function setIdentity(change: { photoUrl?: string; bio?: string; description?: string }) {
  const cur = await getSiteSettings(ctx);
  await saveSiteSettings(ctx, {
    ...cur,
    description: change.description ?? cur.description,
    author: { ...cur.author, photoUrl: change.photoUrl ?? cur.author.photoUrl, bio: change.bio ?? cur.author.bio },
  });
}

test("an uploaded author photo (/media/…) is absolute in the JSON Feed, JSON-LD and the about page's og:image", async () => {
  await setIdentity({ photoUrl: "/media/photo-ab12-640.png" });
  const photo = `${base}/media/photo-ab12-640.png`;
  const json = JSON.parse(await get("/feed.json"));
  assert.equal(json.authors[0].avatar, photo);
  const post = await get(`/posts/${s.article.slug}`);
  const ld = [...post.matchAll(/<script type="application\/ld\+json">([\s\S]*?)<\/script>/g)].map((m) =>
    JSON.parse(m[1] ?? "{}"),
  );
  assert.equal(ld[0]?.author?.image, photo);
  const about = await get("/about");
  assert.match(about, new RegExp(`<meta property="og:image" content="${photo}">`));
  assert.match(about, /"image":"http:\/\/127\.0\.0\.1:4321\/media\/photo-ab12-640\.png"/);
  for (const feed of ["/feed.atom", "/feed.rss"]) {
    assert.doesNotMatch(await get(feed), /["'>]\/media\/photo/, `${feed}: no relative photo URL`);
  }
  // A full URL stays as it was.
  await setIdentity({ photoUrl: "https://cdn.example/ada.jpg" });
  assert.equal(JSON.parse(await get("/feed.json")).authors[0].avatar, "https://cdn.example/ada.jpg");
});

test("the author's bio shows in the footer (short, escaped) and describes the site's feeds when it has no description", async () => {
  const bio = `Writes <about> engines & looms. ${"More words about the analytical engine. ".repeat(10)}`;
  await setIdentity({ bio, description: "" });
  const home = await get("/");
  const footer = /<footer class="site-footer">[\s\S]*<\/footer>/.exec(home)?.[0] ?? "";
  const shown = /<p class="p-note author-bio">([^<]*)<\/p>/.exec(footer)?.[1] ?? "";
  assert.match(shown, /^Writes &lt;about&gt; engines &amp; looms\. More words/);
  assert.match(shown, /…$/, "a long bio is cut");
  assert.ok(shown.length < 260, "short");

  const rss = await get("/feed.rss");
  const channel = rss.slice(0, rss.indexOf("<item>"));
  assert.match(channel, /<description>Writes &lt;about&gt; engines &amp; looms\./);
  assert.doesNotMatch(channel, /<description>Ada&apos;s Notes<\/description>/);
  assert.match(await get("/feed.atom"), /<subtitle>Writes &lt;about&gt; engines &amp; looms\./);
  assert.match(JSON.parse(await get("/feed.json")).description, /^Writes <about> engines & looms\./);

  // The site's own description, when there is one, still describes the feeds.
  await setIdentity({ description: "Essays on the social web" });
  assert.match(await get("/feed.rss"), /<channel>[\s\S]*?<description>Essays on the social web<\/description>/);
});
