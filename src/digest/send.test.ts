import assert from "node:assert/strict";
import { afterEach, beforeEach, test } from "node:test";
import { createApp } from "../app.ts";
import { addSubscriber, createList } from "../audience/testing.ts";
import { postStore } from "../content/testing.ts";
import { createTestContext, type TestContext } from "../lib/testing.ts";
import { createSend } from "../mail/testing.ts";
import { draftDigest } from "./compose.ts";
import { type QueueSend, sendDigest } from "./publish.ts";
import { digestStore } from "./store.ts";
import { type SavedWorld, savedFromFeed } from "./testing.ts";

let ctx: TestContext;
let world: SavedWorld;
let app: Awaited<ReturnType<typeof createApp>>;
let digestId: number;
beforeEach(async () => {
  ctx = await createTestContext();
  ctx.setNow(new Date("2026-11-20T10:00:00Z"));
  world = await savedFromFeed(ctx);
  ctx.setNow(new Date("2026-11-20T11:00:00Z"));
  app = await createApp(ctx);
  await createList(ctx, { slug: "flash", name: "Flash Report" });
  for (const email of ["cto@example.org", "coo@example.org"])
    await addSubscriber(ctx, { email, list: "flash", confirmed: true, source: "test" });
  digestId = (await draftDigest(ctx, { since: new Date("2026-11-01T00:00:00Z") })).id;
});
afterEach(async () => {
  await ctx.cleanup();
  await world.server.close();
});

const digestPosts = () => postStore(ctx.db).list({ kinds: ["digest"] });
const count = async (table: "mail_sends" | "outbox") =>
  Number(
    (
      await ctx.db.kysely
        .selectFrom(table)
        .select((eb) => eb.fn.countAll().as("n"))
        .executeTakeFirstOrThrow()
    ).n,
  );

test("a send that fails after queueing leaves no post and no mail, and the draft; sending again makes one post", async () => {
  // The send is written, then the step fails: everything of the transaction must go.
  const failing: QueueSend = async (...args) => {
    await createSend(...args);
    throw new Error("outbox unavailable");
  };
  await assert.rejects(sendDigest(ctx, digestId, ["flash"], undefined, failing), /outbox unavailable/);
  assert.deepEqual(await digestPosts(), [], "no stray post");
  assert.equal(await count("mail_sends"), 0);
  assert.equal(await count("outbox"), 0);
  assert.equal(await ctx.jobs.hasKey("mail.deliver"), false, "the delivery job went with the send");
  const draft = await digestStore(ctx.db).byId(digestId);
  assert.equal(draft?.status, "draft");
  assert.equal(draft?.sent_at, null);
  assert.equal(draft?.post_id, null);
  assert.equal((await app.request("/posts/flash-report-week-47")).status, 404);
  assert.doesNotMatch(await (await app.request("/feed.atom")).text(), /Flash Report, week 47/);

  const sent = await sendDigest(ctx, digestId, ["flash"]);
  assert.equal(sent.recipients, 2);
  const posts = await digestPosts();
  assert.equal(posts.length, 1, "exactly one post");
  assert.equal(posts[0].slug, "flash-report-week-47", "the slug was not taken by a post of the failed send");
  assert.match(posts[0].body_html, /class="h-cite digest-entry"/, "the page shows the digest's own markup");
  assert.equal(sent.url, `${ctx.config.baseUrl}/posts/flash-report-week-47`);
  const done = await digestStore(ctx.db).byId(digestId);
  assert.equal(done?.status, "sent");
  assert.equal(done?.post_id, posts[0].id);
  assert.equal(done?.send_id, sent.sendId);
  assert.equal(await count("mail_sends"), 1);
  assert.equal(await count("outbox"), 2);
  assert.equal(await ctx.jobs.hasKey("mail.deliver"), true, "delivery is queued");
  assert.equal((await app.request("/posts/flash-report-week-47")).status, 200);
  assert.match(await (await app.request("/feed.atom")).text(), /Flash Report, week 47/, "no stale cached feed");
});

test("two sends of one draft at once: one goes out, the other is told it has been sent", async () => {
  const results = await Promise.allSettled([
    sendDigest(ctx, digestId, ["flash"]),
    sendDigest(ctx, digestId, ["flash"]),
  ]);
  assert.deepEqual(results.map((r) => r.status).sort(), ["fulfilled", "rejected"]);
  const refused = results.find((r) => r.status === "rejected");
  assert.match(String(refused?.reason), /already been sent/);
  assert.equal((await digestPosts()).length, 1);
  assert.equal(await count("mail_sends"), 1);
  assert.equal(await count("outbox"), 2);
});
