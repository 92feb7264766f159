import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import type { Hono } from "hono";
import { createList, requestSubscription } from "../audience/testing.ts";
import { moderate, postWithApp, sendComment } from "../conversation/testing.ts";
import type { AppEnv } from "../lib/http/env.ts";
import { createTestContext, type TestContext } from "../lib/testing.ts";
import { signToken } from "../lib/tokens.ts";
import { REREAD_AFTER_MS, registerOutcomeJobs } from "./outcomes.ts";
import { rollToday } from "./rollup.ts";
import { counterOf } from "./sink.ts";
import { insightStore } from "./store.ts";
import { viewRow } from "./testing.ts";

// Outcomes said by the modules they happen in (a comment, a confirmed subscription, a follower),
// each attributed to the visit it came from, through the site's real routes.
let ctx: TestContext;
let app: Hono<AppEnv>;
let postId = 0;
const READER = {
  "user-agent": "Mozilla/5.0 (X11; Linux x86_64; rv:133.0) Gecko/20100101 Firefox/133.0",
  "x-forwarded-for": "203.0.113.50",
};

before(async () => {
  ctx = await createTestContext({ trustProxy: { hops: 1 } });
  ({ app, postId } = await postWithApp(ctx));
  await createList(ctx, { slug: "notes", name: "Notes", promise: "One email a month." });
  registerOutcomeJobs(ctx);
});
after(() => ctx?.cleanup());

const outcomes = () => ctx.db.kysely.selectFrom("insight_outcomes").selectAll().orderBy("id").execute();
/** Let the views be written and the attribution jobs run (they wait a few seconds). */
async function settle() {
  await counterOf(ctx).flush();
  ctx.setNow(new Date(ctx.now().getTime() + 6_000));
  await ctx.runner.drain();
}

test("a comment and a subscription after reading: each with its entry page, source and the pages before it", async () => {
  await app.request("/", { headers: { ...READER, referer: "https://hachyderm.io/@bob/1" } });
  // A click from the home page (internal: the visit stays Mastodon's), then a reload: one page read.
  await app.request("/posts/hello", { headers: { ...READER, referer: "http://localhost/" } });
  await app.request("/posts/hello", { headers: READER });
  const res = await sendComment(ctx, app, { post_id: String(postId), name: "Ann", text: "This helped me." }, READER);
  assert.ok(res.status < 400, await res.text());
  // Asked for from this visit (the reader's request), confirmed later from another device.
  const reader = { peer: "local", forwardedFor: READER["x-forwarded-for"], ua: READER["user-agent"] };
  await requestSubscription(
    ctx,
    { email: "ann@example.net", name: "Ann", lists: ["notes"], sourcePage: "/posts/hello" },
    reader,
  );
  const sub = await ctx.db.kysely.selectFrom("subscriptions").select("id").executeTakeFirstOrThrow();
  const token = signToken(ctx.secret, "confirm", String(sub.id), ctx.now().getTime() + 3600_000);
  const phone = { "user-agent": "Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) Mobile/15E148" };
  await settle();
  assert.deepEqual(
    (await outcomes()).map((o) => o.kind),
    ["comment:pending", "subscription:pending"],
    "neither counts yet: the comment waits for the owner, the subscription for its confirmation",
  );
  // The emailed link's page is never counted: its address holds the token (audience's secretPaths).
  const linkPage = await app.request(`/subscribe/confirm/${token}`, {
    headers: { ...READER, "x-forwarded-for": "198.51.100.5" },
  });
  assert.equal(linkPage.status, 200);
  assert.match(linkPage.headers.get("content-type") ?? "", /text\/html/);
  assert.equal((await app.request(`/subscribe/confirm/${token}`, { method: "POST", headers: phone })).status, 200);
  await app.request(`/subscribe/confirm/${token}`, { method: "POST", headers: phone }); // a second click: not again
  const comment = await ctx.db.kysely.selectFrom("conversation_items").select("id").executeTakeFirstOrThrow();
  await moderate(ctx, [comment.id], "approve");
  await settle();
  const rows = await outcomes();
  assert.deepEqual(
    rows.map((o) => ({
      kind: o.kind,
      post: o.post_id,
      entry: o.entry_path,
      source: o.source,
      pages: JSON.parse(o.pages),
    })),
    [
      { kind: "comment", post: postId, entry: "/", source: "mastodon", pages: ["/", "/posts/hello"] },
      // Subscribed with the form under the post: the post is credited.
      { kind: "subscription", post: postId, entry: "/", source: "mastodon", pages: ["/", "/posts/hello"] },
    ],
  );
  assert.match(rows[0].who, /^person:[\w-]{22}$/, "a keyed hash, never the address");
  const paths = (await ctx.db.kysely.selectFrom("insight_views").select("path").execute()).map((v) => v.path);
  assert.ok(paths.includes("/posts/hello"), "pages are counted");
  assert.ok(!paths.some((p) => p.includes(token)), "the token link's page is not");
  assert.equal(rows[1].who.startsWith("subscriber:"), true);
  assert.ok(
    !JSON.stringify(rows).includes("203.0.113.50") && !JSON.stringify(rows).includes("ann@"),
    "nothing personal",
  );
});

test("a forwarded link's visit is a forward, once a visit; an outcome from no visit keeps its own source", async () => {
  const other = { ...READER, "x-forwarded-for": "198.51.100.77" };
  await app.request("/posts/hello?ref=email-share", { headers: other });
  await app.request("/posts/hello?ref=email-share", { headers: other });
  await counterOf(ctx).flush();
  await ctx.host.emit(ctx, "outcome", { kind: "follower", who: "ap:https://other.example/users/bob", postId });
  await settle();
  const rows = (await outcomes()).filter((o) => o.kind === "forward" || o.kind === "follower");
  assert.deepEqual(
    rows.map((o) => [o.kind, o.entry_path, o.source, o.post_id]),
    [
      ["forward", "/posts/hello", "newsletter", null],
      ["follower", "", "fediverse", postId],
    ],
  );
  // Today's roll-up (the job's, and each CLI command's) links the forward to the post it came to.
  await rollToday(ctx);
  const forward = (await outcomes()).find((o) => o.kind === "forward");
  assert.equal(forward?.post_id, postId);
});

test("views written late (held back while serving was busy) join the outcome's visit when it is read again", async () => {
  const late = { ...READER, "x-forwarded-for": "198.51.100.88" };
  await app.request("/", { headers: { ...late, referer: "https://bsky.app/profile/a" } });
  await counterOf(ctx).flush();
  const [first] = await ctx.db.kysely
    .selectFrom("insight_views")
    .select(["visitor", "day", "at"])
    .orderBy("id", "desc")
    .limit(1)
    .execute();
  const reader = { peer: "local", forwardedFor: late["x-forwarded-for"], ua: late["user-agent"] };
  await ctx.host.emit(ctx, "outcome", { kind: "inquiry", who: "inquiry:late", reader });
  await settle();
  const read = async () =>
    ctx.db.kysely
      .selectFrom("insight_outcomes")
      .select(["pages", "source"])
      .where("who", "=", "inquiry:late")
      .executeTakeFirstOrThrow();
  assert.deepEqual(JSON.parse((await read()).pages), ["/"]);
  // The page read just before the inquiry arrives now, as a held view would.
  const outcomeAt = (
    await ctx.db.kysely
      .selectFrom("insight_outcomes")
      .select("at")
      .where("who", "=", "inquiry:late")
      .executeTakeFirstOrThrow()
  ).at;
  await insightStore(ctx.db).addViews([
    {
      ...viewRow(first.day, first.visitor, "/posts/hello", "internal"),
      at: first.at, // read just after it (a later row), before the inquiry
    },
  ]);
  ctx.setNow(new Date(Date.parse(outcomeAt) + REREAD_AFTER_MS + 1_000));
  await ctx.runner.drain();
  assert.deepEqual(JSON.parse((await read()).pages), ["/", "/posts/hello"]);
  assert.equal((await read()).source, "bluesky");
});
