import assert from "node:assert/strict";
import fs from "node:fs";
import { afterEach, beforeEach, test } from "node:test";
import type { Hono } from "hono";
import { createApp } from "../../app.ts";
import { type Browser, signIn } from "../../auth/testing.ts";
import type { AppEnv } from "../../lib/http/env.ts";
import { createTestContext, type TestContext } from "../../lib/testing.ts";
import { pollDue } from "./poll.ts";
import { sourceStore } from "./store.ts";
import { type FeedServer, feedServer, rss } from "./testing.ts";

const fixture = (name: string) => fs.readFileSync(new URL(`./testdata/${name}`, import.meta.url));

let ctx: TestContext;
let app: Hono<AppEnv>;
let user: Browser;
let srv: FeedServer;
beforeEach(async () => {
  ctx = await createTestContext();
  app = await createApp(ctx);
  user = await signIn(ctx, app, { role: "author" });
  srv = await feedServer();
});
afterEach(async () => {
  await srv.close();
  await ctx.cleanup();
});

const feed = (title: string) => ({
  body: rss({ title, link: "https://alice.example/", items: [{ id: "1" }, { id: "2" }] }),
});
const countOf = async (t: "sources" | "folders") =>
  Number(
    (
      await ctx.db.kysely
        .selectFrom(t)
        .select((e) => e.fn.countAll<number>().as("n"))
        .executeTakeFirstOrThrow()
    ).n,
  );

test("the sources page lists nothing at first and needs a signed-in user", async () => {
  const anon = await app.request("/admin/sources");
  assert.equal(anon.status, 303);
  assert.match(anon.headers.get("location") ?? "", /^\/login/);
  const res = await user.request("/admin/sources");
  assert.equal(res.status, 200);
  const page = await res.text();
  assert.match(page, /You follow nothing yet/);
  assert.match(page, /<link rel="stylesheet" href="\/admin\/assets\/sources.css">/);
  assert.match(page, /<a href="\/admin\/sources" aria-current="page">Sources<\/a>/);
  assert.equal((await user.request("/admin/assets/sources.css")).status, 200);
});

test("follow by URL: CSRF required, bad input named, duplicates refused", async () => {
  srv.route("/feed.xml", feed("Alice's notes"));
  const noCsrf = await user.form("/admin/sources", { url: srv.url("/feed.xml") }, { csrf: false });
  assert.equal(noCsrf.status, 403);
  assert.equal(await countOf("sources"), 0);

  const bad = await user.form("/admin/sources", { url: "javascript:alert(1)", folder: "", title: "" });
  assert.equal(bad.status, 422);
  const badPage = await bad.text();
  assert.match(badPage, /id="f-url-error">The URL must start with http:\/\/ or https:\/\//);
  assert.match(badPage, /value="javascript:alert\(1\)"/);
  assert.equal(await countOf("sources"), 0);

  const badFolder = await user.form("/admin/sources", { url: srv.url("/feed.xml"), folder: "abc" });
  assert.equal(badFolder.status, 422);
  assert.match(await badFolder.text(), /id="f-folder-error">Choose a folder from the list/);

  const ok = await user.form("/admin/sources", { url: srv.url("/feed.xml"), folder: "", title: "" });
  assert.equal(ok.status, 303);
  const location = ok.headers.get("location") ?? "";
  assert.match(location, /^\/admin\/sources\?msg=followed&id=\d+&n=2$/);
  const after = await (await user.request(location)).text();
  assert.match(after, /Now following “Alice&#39;s notes” \(2 items\)\./);
  assert.match(after, /<a href="\/admin\/sources\/\d+">Alice&#39;s notes<\/a>/);

  const dup = await user.form("/admin/sources", { url: srv.url("/feed.xml") });
  assert.equal(dup.status, 409);
  assert.match(await dup.text(), /id="f-url-error">You already follow “Alice&#39;s notes”/);
});

test("a failing source shows its last error, and Retry now polls it again", async () => {
  srv.route("/feed.xml", { status: 500, body: "oops" });
  const now = ctx.now().toISOString();
  const row = await sourceStore(ctx.db).insert({
    feed_url: srv.url("/feed.xml"),
    title: "Flaky",
    next_fetch_at: now,
    created_at: now,
  });
  assert.ok(row);
  await pollDue(ctx);
  const page = await (await user.request("/admin/sources")).text();
  assert.match(page, /<tr id="source-\d+" class="failing">/);
  assert.match(page, /<strong>Error:<\/strong> The server answered HTTP 500 Internal Server Error/);
  assert.match(page, /1 failure in a row/);
  assert.match(page, /<button type="submit">Retry now<span class="visually-hidden"> Flaky<\/span><\/button>/);

  const noCsrf = await user.form(`/admin/sources/${row.id}/retry`, {}, { csrf: false });
  assert.equal(noCsrf.status, 403);
  srv.route("/feed.xml", feed("Flaky but fixed"));
  const retry = await user.form(`/admin/sources/${row.id}/retry`, {});
  assert.equal(retry.status, 303);
  const back = await (await user.request(retry.headers.get("location") ?? "")).text();
  assert.match(back, /Polled “Flaky but fixed”: 2 new items found\./, "Poll now says how many new items it found");
  assert.doesNotMatch(back, /class="failing"/);
  assert.equal(srv.hits("/feed.xml").length, 2);
  assert.equal((await user.request("/admin/sources/99999/retry", { method: "POST" })).status, 404);
});

test("folders: create nested, refuse bad input, rename, move, delete", async () => {
  assert.equal((await user.form("/admin/sources/folders", { name: "Tech", parent: "" })).status, 303);
  const [tech] = await sourceStore(ctx.db).folders();
  assert.equal((await user.form("/admin/sources/folders", { name: "Web", parent: String(tech.id) })).status, 303);
  const web = (await sourceStore(ctx.db).folders()).find((f) => f.name === "Web");
  assert.ok(web);
  const empty = await user.form("/admin/sources/folders", { name: " ", parent: "" });
  assert.equal(empty.status, 422);
  assert.match(await empty.text(), /id="f-name-error">The folder name is required/);

  const page = await (await user.request("/admin/sources")).text();
  assert.match(page, /<option value="\d+">Tech \/ Web<\/option>/);

  const edit = await (await user.request(`/admin/sources/folders/${tech.id}`)).text();
  assert.doesNotMatch(edit, /Tech \/ Web<\/option>/, "a folder can't move into its own sub-folder");
  const cycle = await user.form(`/admin/sources/folders/${tech.id}`, { name: "Tech", parent: String(web.id) });
  assert.equal(cycle.status, 422);
  assert.match(await cycle.text(), /id="f-parent-error">A folder cannot go inside itself/);

  assert.equal((await user.form(`/admin/sources/folders/${web.id}`, { name: "Web dev", parent: "" })).status, 303);
  assert.deepEqual((await sourceStore(ctx.db).folderById(web.id))?.parent_id, null);
  assert.equal((await user.form(`/admin/sources/folders/${web.id}/delete`, {})).status, 303);
  assert.equal(await countOf("folders"), 1);
  assert.equal((await user.request("/admin/sources/folders/99999")).status, 404);
});

test("a source can be renamed, moved and unfollowed from its page", async () => {
  srv.route("/feed.xml", feed("Alice's notes"));
  await user.form("/admin/sources", { url: srv.url("/feed.xml") });
  const [s] = await sourceStore(ctx.db).list();
  await user.form("/admin/sources/folders", { name: "Friends", parent: "" });
  const [friends] = await sourceStore(ctx.db).folders();
  const view = await (await user.request(`/admin/sources/${s.id}`)).text();
  assert.match(view, /<h1>Alice&#39;s notes<\/h1>/);
  assert.match(view, new RegExp(`href="${srv.url("/feed.xml")}"`));

  const tooLong = await user.form(`/admin/sources/${s.id}`, { title: "x".repeat(301), folder: "" });
  assert.equal(tooLong.status, 422);
  assert.match(await tooLong.text(), /id="f-title-error">The title must be at most 300 characters/);

  const saved = await user.form(`/admin/sources/${s.id}`, { title: "Alice", folder: String(friends.id) });
  assert.equal(saved.status, 303);
  const moved = await sourceStore(ctx.db).byId(s.id);
  assert.deepEqual([moved?.custom_title, moved?.folder_id], ["Alice", friends.id]);
  const list = await (await user.request("/admin/sources")).text();
  assert.match(list, /<section class="folder depth-1" aria-label="Friends">/);

  const confirm = await (await user.request(`/admin/sources/${s.id}/unfollow`)).text();
  assert.match(confirm, /Unfollow “Alice”\?/);
  assert.match(confirm, /Its 2 items leave the inbox/);
  assert.equal((await user.form(`/admin/sources/${s.id}/unfollow`, {})).status, 303);
  assert.equal(await countOf("sources"), 0);
  assert.equal((await user.request(`/admin/sources/${s.id}`)).status, 404);
});

test("OPML upload imports folders; a broken file imports nothing; export downloads OPML", async () => {
  const upload = (name: string, body: Buffer) =>
    user.form("/admin/sources/import", { file: new File([new Uint8Array(body)], name, { type: "text/x-opml" }) });
  const broken = await upload("bad.opml", fixture("bad-url.opml"));
  assert.equal(broken.status, 422);
  assert.match(await broken.text(), /id="f-file-error">The OPML file could not be imported: the outline “Broken one”/);
  assert.equal(await countOf("sources"), 0);
  assert.equal(await countOf("folders"), 0);

  const none = await user.form("/admin/sources/import", {});
  assert.equal(none.status, 422);
  assert.match(await none.text(), /Choose an OPML file/);

  const ok = await upload("feeds.opml", fixture("nested.opml"));
  assert.equal(ok.status, 303);
  const notice = await (await user.request(ok.headers.get("location") ?? "")).text();
  assert.match(
    notice,
    /Imported 5 sources and 4 new folders; skipped 1 feed you already follow and 1 outline that is not a feed\./,
  );

  const exported = await user.request("/admin/sources/export.opml");
  assert.equal(exported.status, 200);
  assert.match(exported.headers.get("content-type") ?? "", /^text\/x-opml/);
  assert.match(
    exported.headers.get("content-disposition") ?? "",
    /^attachment; filename="liner-sources-\d{4}-\d\d-\d\d\.opml"$/,
  );
  const xml = await exported.text();
  assert.match(
    xml,
    /<outline text="Tech" title="Tech">\s*<outline text="Empty folder" title="Empty folder"\/>\s*<outline text="Web"/,
  );
});
