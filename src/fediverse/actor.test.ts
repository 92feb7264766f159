import assert from "node:assert/strict";
import { afterEach, beforeEach, test } from "node:test";
import type { Hono } from "hono";
import { createApp } from "../app.ts";
import { savePost, saveTheme, systemActor } from "../content/testing.ts";
import { closeContext } from "../lib/context.ts";
import type { AppEnv } from "../lib/http/env.ts";
import { anotherProcess, createTestContext, type TestContext } from "../lib/testing.ts";

let ctx: TestContext;
let app: Hono<AppEnv>;
beforeEach(async () => {
  ctx = await createTestContext();
  app = await createApp(ctx);
});
afterEach(() => ctx.cleanup());

const AP = "application/activity+json";
const json = async (res: Response) => (await res.json()) as Record<string, any>;

test("WebFinger finds @owner@host; an unknown account or host is 404", async () => {
  const res = await app.request("/.well-known/webfinger?resource=acct:owner@127.0.0.1:4321");
  assert.equal(res.status, 200);
  const jrd = await json(res);
  assert.equal(jrd.subject, "acct:owner@127.0.0.1:4321");
  const self = jrd.links.find((l: { rel: string }) => l.rel === "self");
  assert.equal(self.type, AP);
  assert.equal(self.href, "http://127.0.0.1:4321/ap/actor/owner");
  assert.equal((await app.request("/.well-known/webfinger?resource=acct:nobody@127.0.0.1:4321")).status, 404);
  assert.equal((await app.request("/.well-known/webfinger")).status, 400);
});

test("the actor is a Person with an RSA key and an Ed25519 multikey, the same in every process", async () => {
  const res = await app.request("/ap/actor/owner", { headers: { accept: AP } });
  assert.equal(res.status, 200);
  const person = await json(res);
  assert.equal(person.type, "Person");
  assert.equal(person.id, "http://127.0.0.1:4321/ap/actor/owner");
  assert.equal(person.preferredUsername, "owner");
  assert.equal(person.inbox, "http://127.0.0.1:4321/ap/actor/owner/inbox");
  assert.equal(person.endpoints.sharedInbox, "http://127.0.0.1:4321/ap/inbox");
  assert.match(person.publicKey.publicKeyPem, /^-----BEGIN PUBLIC KEY-----/);
  const multikeys = [person.assertionMethod].flat().map((m: { publicKeyMultibase: string }) => m.publicKeyMultibase);
  assert.equal(multikeys.length, 2, "both keys as Multikeys");
  assert.ok(
    multikeys.some((k: string) => k.startsWith("z6Mk")),
    "one of them Ed25519",
  );
  const other = await anotherProcess(ctx);
  try {
    const again = await json(await (await createApp(other)).request("/ap/actor/owner", { headers: { accept: AP } }));
    assert.equal(again.publicKey.publicKeyPem, person.publicKey.publicKeyPem, "one identity");
  } finally {
    await closeContext(other);
  }
  assert.equal((await app.request("/ap/actor/nobody", { headers: { accept: AP } })).status, 404);
  // A browser asking for the actor's page gets the site's answer, not JSON.
  const html = await app.request("/ap/actor/owner", { headers: { accept: "text/html" } });
  assert.notEqual(html.headers.get("content-type"), AP);
});

test("NodeInfo 2.1 is linked from /.well-known/nodeinfo", async () => {
  const wk = await json(await app.request("/.well-known/nodeinfo"));
  const link = wk.links.find((l: { rel: string }) => l.rel.endsWith("/2.1"));
  assert.equal(link.href, "http://127.0.0.1:4321/nodeinfo/2.1");
  const info = await json(await app.request("/nodeinfo/2.1"));
  assert.equal(info.software.name, "liner-notes");
  assert.deepEqual(info.protocols, ["activitypub"]);
});

test("every page links back to the account's URL with rel=me (Mastodon's verified link) and names the account", async () => {
  const res = await app.request("/");
  const page = await res.text();
  assert.match(page, /<link rel="me" href="http:\/\/127\.0\.0\.1:4321\/">/);
  assert.match(page, /Fediverse: @owner@127\.0\.0\.1:4321/, "the footer names the account");
});

test("the outbox counts the public posts and pages them; a cursor out of range is the first page", async () => {
  const theme = await saveTheme(ctx, { name: "Craft", slug: "craft" });
  await savePost(ctx, systemActor, {
    kind: "note",
    title: "One",
    slug: "one",
    body: "Hi.",
    themeIds: [theme.id],
    status: "published",
  });
  await savePost(ctx, systemActor, {
    kind: "note",
    title: "Draft",
    slug: "draft",
    body: "Hi.",
    themeIds: [theme.id],
    status: "draft",
  });
  const outbox = await json(await app.request("/ap/actor/owner/outbox", { headers: { accept: AP } }));
  assert.equal(outbox.totalItems, 1);
  const huge = await app.request("/ap/actor/owner/outbox?cursor=99999999999999999999", { headers: { accept: AP } });
  assert.equal(huge.status, 200);
  assert.equal(((await huge.json()) as { orderedItems: unknown[] | unknown }).orderedItems !== undefined, true);
  const info = await json(await app.request("/nodeinfo/2.1"));
  assert.equal(info.usage.localPosts, 1);
  const featured = await json(await app.request("/ap/actor/owner/featured", { headers: { accept: AP } }));
  assert.equal(featured.totalItems, 0);
});
