import assert from "node:assert/strict";
import type http from "node:http";
import { after, before, test } from "node:test";
import type { Hono } from "hono";
import type { AppEnv } from "../lib/http/env.ts";
import { serve, type TestServer } from "../lib/net/test-server.ts";
import { createTestContext, type TestContext } from "../lib/testing.ts";
import { registerConversationJobs } from "./jobs.ts";
import { recordRemoteItem } from "./remote.ts";
import { crossKeys } from "./same-item.ts";
import { postWithApp } from "./testing.ts";

const DID = "did:plc:bobbobbobbobbobbobbob";
const RKEY = "3lbqz7xwkqs2c";
const AT = `at://${DID}/app.bsky.feed.post/${RKEY}`;
const BSKY = `https://bsky.app/profile/bob.test/post/${RKEY}`;

test("crossKeys: the same Bluesky post under its at:// URI, a bsky.app link, Bridgy Fed's and Bridgy's URLs", () => {
  const key = `bsky:${RKEY}`;
  assert.deepEqual(crossKeys(AT), [key]);
  assert.deepEqual(crossKeys(BSKY), [key]);
  assert.deepEqual(crossKeys(`https://bsky.brid.gy/convert/ap/${AT}`), [key]);
  const bridgy = `https://brid.gy/comment/bluesky/${DID}/${encodeURIComponent("at://did:plc:alice/app.bsky.feed.post/3laaaaaaaaaaa")}/${encodeURIComponent(AT)}`;
  assert.deepEqual(crossKeys(bridgy), [key], "the reply's URI, the last of the two");
  assert.deepEqual(crossKeys("https://Other.example/@bob/5000/"), ["url:other.example/@bob/5000"]);
  assert.deepEqual(crossKeys(null, "", "not a url"), []);
});

let ctx: TestContext;
let app: Hono<AppEnv>;
let postId = 0;
let source: TestServer;
before(async () => {
  ctx = await createTestContext();
  ({ app, postId } = await postWithApp(ctx));
  registerConversationJobs(ctx);
  // Bridgy's page for the Bluesky reply: an h-entry whose u-url is the reply on bsky.app.
  source = await serve((_req: http.IncomingMessage, res: http.ServerResponse) => {
    res.writeHead(200, { "content-type": "text/html; charset=utf-8" }).end(
      `<article class="h-entry"><a class="u-url" href="${BSKY}">#</a>
       <a class="u-in-reply-to" href="http://127.0.0.1:4321/posts/hello">re</a>
       <span class="p-author h-card"><a class="u-url p-name" href="https://bsky.app/profile/bob.test">Bob</a></span>
       <p class="e-content p-name">Good point.</p></article>`,
    );
  });
});
after(async () => {
  await source?.close();
  await ctx?.cleanup();
});

test("a Bluesky reply brought home by backfeed, again by Bridgy Fed (ActivityPub) and by Bridgy (Webmention), appears once", async () => {
  const base = {
    postId,
    parentId: null,
    kind: "reply" as const,
    html: "<p>Good point.</p>",
    text: "Good point.",
    publishedAt: "2026-03-01T11:00:00Z",
  };
  const first = await recordRemoteItem(ctx, {
    ...base,
    via: "bluesky",
    remoteId: AT,
    author: { key: `bsky:${DID}`, name: "Bob", url: "https://bsky.app/profile/bob.test", photo: "" },
    sourceUrl: BSKY,
  });
  const bridged = await recordRemoteItem(ctx, {
    ...base,
    via: "activitypub",
    remoteId: `https://bsky.brid.gy/convert/ap/${AT}`,
    author: { key: `ap:https://bsky.brid.gy/ap/${DID}`, name: "Bob", url: "https://bsky.brid.gy/ap/bob", photo: "" },
    sourceUrl: `https://bsky.brid.gy/convert/ap/${AT}`,
  });
  assert.equal(bridged.id, first.id);
  const res = await app.request("/webmention", {
    method: "POST",
    body: new URLSearchParams({ source: `${source.origin}/comment`, target: "http://127.0.0.1:4321/posts/hello" }),
    headers: { "content-type": "application/x-www-form-urlencoded" },
  });
  assert.equal(res.status, 201, await res.clone().text());
  await ctx.runner.drain();
  const items = await ctx.db.kysely.selectFrom("conversation_items").select(["id", "via"]).execute();
  assert.deepEqual(items, [{ id: first.id, via: "bluesky" }], "one item, as it first came");
  const received = await ctx.db.kysely.selectFrom("webmentions_in").select(["status", "item_id"]).execute();
  assert.deepEqual(received, [{ status: "verified", item_id: first.id }], "the Webmention points at it");

  // A different reply by the same person is its own item.
  const other = await recordRemoteItem(ctx, {
    ...base,
    via: "bluesky",
    remoteId: `at://${DID}/app.bsky.feed.post/3lbqz7xwkqs2d`,
    author: { key: `bsky:${DID}`, name: "Bob", url: "https://bsky.app/profile/bob.test", photo: "" },
    sourceUrl: "https://bsky.app/profile/bob.test/post/3lbqz7xwkqs2d",
  });
  assert.notEqual(other.id, first.id);
});
