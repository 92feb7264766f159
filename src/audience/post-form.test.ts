import assert from "node:assert/strict";
import { afterEach, beforeEach, test } from "node:test";
import { createApp } from "../app.ts";
import { createTestContext, type TestContext } from "../lib/testing.ts";
import { seedSite } from "../site/testing.ts";
import { shareMailto } from "./post-footer.ts";
import { createList } from "./service.ts";

let ctx: TestContext;
let app: Awaited<ReturnType<typeof createApp>>;
beforeEach(async () => {
  ctx = await createTestContext({ pageCache: true });
  await seedSite(ctx);
  app = await createApp(ctx);
});
afterEach(() => ctx.cleanup());

const send = (fields: Record<string, string>) =>
  app.request("/subscribe", {
    method: "POST",
    body: new URLSearchParams(fields),
    headers: {
      "content-type": "application/x-www-form-urlencoded",
      referer: "http://127.0.0.1:4321/posts/liner-notes-matter",
    },
  });
const subscriptions = () => ctx.db.kysely.selectFrom("subscriptions").selectAll().execute();

test("every post ends with a mailto share link and, once a public list exists, the subscribe form (cache refreshed)", async () => {
  const before = await (await app.request("/posts/liner-notes-matter")).text();
  assert.match(before, /Email this to a colleague/);
  assert.doesNotMatch(before, /data-subscribe/, "no form while there is nothing to subscribe to");
  const mailto = /<a href="(mailto:[^"]+)">Email this to a colleague/.exec(before)?.[1].replaceAll("&amp;", "&");
  assert.ok(mailto);
  const u = new URL(mailto);
  assert.equal(u.searchParams.get("subject"), "Liner notes matter");
  assert.equal(
    u.searchParams.get("body"),
    "Why credits count\n\nhttp://127.0.0.1:4321/posts/liner-notes-matter?ref=email-share",
  );

  await createList(ctx, { slug: "articles", name: "New articles", promise: "Twice a month." });
  await createList(ctx, { slug: "team", name: "Team only", isPublic: false });
  const after = await (await app.request("/posts/liner-notes-matter")).text();
  assert.match(
    after,
    /<form method="post" action="\/subscribe" class="subscribe-form" data-subscribe data-token-url="\/subscribe\/token">/,
  );
  assert.match(after, /New articles/);
  assert.match(after, /Twice a month\./);
  assert.doesNotMatch(after, /Team only/, "private lists are never offered");
  assert.match(after, /<input type="hidden" name="t" value="">/, "a cached page holds no per-visitor token");
  assert.match(after, /<script src="\/assets\/form-token\.[0-9a-f]+\.js" defer>/);
  // Pages get no subscribe form.
  assert.doesNotMatch(await (await app.request("/about")).text(), /data-subscribe/);
});

test("the form after a post: without a token the visitor confirms once more; with form-token.js's token it goes at once", async () => {
  await createList(ctx, { slug: "articles", name: "New articles" });
  // No script: the empty token brings the form back filled in, nothing stored yet.
  const step = await send({ t: "", email: "reader@example.org", name: "Rea", lists: "articles", website: "" });
  assert.equal(step.status, 200);
  const page = await step.text();
  assert.match(page, /One more step/);
  assert.match(page, /value="reader@example.org"/);
  assert.equal((await subscriptions()).length, 0);
  const refill = /name="t" value="([^"]+)"/.exec(page)?.[1];
  assert.ok(refill);
  // Sent again at once: a refilled form has no minimum fill time.
  const done = await send({ t: refill, email: "reader@example.org", lists: "articles", website: "" });
  assert.match(await done.text(), /Check your inbox/);
  const [sub] = await subscriptions();
  assert.equal(sub.status, "pending");
  assert.equal(sub.source_page, "http://127.0.0.1:4321/posts/liner-notes-matter");

  // With the script: a fresh token from /subscribe/token, never cached.
  const res = await app.request("/subscribe/token");
  assert.equal(res.headers.get("cache-control"), "no-store");
  const { t } = (await res.json()) as { t: string };
  ctx.setNow(new Date(ctx.now().getTime() + 5000));
  await send({ t, email: "other@example.org", lists: "articles", website: "" });
  assert.equal((await subscriptions()).length, 2);
  // A honeypot still drops it silently, refilled or not.
  const bot = await send({ t: refill, email: "bot@example.org", lists: "articles", website: "http://spam" });
  assert.match(await bot.text(), /Check your inbox/);
  assert.equal((await subscriptions()).length, 2);
});

test("shareMailto encodes the subject and body and keeps an existing query", () => {
  const m = shareMailto("A & B?", "", "https://x.example/p?a=1");
  assert.equal(m, "mailto:?subject=A%20%26%20B%3F&body=https%3A%2F%2Fx.example%2Fp%3Fa%3D1%26ref%3Demail-share");
});
