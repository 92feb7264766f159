import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import type { Hono } from "hono";
import { type Browser, signIn } from "../auth/testing.ts";
import { saveTheme } from "../content/testing.ts";
import type { AppEnv } from "../lib/http/env.ts";
import type { TestContext } from "../lib/testing.ts";
import { addLinkedIn, addMastodon } from "./accounts.ts";
import type { FakeLinkedIn } from "./fake-linkedin.ts";
import type { FakeMastodon } from "./fake-mastodon.ts";
import { type FakesWorld, fakesWorld } from "./testing.ts";

// The post editor's targets, driven through the admin's HTTP forms; Mastodon and LinkedIn are the
// fakes written from their API docs (no real server can run here).
let ctx: TestContext;
let app: Hono<AppEnv>;
let owner: Browser;
let mastodon: FakeMastodon;
let linkedin: FakeLinkedIn;
let themeId = 0;

let w: FakesWorld;

before(async () => {
  w = await fakesWorld();
  ({ ctx, app, owner, mastodon, linkedin } = w);
  themeId = (await saveTheme(ctx, { name: "Craft", slug: "craft" })).id;
  await addMastodon(ctx, { instance: mastodon.url, token: mastodon.token });
  const li = await addLinkedIn(ctx, { token: linkedin.token });
  // LinkedIn starts unticked for notes only (the defaults per kind).
  await ctx.db.kysely
    .updateTable("synd_accounts")
    .set({ default_kinds: '["article"]' })
    .where("id", "=", li.id)
    .execute();
});
after(() => w?.close());

const hidden = (page: string) => /name="syndAccounts" value="([^"]*)"/.exec(page)?.[1]?.replaceAll("&quot;", '"') ?? "";
const post = (fields: Record<string, string>) =>
  owner.form("/admin/posts/new", {
    kind: "article",
    summary: "",
    body: "Text.",
    themeIds: [String(themeId)],
    action: "publish",
    ...fields,
  });

test("a new post's editor lists the accounts, ticked by the kind's defaults", async () => {
  const article = await (await owner.request("/admin/posts/new")).text();
  assert.match(article, /<legend>Also post to<\/legend>/);
  assert.match(
    article,
    /Copies would link to http:\/\/127\.0\.0\.1:4321, which only this machine reaches: set LINER_BASE_URL/,
  );
  assert.match(article, /name="synd_1" value="1" checked> Mastodon \(@alice@127\.0\.0\.1:\d+\)/);
  assert.match(article, /name="synd_2" value="1" checked> LinkedIn/);
  const note = await (await owner.request("/admin/posts/new?kind=note")).text();
  assert.match(note, /name="synd_1" value="1" checked>/);
  assert.match(note, /name="synd_2" value="1"> LinkedIn/, "not ticked for notes");
});

test("an old post, published before any choice, starts unticked: saving a fix sends nothing", async () => {
  const { savePost, systemActor } = await import("../content/testing.ts");
  const old = await savePost(ctx, systemActor, {
    kind: "article",
    title: "From last year",
    slug: "last-year",
    body: "Old.",
    themeIds: [themeId],
    status: "published",
  });
  const page = await (await owner.request(`/admin/posts/${old.id}`)).text();
  assert.match(page, /name="synd_1" value="1"> Mastodon/, "not ticked");
  assert.match(
    page,
    /Share it elsewhere \(opens the site, prefilled\): <a href="https:\/\/x\.com\/intent\/post\?text=From\+last\+year&amp;url=http%3A%2F%2F127\.0\.0\.1%3A4321%2Fposts%2Flast-year" target="_blank" rel="noopener noreferrer">X<\/a>/,
    "share links for a published post",
  );
  const draft = await (await owner.request("/admin/posts/new")).text();
  assert.doesNotMatch(draft, /Share it elsewhere/, "not before it is published");
  const before = mastodon.statuses.length;
  const saved = await owner.form(`/admin/posts/${old.id}`, {
    title: "From last year",
    kind: "article",
    summary: "",
    body: "Old, with a typo fixed.",
    themeIds: [String(themeId)],
    action: "save",
    syndAccounts: hidden(page),
  });
  assert.equal(saved.status, 303, await saved.clone().text());
  await ctx.runner.drain();
  assert.equal(mastodon.statuses.length, before);
});

test("publishing sends the ticked targets as jobs; an edited text goes as edited; unticked stays unticked", async () => {
  const page = await (await owner.request("/admin/posts/new")).text();
  const res = await post({
    title: "Small wins",
    syndAccounts: hidden(page),
    synd_1: "1",
    syndText_1: "",
    syndAt_1: "",
    synd_2: "",
    syndText_2: "",
    syndAt_2: "",
  });
  assert.equal(res.status, 303, await res.clone().text());
  const id = Number(/\/admin\/posts\/(\d+)/.exec(res.headers.get("location") ?? "")?.[1]);
  assert.equal(mastodon.statuses.length, 0, "sent by a job, not in the request");
  await ctx.runner.drain();
  assert.equal(mastodon.statuses.length, 1);
  assert.match(mastodon.statuses[0].text, /^Small wins\n\n.*\/posts\/small-wins\n\n#Craft$/s);
  assert.equal(linkedin.posts.length, 0, "LinkedIn was unticked");
  const editor = await (await owner.request(`/admin/posts/${id}`)).text();
  assert.match(editor, /Mastodon \(@alice@[^)]+\): sent, <a href="[^"]+\/@alice\/1000">/);
  assert.match(editor, /name="synd_2" value="1"> LinkedIn/, "the choice is remembered, not the default again");

  // Ticking LinkedIn later with an edited text: it goes with that text.
  const res2 = await owner.form(`/admin/posts/${id}`, {
    title: "Small wins",
    kind: "article",
    summary: "",
    body: "Text.",
    themeIds: [String(themeId)],
    action: "publish",
    syndAccounts: hidden(editor),
    synd_2: "1",
    syndText_2: "A note for my LinkedIn network (with care).",
    syndAt_2: "",
  });
  assert.equal(res2.status, 303, await res2.clone().text());
  await ctx.runner.drain();
  assert.equal(linkedin.posts.length, 1);
  assert.equal(linkedin.posts[0].commentary, "A note for my LinkedIn network \\(with care\\).");
  assert.equal(mastodon.statuses.length, 1, "Mastodon's copy is not sent again");
});

test("a text over the platform's limit is refused at its field and nothing is saved; a target's own time waits", async () => {
  const page = await (await owner.request("/admin/posts/new")).text();
  const long = await post({
    title: "Too long",
    syndAccounts: hidden(page),
    synd_2: "1",
    syndText_2: "x".repeat(3001),
    syndAt_2: "",
  });
  assert.equal(long.status, 400);
  assert.match(await long.text(), /This is 3001 characters; LinkedIn takes at most 3000\./);
  const longToot = await post({
    title: "Too long",
    syndAccounts: hidden(page),
    synd_1: "1",
    syndText_1: `${"y".repeat(480)} https://example.com/${"z".repeat(60)}`,
  });
  assert.equal(longToot.status, 400);
  assert.match(
    await longToot.text(),
    /This is 504 characters \(a link counts 23\); this Mastodon instance takes at most 500\./,
    "the instance's own limit, read from it",
  );
  assert.equal(
    await ctx.db.kysely.selectFrom("posts").select("id").where("slug", "=", "too-long").executeTakeFirst(),
    undefined,
  );

  ctx.setNow(new Date("2026-12-07T08:00:00Z"));
  const later = await post({
    title: "Tuesday",
    syndAccounts: hidden(page),
    synd_1: "",
    synd_2: "1",
    syndText_2: "",
    syndAt_2: "2026-12-08T09:00",
  });
  assert.equal(later.status, 303, await later.clone().text());
  await ctx.runner.drain();
  assert.equal(linkedin.posts.length, 1, "not before its time");
  ctx.setNow(new Date("2026-12-08T09:01:00Z"));
  await ctx.runner.drain();
  assert.equal(linkedin.posts.length, 2, "at its time");
});

test("Settings → Accounts: a wrong token is refused at its field; the kinds and the check; owners only", async () => {
  const page = await (await owner.request("/admin/accounts")).text();
  assert.match(page, /Mastodon: @alice@127\.0\.0\.1:\d+/);
  assert.match(page, /credential ••••6789/);
  assert.doesNotMatch(page, new RegExp(mastodon.token), "never the credential itself");
  const wrong = await owner.form("/admin/accounts/mastodon", { instance: mastodon.url, token: "nope" });
  assert.equal(wrong.status, 400);
  const body = await wrong.text();
  assert.match(body, /refused the token \(The access token is invalid\)/);
  assert.match(body, new RegExp(`name="instance" type="text" value="${mastodon.url}"`), "what was typed is kept");
  assert.doesNotMatch(body, /value="nope"/, "but not the token");
  assert.equal((await owner.form("/admin/accounts/2/kinds", { kinds: ["note", "bogus"] })).status, 303);
  const li = await ctx.db.kysely
    .selectFrom("synd_accounts")
    .select("default_kinds")
    .where("id", "=", 2)
    .executeTakeFirst();
  assert.equal(li?.default_kinds, '["note"]');
  const check = await owner.form("/admin/accounts/1/check", {});
  assert.equal(check.headers.get("location"), "/admin/accounts?msg=checked");
  linkedin.failNext("revoked");
  const bad = await owner.form("/admin/accounts/2/check", {});
  assert.equal(bad.status, 502);
  assert.match(await bad.text(), /REVOKED_ACCESS_TOKEN/);
  const editor = await signIn(ctx, app, { role: "editor", email: "ed@example.com" });
  assert.equal((await editor.request("/admin/accounts")).status, 403, "owners only");
});

test("a copy that failed shows the platform's message on the post, and Retry now sends it", async () => {
  mastodon.failNext("down", "/api/v1/statuses");
  const page = await (await owner.request("/admin/posts/new")).text();
  const res = await post({ title: "Retry me", syndAccounts: hidden(page), synd_1: "1", synd_2: "" });
  const id = Number(/\/admin\/posts\/(\d+)/.exec(res.headers.get("location") ?? "")?.[1]);
  const before = mastodon.statuses.length;
  await ctx.runner.drain();
  assert.equal(mastodon.statuses.length, before, "the server was down");
  const editorPage = await (await owner.request(`/admin/posts/${id}`)).text();
  assert.match(editorPage, /Not sent: .* is failing \(Service Unavailable\)\./);
  const failedCopy = await ctx.db.kysely
    .selectFrom("synd_copies")
    .select("text")
    .where("post_id", "=", id)
    .executeTakeFirst();
  assert.equal(failedCopy?.text, "", "the text made for the failed try is not kept as the owner's");
  const copyId = Number(/copies\/(\d+)\/retry/.exec(editorPage)?.[1]);
  const retry = await owner.form(`/admin/syndication/copies/${copyId}/retry`, { postId: String(id) });
  assert.equal(retry.status, 303);
  await ctx.runner.drain();
  assert.equal(mastodon.statuses.length, before + 1, "sent on retry");
  await owner.form(`/admin/syndication/copies/${copyId}/retry`, { postId: String(id) });
  await ctx.runner.drain();
  assert.equal(mastodon.statuses.length, before + 1, "a sent copy is not retried");
});
