import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import type { Hono } from "hono";
import { createApp } from "../app.ts";
import { type Browser, signIn } from "../auth/testing.ts";
import type { AppEnv } from "../lib/http/env.ts";
import { createTestContext, type TestContext } from "../lib/testing.ts";
import { CLIENT, type FakeLinkedIn, startFakeLinkedIn } from "./fake-linkedin.ts";
import { type FakeMastodon, startFakeMastodon } from "./fake-mastodon.ts";

// "Sign in with Mastodon / LinkedIn" (OAuth 2.0 authorization code) through the admin's HTTP
// routes, against the fakes written from Mastodon's and LinkedIn's OAuth docs: the owner's
// browser goes there, is sent back with a code, and the account is connected.
let ctx: TestContext;
let app: Hono<AppEnv>;
let owner: Browser;
let mastodon: FakeMastodon;
let linkedin: FakeLinkedIn;

before(async () => {
  mastodon = await startFakeMastodon();
  linkedin = await startFakeLinkedIn();
  ctx = await createTestContext({ linkedinApi: linkedin.url });
  app = await createApp(ctx);
  owner = await signIn(ctx, app);
});
after(async () => {
  await ctx?.cleanup();
  await mastodon?.close();
  await linkedin?.close();
});

/** Begin at `path`; follow the platform's answer back to the site; the site's response. */
async function roundTrip(path: string, fields: Record<string, string> = {}) {
  const begin = await owner.form(path, fields);
  assert.equal(begin.status, 200, await begin.clone().text());
  const page = await begin.text();
  // Not a redirect (the admin's CSP allows forms to lead only here): a page that goes on by itself.
  const to = /<meta http-equiv="refresh" content="0;url=([^"]+)">/.exec(page)?.[1]?.replaceAll("&amp;", "&") ?? "";
  assert.ok(page.includes(`<a class="button primary" href="${to.replaceAll("&", "&amp;")}">Continue to`), page);
  const there = await fetch(to, { redirect: "manual" });
  assert.equal(there.status, 302, await there.clone().text());
  const back = new URL(there.headers.get("location") ?? "");
  assert.equal(back.pathname, "/admin/accounts/oauth/callback");
  return { back: back.pathname + back.search, done: await owner.request(back.pathname + back.search) };
}

test("Sign in with Mastodon registers the app, comes back with a code and connects the account", async () => {
  const page = await (await owner.request("/admin/accounts")).text();
  assert.match(page, /formaction="\/admin\/accounts\/mastodon\/authorize"/);
  const { back, done } = await roundTrip("/admin/accounts/mastodon/authorize", { instance: mastodon.url });
  assert.equal(done.headers.get("location"), "/admin/accounts?msg=connected");
  assert.equal(mastodon.apps.length, 1);
  assert.equal(mastodon.apps[0].redirect, `${ctx.config.baseUrl}/admin/accounts/oauth/callback`);
  const rows = await ctx.db.kysely.selectFrom("synd_accounts").select(["platform", "handle", "secret_hint"]).execute();
  assert.deepEqual(rows, [
    { platform: "mastodon", handle: `@alice@${new URL(mastodon.url).host}`, secret_hint: "••••6789" },
  ]);
  const replay = await owner.request(back);
  assert.equal(replay.status, 400, "the state is good for one sign-in");
  assert.match(await replay.text(), /This sign-in has expired or was begun in another browser/);
});

test("a refusal there, a state that differs, an instance that is not one: said on the page, nothing stored", async () => {
  mastodon.oauth.deny = true;
  const denied = await roundTrip("/admin/accounts/mastodon/authorize", { instance: mastodon.url });
  mastodon.oauth.deny = false;
  assert.equal(denied.done.status, 400);
  assert.match(await denied.done.text(), /did not grant access \(access_denied: The resource owner/);

  const begin = await (await owner.form("/admin/accounts/mastodon/authorize", { instance: mastodon.url })).text();
  const state = /[?&amp;]state=([\w-]+)/.exec(begin)?.[1];
  assert.ok(state);
  const forged = await owner.request("/admin/accounts/oauth/callback?code=stolen&state=someone-elses-state-xx");
  assert.equal(forged.status, 400);
  assert.match(await forged.text(), /state differs/);

  const notMastodon = await owner.form("/admin/accounts/mastodon/authorize", { instance: "not a url" });
  assert.equal(notMastodon.status, 400);
  assert.match(await notMastodon.text(), /instance/);
  const count = await ctx.db.kysely.selectFrom("synd_accounts").select("id").execute();
  assert.equal(count.length, 1, "only the first sign-in's account");
  assert.equal(mastodon.apps.length, 1, "the site's app on the instance is registered once, then reused");
});

test("Sign in with LinkedIn needs the owner's LinkedIn app; with it, connects, and signing in again renews the token", async () => {
  const unset = await owner.form("/admin/accounts/linkedin/authorize", {});
  assert.equal(unset.status, 400);
  assert.match(await unset.text(), /set LINER_LINKEDIN_CLIENT_ID and LINER_LINKEDIN_CLIENT_SECRET/);

  ctx.config.linkedinOAuth = { origin: linkedin.url, clientId: CLIENT.id, clientSecret: CLIENT.secret };
  const { done } = await roundTrip("/admin/accounts/linkedin/authorize");
  assert.equal(done.headers.get("location"), "/admin/accounts?msg=connected");
  const li = await ctx.db.kysely
    .selectFrom("synd_accounts")
    .selectAll()
    .where("platform", "=", "linkedin")
    .executeTakeFirstOrThrow();
  assert.equal(li.handle, "urn:li:person:abc123");

  // The token was revoked there: a check says so; signing in again renews it on the same account.
  linkedin.failNext("revoked");
  assert.equal((await owner.form(`/admin/accounts/${li.id}/check`, {})).status, 502);
  const again = await roundTrip("/admin/accounts/linkedin/authorize");
  assert.equal(again.done.headers.get("location"), "/admin/accounts?msg=connected");
  const after = await ctx.db.kysely
    .selectFrom("synd_accounts")
    .selectAll()
    .where("platform", "=", "linkedin")
    .execute();
  assert.equal(after.length, 1, "the same account");
  assert.equal(after[0].status, "ok");
});

test("an instance on a private address is refused with how to allow it (LINER_ALLOW_PRIVATE_FETCH)", async () => {
  const guarded = await createTestContext({ allowPrivateFetch: false });
  try {
    const { addMastodon } = await import("./accounts.ts");
    await assert.rejects(addMastodon(guarded, { instance: mastodon.url, token: mastodon.token }), (err: Error) => {
      assert.match(err.message, /unless LINER_ALLOW_PRIVATE_FETCH=1 is set\.$/);
      return true;
    });
    assert.equal((await guarded.db.kysely.selectFrom("synd_accounts").select("id").execute()).length, 0);
  } finally {
    await guarded.cleanup();
  }
});
