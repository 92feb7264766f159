import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import type { Hono } from "hono";
import type { Browser } from "../auth/testing.ts";
import { saveTheme } from "../content/testing.ts";
import type { AppEnv } from "../lib/http/env.ts";
import type { TestContext } from "../lib/testing.ts";
import { addLinkedIn, addMastodon } from "./accounts.ts";
import type { FakeLinkedIn } from "./fake-linkedin.ts";
import type { FakeMastodon } from "./fake-mastodon.ts";
import { type FakesWorld, fakesWorld } from "./testing.ts";

// A sent copy after its post changed: updated or deleted from the editor, through the admin's HTTP
// forms, on the Mastodon and LinkedIn fakes written from their API docs. (Bluesky's deletion and
// threads run against a real PDS in bluesky.test.ts.)
let ctx: TestContext;
let app: Hono<AppEnv>;
let owner: Browser;
let mastodon: FakeMastodon;
let linkedin: FakeLinkedIn;
let themeId = "";

let w: FakesWorld;

before(async () => {
  w = await fakesWorld();
  ({ ctx, app, owner, mastodon, linkedin } = w);
  themeId = String((await saveTheme(ctx, { name: "Craft", slug: "craft" })).id);
  await addMastodon(ctx, { instance: mastodon.url, token: mastodon.token });
  await addLinkedIn(ctx, { token: linkedin.token });
});
after(() => w?.close());

const hidden = (page: string) => /name="syndAccounts" value="([^"]*)"/.exec(page)?.[1]?.replaceAll("&quot;", '"') ?? "";
const fields = (title: string, body: string) => ({
  title,
  kind: "note",
  summary: "",
  body,
  themeIds: [themeId],
  action: "publish",
});

/** A note published to both accounts (Mastodon with a content warning); its id. */
async function publishedToBoth(title: string): Promise<number> {
  const page = await (await owner.request("/admin/posts/new?kind=note")).text();
  const res = await owner.form("/admin/posts/new", {
    ...fields(title, `${title}: the first words.`),
    syndAccounts: hidden(page),
    synd_1: "1",
    syndText_1: "",
    syndCw_1: "Work talk",
    synd_2: "1",
    syndText_2: "",
  });
  assert.equal(res.status, 303, await res.clone().text());
  await ctx.runner.drain();
  return Number(/\/admin\/posts\/(\d+)/.exec(res.headers.get("location") ?? "")?.[1]);
}

test("a content warning goes with the Mastodon copy; after an edit of the post, Update sends the new text there", async () => {
  const id = await publishedToBoth("Pricing");
  const status = mastodon.statuses.at(-1);
  assert.equal(status?.spoiler, "Work talk");
  assert.match(status?.text ?? "", /^Pricing: the first words\./);
  ctx.setNow(new Date(Date.now() + 60_000));
  let page = await (await owner.request(`/admin/posts/${id}`)).text();
  const saved = await owner.form(`/admin/posts/${id}`, {
    ...fields("Pricing", "Pricing: better words."),
    action: "save",
    syndAccounts: hidden(page),
  });
  assert.equal(saved.status, 303, await saved.clone().text());
  page = await (await owner.request(`/admin/posts/${id}`)).text();
  assert.match(page, /The post changed after this copy went out\./);
  const [mCopy, lCopy] = [...page.matchAll(/copies\/(\d+)\/update/g)].map((m) => Number(m[1]));
  assert.ok(mCopy && lCopy, "both offer an update");

  // Mastodon: empty text → made from the post as it is now; the warning and the media stay.
  // Its page offers the post as it is now, editable; sent as it stands.
  const offer = await (await owner.request(`/admin/syndication/copies/${mCopy}/update`)).text();
  const proposed = /<textarea id="copy-text" name="text"[^>]*>([^<]*)<\/textarea>/.exec(offer)?.[1] ?? "";
  assert.match(proposed, /^Pricing: better words\./);
  assert.match(offer, /<blockquote class="copy-text">Pricing: the first words\./, "what is there now");
  const up = await owner.form(`/admin/syndication/copies/${mCopy}/update`, {
    text: proposed.replaceAll("&amp;", "&").replaceAll("&#39;", "'"),
  });
  assert.equal(up.headers.get("location"), `/admin/posts/${id}?msg=copy-updated`);
  assert.equal(status?.edits, 1);
  assert.match(status?.text ?? "", /^Pricing: better words\./);
  assert.equal(status?.spoiler, "Work talk");
  // LinkedIn: the owner's own words, escaped as its "little text" wants.
  await owner.form(`/admin/syndication/copies/${lCopy}/update`, { text: "Now (better)." });
  assert.equal(linkedin.posts.at(-1)?.commentary, "Now \\(better\\).");
  const copies = await ctx.db.kysely.selectFrom("synd_copies").select(["text"]).where("post_id", "=", id).execute();
  assert.deepEqual(
    copies.map((c) => c.text.split("\n")[0]),
    ["Pricing: better words.", "Now (better)."],
    "the copies' texts are what went",
  );
});

test("Delete asks first, deletes there, unlinks the post; ticked again it goes afresh; a failure keeps the copy", async () => {
  const id = await publishedToBoth("Retainers");
  const page = await (await owner.request(`/admin/posts/${id}`)).text();
  const [mCopy, lCopy] = [...page.matchAll(/copies\/(\d+)\/delete/g)].map((m) => Number(m[1]));
  const ask = await owner.request(`/admin/syndication/copies/${mCopy}/delete`);
  assert.equal(ask.status, 200);
  assert.match(await ask.text(), /Delete the copy on Mastodon .* It cannot be undone\./s);
  const statusesBefore = mastodon.statuses.length;
  const sentStatus = mastodon.statuses.at(-1);
  assert.match((await (await app.request("/posts/retainers")).text()) ?? "", /u-syndication/);

  // LinkedIn down: the copy stays sent, with LinkedIn's message on the post.
  linkedin.failNext("down");
  const failed = await owner.form(`/admin/syndication/copies/${lCopy}/delete`, {});
  assert.equal(failed.status, 502);
  assert.match(await failed.text(), /Not deleted: LinkedIn is failing/);
  assert.match(await (await owner.request(`/admin/posts/${id}`)).text(), /Not changed: LinkedIn is failing/);
  assert.equal(linkedin.posts.at(-1)?.deleted, undefined);

  assert.equal((await owner.form(`/admin/syndication/copies/${mCopy}/delete`, {})).status, 303);
  assert.equal(sentStatus?.deleted, true);
  assert.equal((await owner.form(`/admin/syndication/copies/${lCopy}/delete`, {})).status, 303);
  assert.equal(linkedin.posts.at(-1)?.deleted, true);
  const home = await (await app.request("/posts/retainers")).text();
  assert.doesNotMatch(home, /u-syndication/, "the post no longer links to deleted copies");
  const again = await owner.form(`/admin/syndication/copies/${mCopy}/delete`, {});
  assert.equal(again.status, 400, "a deleted copy is not deleted twice");

  // Ticked again: a new copy goes (a new idempotency key, so Mastodon makes a new status).
  ctx.setNow(new Date(Date.now() + 120_000));
  const editor = await (await owner.request(`/admin/posts/${id}`)).text();
  assert.match(editor, /name="synd_1" value="1"> Mastodon/, "unticked after the deletion");
  assert.match(editor, /<textarea id="syndText_1" name="syndText_1"[^>]*><\/textarea>/, "its old words are not kept");
  await owner.form(`/admin/posts/${id}`, {
    ...fields("Retainers", "Retainers: the first words."),
    syndAccounts: hidden(editor),
    synd_1: "1",
    syndText_1: "",
  });
  await ctx.runner.drain();
  assert.equal(mastodon.statuses.length, statusesBefore + 1);
  assert.notEqual(mastodon.statuses.at(-1)?.id, sentStatus?.id);
});

test("a send cut off by a crash: Mastodon's copy goes again without a second status; LinkedIn's waits for the owner", async () => {
  const id = await publishedToBoth("Cut off");
  const [m, l] = [mastodon.statuses.length, linkedin.posts.length];
  // The process died after each platform took the copy, before it was marked sent.
  const crashAt = ctx.now();
  await ctx.db.kysely
    .updateTable("synd_copies")
    .set({ status: "sending", updated_at: crashAt.toISOString() })
    .where("post_id", "=", id)
    .execute();
  const { SEND_JOB } = await import("./targets.ts");
  const copies = await ctx.db.kysely.selectFrom("synd_copies").selectAll().where("post_id", "=", id).execute();
  for (const c of copies) await ctx.jobs.enqueue(SEND_JOB, { copyId: c.id }); // the jobs back after their lease
  await ctx.runner.drain();
  const statusOf = async () =>
    (
      await ctx.db.kysely.selectFrom("synd_copies").select(["status", "last_error"]).where("post_id", "=", id).execute()
    ).map((c) => `${c.status}: ${c.last_error ?? ""}`);
  assert.deepEqual(await statusOf(), ["sending: ", "sending: "], "it may still be going: not touched yet");
  ctx.setNow(new Date(crashAt.getTime() + 11 * 60_000));
  await ctx.runner.drain();
  const [mastodonCopy, linkedinCopy] = await statusOf();
  assert.equal(mastodonCopy, "sent: ");
  assert.equal(mastodon.statuses.length, m, "Mastodon found the first status by its Idempotency-Key");
  assert.match(linkedinCopy, /^failed: The send was cut off: LinkedIn may have the post already/);
  assert.equal(linkedin.posts.length, l, "not sent again by itself");
});
