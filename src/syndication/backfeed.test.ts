import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { savePost, saveTheme, systemActor } from "../content/testing.ts";
import { createTestContext, type TestContext } from "../lib/testing.ts";
import { addMastodon } from "./accounts.ts";
import { MAX_INTERVAL_S, MIN_INTERVAL_S, nextInterval } from "./backfeed.ts";
import { type FakeMastodon, startFakeMastodon } from "./fake-mastodon.ts";
import { syndicate } from "./syndicate.ts";
import { registerSyndicationJobs } from "./targets.ts";

// Mastodon's notifications API faked from its documentation (fake-mastodon.ts).
let ctx: TestContext;
let mastodon: FakeMastodon;
let now = new Date("2026-12-07T10:00:00Z").getTime();
const at = (ms: number) => {
  now = ms;
  ctx.setNow(new Date(now));
};

before(async () => {
  mastodon = await startFakeMastodon();
  ctx = await createTestContext();
  at(now);
  const theme = await saveTheme(ctx, { name: "Craft", slug: "craft" });
  await savePost(ctx, systemActor, {
    kind: "note",
    title: "Hello",
    slug: "hello",
    body: "Hi.",
    themeIds: [theme.id],
    status: "published",
  });
  await addMastodon(ctx, { instance: mastodon.url, token: mastodon.token });
  await registerSyndicationJobs(ctx);
  const [sent] = await syndicate(ctx, "hello", ["mastodon"]);
  assert.ok(sent.url, sent.error);
});
after(async () => {
  await ctx?.cleanup();
  await mastodon?.close();
});

const items = () => ctx.db.kysely.selectFrom("conversation_items").selectAll().orderBy("id").execute();
const account = () => ctx.db.kysely.selectFrom("synd_accounts").selectAll().executeTakeFirstOrThrow();
const polls = () => mastodon.requests.get("/api/v1/notifications") ?? 0;

test("polls back off while nothing happens: 5 min doubling to 6 h", () => {
  assert.equal(nextInterval(MIN_INTERVAL_S, 0), 600);
  assert.equal(nextInterval(MAX_INTERVAL_S, 0), MAX_INTERVAL_S);
  assert.equal(nextInterval(MAX_INTERVAL_S, 3), MIN_INTERVAL_S);
});

test("a reply, a favourite and a boost of the copy come home; others' statuses are not ours", async () => {
  await ctx.runner.drain();
  assert.equal(polls(), 1, "one request a poll, however many copies");
  assert.equal((await account()).poll_interval_s, 600, "nothing yet: the next poll waits longer");
  mastodon.notify("mention", {
    statusId: "1000",
    content: '<p>So true, <a href="https://x.example/more">more here</a>!</p><script>alert(1)</script>',
  });
  mastodon.notify("favourite", { statusId: "1000", who: "carol" });
  mastodon.notify("reblog", { statusId: "1000", who: "dave" });
  mastodon.notify("mention", { statusId: "77", content: "<p>About something else</p>" });
  at(now + 5 * 60_000);
  await ctx.runner.drain();
  assert.equal(polls(), 1, "not before its time");
  at(now + 6 * 60_000);
  await ctx.runner.drain();
  assert.equal(polls(), 2);
  const got = await items();
  assert.deepEqual(
    got.map((i) => [i.kind, i.author_name, i.status]),
    [
      ["reply", "Bob B", "pending"],
      ["like", "carol", "approved"],
      ["repost", "dave", "approved"],
    ],
  );
  assert.match(got[0].html, /So true, <a href="https:\/\/x\.example\/more"[^>]*>more here<\/a>!/);
  assert.doesNotMatch(got[0].html, /script/, "sanitized like a comment");
  assert.equal(got[0].author_photo, "https://other.example/avatars/bob.png");
  assert.equal(got[0].remote_id, "https://other.example/users/bob/statuses/5000", "its ActivityPub id");
  assert.equal((await account()).poll_interval_s, MIN_INTERVAL_S, "activity: back to 5 min");

  // Seen again (a reset cursor), or arriving by ActivityPub under the same id: still once.
  await ctx.db.kysely.updateTable("synd_accounts").set({ poll_cursor: null }).execute();
  at(now + 6 * 60_000);
  await ctx.runner.drain();
  assert.equal((await items()).filter((i) => i.kind === "reply").length, 1);
});

test("a reply deeper in the thread that notified nobody comes home through the copy's context, while the copy is young", async () => {
  const reply = mastodon.notifications.find((n) => n.type === "mention" && n.status?.in_reply_to_id === "1000");
  mastodon.notify("mention", {
    statusId: reply?.status?.id ?? "",
    who: "erin",
    content: "<p>Agreed with Bob.</p>",
    quiet: true,
  });
  const contexts = () => mastodon.requests.get("/api/v1/statuses/1000/context") ?? 0;
  const before = contexts();
  at(now + 12 * 60_000);
  await ctx.runner.drain();
  assert.equal(contexts(), before + 1);
  const erin = (await items()).find((i) => i.author_name === "erin");
  assert.equal(erin?.kind, "reply");
  assert.equal(erin?.text, "Agreed with Bob.");
  at(now + 3 * 24 * 3600_000);
  await ctx.runner.drain();
  const idle = contexts();
  at(now + 4 * 24 * 3600_000);
  await ctx.runner.drain();
  assert.equal(contexts(), idle, "an old copy with nothing new: its thread is not read");
});

test("a revoked token is said once on the account and polling stops", async () => {
  mastodon.failNext("revoked", "/api/v1/notifications");
  at(now + 7 * 3600_000);
  await ctx.runner.drain();
  const a = await account();
  assert.equal(a.status, "error");
  assert.match(a.last_error ?? "", /refused the token \(The access token is invalid\)/);
  const before = polls();
  at(now + 30 * 3600_000);
  await ctx.runner.drain();
  assert.equal(polls(), before, "no more polls until a check works");
  assert.equal(await ctx.jobs.hasKey("backfeed:1"), false);
});
