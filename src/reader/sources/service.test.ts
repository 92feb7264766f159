import assert from "node:assert/strict";
import { afterEach, beforeEach, test } from "node:test";
import { ValidationError } from "../../lib/errors.ts";
import { createTestContext, type TestContext } from "../../lib/testing.ts";
import { createFolder, deleteFolder, folderChoices, updateFolder } from "./folders.ts";
import { normalizeInputUrl } from "./follow.ts";
import {
  AlreadyFollowedError,
  followSource,
  listSources,
  sourceTree,
  unfollowSource,
  updateSource,
} from "./service.ts";
import { type FeedServer, feedServer, rss } from "./testing.ts";

let ctx: TestContext;
let srv: FeedServer;
beforeEach(async () => {
  ctx = await createTestContext();
  ctx.setNow(new Date("2026-03-01T12:00:00Z"));
  srv = await feedServer();
});
afterEach(async () => {
  await srv.close();
  await ctx.cleanup();
});

const feedBody = (title = "Alice's notes") =>
  rss({ title, link: "https://alice.example/", items: [{ id: "1", date: "2026-02-28T10:00:00Z" }, { id: "2" }] });
const html = (head: string) => ({
  headers: { "content-type": "text/html; charset=utf-8" },
  body: `<!doctype html><html><head><title>Alice</title>${head}</head><body><p>Hello</p></body></html>`,
});

test("following a feed URL stores the source and its items at once", async () => {
  srv.route("/feed.xml", { etag: '"e1"', body: feedBody() });
  const r = await followSource(ctx, srv.url("/feed.xml"));
  assert.equal(r.foundBy, "feed");
  assert.equal(r.newItems, 2);
  assert.equal(r.source.feed_url, srv.url("/feed.xml"));
  assert.equal(r.source.title, "Alice's notes");
  assert.equal(r.source.site_host, "alice.example");
  assert.equal(r.source.etag, '"e1"');
  assert.equal(r.source.lease_until, null);
  assert.ok(r.source.next_fetch_at > ctx.now().toISOString());
  const [info] = await listSources(ctx);
  assert.deepEqual([info.name, info.items, info.unread], ["Alice's notes", 2, 2]);
});

test("a page that links to its feed is followed through <link rel=alternate>", async () => {
  srv.route("/", html('<link rel="alternate" type="application/rss+xml" title="RSS" href="/feeds/main.xml">'));
  srv.route("/feeds/main.xml", { body: feedBody() });
  const r = await followSource(ctx, srv.url("/"));
  assert.equal(r.foundBy, "link");
  assert.equal(r.source.feed_url, srv.url("/feeds/main.xml"));
});

test("a page without feed links is followed through a common feed path", async () => {
  srv.route("/blog/post-1", html(""));
  srv.route("/atom.xml", { body: feedBody() });
  const r = await followSource(ctx, srv.url("/blog/post-1"));
  assert.equal(r.foundBy, "path");
  assert.equal(r.source.feed_url, srv.url("/atom.xml"));
  // The paths before it were tried, in order.
  const tried = srv.requests.map((q) => q.path);
  assert.deepEqual(tried.slice(0, 4), ["/blog/post-1", "/feed", "/rss", "/rss.xml"]);
});

test("following again says so, by page, feed or site address", async () => {
  srv.route("/", html('<link rel="alternate" type="application/atom+xml" href="/feed.xml">'));
  srv.route("/feed.xml", { body: feedBody() });
  await followSource(ctx, srv.url("/"));
  for (const again of [srv.url("/"), srv.url("/feed.xml"), "alice.example"]) {
    await assert.rejects(followSource(ctx, again), (err: Error) => {
      assert.ok(err instanceof AlreadyFollowedError);
      assert.equal(err.status, 409);
      assert.match(err.message, /You already follow “Alice's notes”/);
      return true;
    });
  }
  assert.equal((await listSources(ctx)).length, 1);
});

test("bad addresses and sites without feeds are refused with a reason naming the URL field", async () => {
  srv.route("/", html(""));
  srv.route("/broken", { status: 500, body: "oops" });
  const cases: [string, RegExp][] = [
    ["", /Enter the web address/],
    ["javascript:alert(1)", /must start with http:\/\/ or https:\/\//],
    ["ftp://example.com/feed", /must start with http:\/\/ or https:\/\//],
    ["http://", /not a valid web address/],
    ["nodots", /the host has no domain/],
    [srv.url("/"), /No feed found at/],
    [srv.url("/broken"), /HTTP 500/],
    ["http://127.0.0.1:1/feed", /Could not fetch/],
  ];
  for (const [url, reason] of cases) {
    await assert.rejects(
      followSource(ctx, url),
      (err: Error) => {
        assert.ok(err instanceof ValidationError, `${url}: ${err}`);
        assert.equal(err.field, "url");
        assert.match(err.message, reason);
        return true;
      },
      url,
    );
  }
  assert.equal((await listSources(ctx)).length, 0);
});

test("typed addresses are made absolute", () => {
  assert.equal(normalizeInputUrl("  example.com "), "https://example.com/");
  assert.equal(normalizeInputUrl("feed://example.com/rss"), "http://example.com/rss");
  assert.equal(normalizeInputUrl("feed:https://example.com/rss"), "https://example.com/rss");
  assert.equal(normalizeInputUrl("https://example.com/a#frag"), "https://example.com/a");
  assert.equal(normalizeInputUrl("http://localhost:8080/feed"), "http://localhost:8080/feed");
});

test("folders nest; sources rename, move and unfollow; deleting a folder keeps what was in it", async () => {
  srv.route("/feed.xml", { body: feedBody() });
  const tech = await createFolder(ctx, { name: "Tech" });
  const web = await createFolder(ctx, { name: "Web", parentId: tech.id });
  const deep = await createFolder(ctx, { name: "CSS", parentId: web.id });
  assert.deepEqual(
    (await folderChoices(ctx)).map((f) => [f.label, f.depth]),
    [
      ["Tech", 0],
      ["Tech / Web", 1],
      ["Tech / Web / CSS", 2],
    ],
  );
  await assert.rejects(createFolder(ctx, { name: " web ", parentId: tech.id }), /already a folder “Web” there/);
  await assert.rejects(createFolder(ctx, { name: "   " }), /name is required/);
  await assert.rejects(updateFolder(ctx, tech.id, { parentId: deep.id }), /cannot go inside itself/);
  await assert.rejects(updateFolder(ctx, tech.id, { parentId: tech.id }), /cannot go inside itself/);

  const { source } = await followSource(ctx, srv.url("/feed.xml"), { folderId: web.id });
  await updateSource(ctx, source.id, { title: "  Alice  " });
  let tree = await sourceTree(ctx);
  assert.equal(tree.folders[0].children[0].sources[0].name, "Alice");
  await assert.rejects(updateSource(ctx, source.id, { folderId: 9999 }), /folder does not exist/);

  await deleteFolder(ctx, web.id);
  tree = await sourceTree(ctx);
  assert.deepEqual(
    tree.folders[0].children.map((n) => n.folder.name),
    ["CSS"],
    "sub-folder moved up",
  );
  assert.equal(tree.folders[0].sources[0].id, source.id, "source moved up");

  await updateSource(ctx, source.id, { title: "", folderId: null });
  tree = await sourceTree(ctx);
  assert.equal(tree.unfiled[0].name, "Alice's notes");
  await unfollowSource(ctx, source.id);
  assert.equal((await listSources(ctx)).length, 0);
  const items = await ctx.db.kysely.selectFrom("items").select("id").execute();
  assert.equal(items.length, 0);
});
