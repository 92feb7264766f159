// test lanes: sqlite only
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { signRequest } from "@fedify/fedify";
import { savePost, saveTheme, systemActor } from "../content/testing.ts";
import { itemStore } from "../conversation/testing.ts";
import { fixture } from "./testdata/load.ts";
import { type Peer, type ServedSite, serveSite, startPeer } from "./testing.ts";

// Replies as Mastodon, Misskey, Akkoma, GoToSocial and Threads send them (testdata/), delivered
// to the inbox byte for byte but for their addresses: the sender's are the peer's (its key signs
// them), and each answers our post. What each shows in the thread is checked.
let site: ServedSite;
let peer: Peer;
let objectId = "";
before(async () => {
  site = await serveSite();
  peer = await startPeer("zoe", "127.0.0.9");
  const theme = await saveTheme(site.ctx, { name: "Craft", slug: "craft" });
  const post = await savePost(site.ctx, systemActor, {
    kind: "article",
    title: "Columnar thinking",
    slug: "columnar",
    body: "Hi.",
    themeIds: [theme.id],
    status: "published",
  });
  objectId = `${site.origin}/ap/posts/${post.id}`;
});
after(async () => {
  await peer.close();
  await site.close();
});

/** A fixture as the peer would send it: its actor and origin replaced, answering our post. */
function asPeer(name: string): { body: string; noteId: string } {
  const raw = fixture(name);
  const actor = String(raw.actor);
  const origin = new URL(actor).origin;
  const text = JSON.stringify(raw)
    .replaceAll(actor, peer.actorUri)
    .replaceAll(actor.replace(/\/$/, ""), peer.actorUri)
    .replaceAll(origin, peer.origin)
    // Akkoma's context lives on its own server; the peer serves only ActivityStreams.
    .replaceAll(`${peer.origin}/schemas/litepub-0.1.jsonld`, "https://www.w3.org/ns/activitystreams");
  const json = JSON.parse(text) as Record<string, any>;
  json.object.inReplyTo = objectId;
  return { body: JSON.stringify(json), noteId: json.object.id };
}

async function deliver(name: string) {
  const { body, noteId } = asPeer(name);
  const req = await signRequest(
    new Request(`${site.origin}/ap/inbox`, {
      method: "POST",
      body,
      headers: { "content-type": "application/activity+json" },
    }),
    peer.privateKey,
    peer.keyId,
  );
  const res = await fetch(req);
  assert.equal(res.status, 202, `${name}: ${await res.text()}`);
  await site.ctx.runner.drain();
  const item = await itemStore(site.ctx.db).byRemote("activitypub", noteId);
  assert.ok(item, `${name} stored`);
  assert.equal(item.kind, "reply");
  assert.equal(item.author_name, "Zoe Peer");
  assert.doesNotMatch(item.html, /<script|onerror|onclick|style=/i, `${name}: sanitized`);
  return item;
}

test("Mastodon: the content warning first, the image as a link with its alt text, mentions kept", async () => {
  const item = await deliver("mastodon-reply.json");
  assert.match(item.html, /^<p><strong>Content warning: Spoilers for the benchmark results<\/strong><\/p>/);
  assert.match(item.html, /Image: Bar chart: row store 41 s, column store 9\.8 s for the same query/);
  assert.match(item.text, /^Spoilers for the benchmark results/);
  assert.match(item.html, /class="[^"]*mention|@<span>|>@/, "the mention stays a link");
});

test("Misskey: a quote post is shown as a link to what it quotes", async () => {
  const item = await deliver("misskey-quote.json");
  assert.match(item.html, /RE: <a href="https?:\/\//);
});

test("Akkoma, GoToSocial and Threads replies are taken and shown", async () => {
  for (const name of ["akkoma-reply.json", "gotosocial-reply.json", "threads-reply.json"]) {
    const item = await deliver(name);
    assert.ok(item.text.length > 0, `${name} has text`);
  }
});
