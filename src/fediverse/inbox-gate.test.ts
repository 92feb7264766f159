import assert from "node:assert/strict";
import http from "node:http";
import { after, before, test } from "node:test";
import { signRequest } from "@fedify/fedify";
import { Follow } from "@fedify/vocab";
import { createApp } from "../app.ts";
import { savePost, saveTheme, systemActor } from "../content/testing.ts";
import { itemStore } from "../conversation/testing.ts";
import { createTestContext } from "../lib/testing.ts";
import { block } from "./account.ts";
import { followerStore } from "./relations-store.ts";
import { type Peer, type ServedSite, serveSite, startPeer } from "./testing.ts";

// Bad input at the inbox: each is refused with a 4xx before anything is stored.
let site: ServedSite;
let peer: Peer;
let postId = 0;
before(async () => {
  site = await serveSite();
  peer = await startPeer("bob", "127.0.0.3");
  const theme = await saveTheme(site.ctx, { name: "Craft", slug: "craft" });
  const note = { kind: "note", title: "A note", slug: "n1", body: "Hi.", themeIds: [theme.id], status: "published" };
  postId = (await savePost(site.ctx, systemActor, note)).id;
});
after(async () => {
  await peer.close();
  await site.close();
});

const inbox = () => `${site.origin}/ap/inbox`;
const signed = async (body: string, keyId = peer.keyId) =>
  signRequest(
    new Request(inbox(), { method: "POST", body, headers: { "content-type": "application/activity+json" } }),
    peer.privateKey,
    keyId,
  );
const like = (object: string, n: number) =>
  JSON.stringify({
    "@context": "https://www.w3.org/ns/activitystreams",
    id: `${peer.actorUri}#likes/${n}`,
    type: "Like",
    actor: peer.actorUri,
    object,
  });
const reply = (inReplyTo: string) =>
  JSON.stringify({
    "@context": "https://www.w3.org/ns/activitystreams",
    id: `${peer.actorUri}#create/9`,
    type: "Create",
    actor: peer.actorUri,
    object: { id: `${peer.actorUri}/statuses/9`, type: "Note", attributedTo: peer.actorUri, inReplyTo, content: "Hi" },
  });

/** The answer to a request whose body the server may refuse before reading it all (fetch would fail). */
function answerOf(req: Request): Promise<{ status: number; type: string; text: string }> {
  return req.arrayBuffer().then(
    (body) =>
      new Promise((resolve, reject) => {
        const out = http.request(req.url, { method: req.method, headers: Object.fromEntries(req.headers) }, (res) => {
          let text = "";
          res.setEncoding("utf8");
          res.on("data", (d) => {
            text += d;
          });
          res.on("end", () =>
            resolve({ status: res.statusCode ?? 0, type: String(res.headers["content-type"] ?? ""), text }),
          );
        });
        out.on("error", reject);
        out.end(Buffer.from(body));
      }),
  );
}

test("unsigned, badly signed, replayed, malformed, unknown and oversized activities get a 4xx", async () => {
  const objectUri = `${site.origin}/ap/posts/${postId}`;
  const unsigned = await fetch(inbox(), {
    method: "POST",
    body: like(objectUri, 1),
    headers: { "content-type": "application/activity+json" },
  });
  assert.equal(unsigned.status, 401);

  // Signed, then the body changed: the digest no longer matches.
  const good = await signed(like(objectUri, 2));
  const tampered = await fetch(new Request(good, { body: like(objectUri, 3), duplex: "half" } as RequestInit));
  assert.equal(tampered.status, 401);

  const first = await signed(like(objectUri, 4));
  const replay = first.clone();
  assert.equal((await fetch(first)).status, 202);
  assert.equal((await fetch(replay)).status, 401, "the same signature twice is a replay");

  assert.equal((await fetch(await signed("{not json"))).status, 400);
  const unknown = JSON.stringify({ id: `${peer.actorUri}#x`, type: "Frobnicate", actor: peer.actorUri });
  assert.equal((await fetch(await signed(unknown))).status, 400);
  assert.equal((await fetch(await signed(reply(`${site.origin}/posts/no-such-post`)))).status, 404);
  const big = await signed(JSON.stringify({ type: "Create", actor: peer.actorUri, pad: "x".repeat(300 * 1024) }));
  const refused = await answerOf(big);
  assert.equal(refused.status, 413);
  assert.match(refused.type, /^text\/plain/, "plain text for a server, not a page about forms");
  assert.match(refused.text, /^The body is 30\d KB: this address takes at most 256 KB\.$/m);
  // A key whose actor cannot be fetched (nothing listens there).
  const ghost = await signed(like(objectUri, 5), new URL("http://127.0.0.9:9/users/ghost#main-key"));
  assert.equal((await fetch(ghost)).status, 401);

  await site.ctx.runner.drain();
  const items = await itemStore(site.ctx.db).byAuthor(`ap:${peer.actorUri}`);
  assert.deepEqual(
    items.map((i) => i.remote_id),
    [`${peer.actorUri}#likes/4`],
    "only the one good like was stored",
  );
});

test("a blocked server's activities get 403 and nothing stored is lost", async () => {
  await block(site.ctx, "127.0.0.3");
  const res = await fetch(await signed(like(`${site.origin}/ap/posts/${postId}`, 6)));
  assert.equal(res.status, 403);
  await site.ctx.runner.drain();
  assert.equal((await itemStore(site.ctx.db).byAuthor(`ap:${peer.actorUri}`)).length, 1);
});

test("a follower whose inbox is on another host (an internal address) is not taken: we would POST there", async () => {
  const mallory = await startPeer("mallory", "127.0.0.10", { inbox: "http://169.254.169.254/latest/meta-data" });
  try {
    await mallory.send(
      (me) => new Follow({ id: new URL(`${me.href}#f`), actor: me, object: new URL(site.actorUri) }),
      inbox(),
      site.actorUri,
    );
    await site.ctx.runner.drain();
    assert.equal(await followerStore(site.ctx.db).byActor(mallory.actorUri), undefined);
  } finally {
    await mallory.close();
  }
});

test("each sending address has a rate limit (whatever server its unverified key names): over it, 429 with Retry-After", async () => {
  const ctx = await createTestContext({ fediPerServerPerMinute: 2 });
  try {
    const app = await createApp(ctx);
    const post = () =>
      app.request("/ap/inbox", {
        method: "POST",
        body: "{}",
        headers: {
          "content-type": "application/activity+json",
          signature: 'keyId="http://127.0.0.1:1/users/x#main-key",signature="x"',
        },
      });
    assert.equal((await app.request("/ap/inbox")).status, 405, "an inbox takes POSTs only");
    assert.notEqual((await post()).status, 429);
    assert.notEqual((await post()).status, 429);
    const over = await post();
    assert.equal(over.status, 429);
    assert.ok(Number(over.headers.get("retry-after")) > 0);
  } finally {
    await ctx.cleanup();
  }
});
