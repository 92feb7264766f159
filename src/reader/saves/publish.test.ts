import assert from "node:assert/strict";
import { afterEach, beforeEach, describe, test } from "node:test";
import type { Hono } from "hono";
import { createApp } from "../../app.ts";
import { signIn } from "../../auth/testing.ts";
import { postStore } from "../../content/testing.ts";
import type { AppEnv } from "../../lib/http/env.ts";
import { createTestContext, type TestContext } from "../../lib/testing.ts";
import { saveStore } from "./store.ts";
import { makeTheme } from "./testing.ts";

const LINK = "https://tapes.example/archive?id=7";

describe("publishing saves as link posts", () => {
  let ctx: TestContext;
  let app: Hono<AppEnv>;

  beforeEach(async () => {
    ctx = await createTestContext();
    app = await createApp(ctx);
    ctx.setNow(new Date("2026-04-10T09:00:00Z"));
  });
  afterEach(() => ctx.cleanup());

  const get = async (path: string) => {
    const res = await app.request(path);
    return { status: res.status, body: await res.text() };
  };

  /** Create a published save through the form (the page fetch fails: nothing listens on port 9). */
  async function publishSave(b: Awaited<ReturnType<typeof signIn>>, theme: number, title = "The Tape Archive") {
    const res = await b.form("/admin/saves", {
      url: LINK,
      title,
      blurb: "Four thousand hours of *live* music, kept by fans.",
      themeIds: [theme],
      credit_name: ["Link Ledger", "Upstream <Blog>", ""],
      credit_url: ["https://ledger.example/", "https://upstream.example/", ""],
      publish: "1",
    });
    assert.equal(res.status, 303, await res.clone().text());
    return Number(/saves\/(\d+)/.exec(res.headers.get("location") ?? "")?.[1]);
  }

  test("a published save is an h-entry link post on the home page, its page, theme page, archive and feeds", async () => {
    const b = await signIn(ctx, app);
    const theme = await makeTheme(ctx, "Sound");
    const id = await publishSave(b, theme);
    const save = await saveStore(ctx.db).byId(id);
    assert.ok(save?.post_id);
    const post = await postStore(ctx.db).byId(save.post_id);
    assert.equal(post?.kind, "link");
    assert.equal(post?.status, "published");
    assert.equal(post?.link_url, LINK);
    assert.equal(post?.save_id, id);
    assert.equal(post?.published_at, "2026-04-10T09:00:00.000Z");
    assert.deepEqual(JSON.parse(post?.credits ?? "[]"), [
      { name: "Link Ledger", url: "https://ledger.example/" },
      { name: "Upstream <Blog>", url: "https://upstream.example/" },
    ]);

    const creditLine =
      /via <a class="u-via h-cite" href="https:\/\/ledger\.example\/"><span class="p-name">Link Ledger<\/span><\/a>, who found it at <a class="u-via h-cite" href="https:\/\/upstream\.example\/"><span class="p-name">Upstream &lt;Blog&gt;<\/span><\/a>/;
    const bookmark =
      /<a class="p-name u-bookmark-of" href="https:\/\/tapes\.example\/archive\?id=7">The Tape Archive<\/a>/;

    const home = await get("/");
    assert.match(home.body, /<li class="h-entry card card-link">/);
    assert.match(home.body, bookmark);
    assert.match(home.body, creditLine);
    assert.match(home.body, /Four thousand hours of <em>live<\/em> music/);
    assert.match(home.body, new RegExp(`<a class="u-url" href="/posts/${post?.slug}">`));

    const page = await get(`/posts/${post?.slug}`);
    assert.equal(page.status, 200);
    assert.match(page.body, /<article class="h-entry post post-link">/);
    assert.match(page.body, bookmark);
    assert.match(page.body, creditLine);

    const themePage = await get("/themes/sound");
    assert.match(themePage.body, bookmark);
    assert.match(themePage.body, creditLine);
    assert.match((await get("/archive/2026")).body, bookmark);

    const atom = (await get("/feed.atom")).body;
    assert.match(atom, /<link rel="related" type="text\/html" href="https:\/\/tapes\.example\/archive\?id=7"\/>/);
    // The entry's id is the post's permanent one (a tag URI), not its slug-bearing URL.
    assert.match(post?.feed_id ?? "", /^tag:127\.0\.0\.1,\d{4}-\d\d-\d\d:post-\d+$/);
    assert.ok(atom.includes(`<id>${post?.feed_id}</id>`));
    assert.match(atom, /who found it at/);
    const rss = (await get("/feed.rss")).body;
    assert.match(rss, new RegExp(`<link>http://127\\.0\\.0\\.1:4321/posts/${post?.slug}</link>`));
    assert.match(rss, /via <a class="u-via h-cite" href="https:\/\/ledger\.example\/">/);
    const json = JSON.parse((await get("/feed.json")).body) as { items: Record<string, string>[] };
    const item = json.items.find((i) => i.title === "The Tape Archive");
    assert.equal(item?.external_url, LINK);
    assert.equal(item?.url, `http://127.0.0.1:4321/posts/${post?.slug}`);
    assert.match(item?.content_html ?? "", /who found it at/);
    assert.match(
      (await get("/themes/sound/feed.json")).body,
      /"external_url":"https:\/\/tapes\.example\/archive\?id=7"/,
    );
  });

  test("editing a published save updates its post; turning publish off takes it off the site", async () => {
    const b = await signIn(ctx, app);
    const theme = await makeTheme(ctx, "Sound");
    const id = await publishSave(b, theme);
    const postId = (await saveStore(ctx.db).byId(id))?.post_id;
    ctx.setNow(new Date("2026-04-11T09:00:00Z"));
    const edit = await b.form(`/admin/saves/${id}`, {
      url: LINK,
      title: "The Tape Archive, revisited",
      blurb: "Updated blurb.",
      themeIds: [theme],
      credit_name: ["Link Ledger", "", ""],
      credit_url: ["https://ledger.example/", "", ""],
      publish: "1",
    });
    assert.equal(edit.status, 303);
    const post = await postStore(ctx.db).byId(postId ?? 0);
    assert.equal(post?.title, "The Tape Archive, revisited");
    assert.equal(post?.published_at, "2026-04-10T09:00:00.000Z", "the publication date is kept");
    const home = (await get("/")).body;
    assert.match(home, /Updated blurb\./);
    assert.doesNotMatch(home, /who found it at/);

    const off = await b.form(`/admin/saves/${id}`, {
      url: LINK,
      title: "The Tape Archive, revisited",
      blurb: "Updated blurb.",
      themeIds: [theme],
      credit_name: ["", "", ""],
      credit_url: ["", "", ""],
    });
    assert.equal(off.status, 303);
    assert.equal(await postStore(ctx.db).byId(postId ?? 0), undefined);
    assert.equal((await saveStore(ctx.db).byId(id))?.post_id, null);
    assert.doesNotMatch((await get("/")).body, /Tape Archive/);
    // Its address answers 410 Gone: readers and Webmention receivers learn the post is gone.
    assert.equal((await get(`/posts/${post?.slug}`)).status, 410);
    assert.doesNotMatch((await get("/feed.atom")).body, /Tape Archive/);
    assert.doesNotMatch((await get("/themes/sound")).body, /Tape Archive/);
  });

  test("deleting a published save removes its post; undo brings both back", async () => {
    const b = await signIn(ctx, app);
    const theme = await makeTheme(ctx, "Sound");
    const id = await publishSave(b, theme);
    assert.equal((await b.form(`/admin/saves/${id}/delete`, {})).status, 303);
    assert.doesNotMatch((await get("/")).body, /Tape Archive/);
    assert.equal(await postStore(ctx.db).count({ kinds: ["link"] }), 0);
    assert.equal((await b.form(`/admin/saves/${id}/undo`, {})).status, 303);
    const save = await saveStore(ctx.db).byId(id);
    assert.equal(save?.publish, 1);
    assert.ok(save?.post_id);
    assert.match((await get("/")).body, /who found it at/);
  });
});
