/** The public-form guard's rate limit, counted across two processes on one database. */
import assert from "node:assert/strict";
import { afterEach, beforeEach, test } from "node:test";
import { Hono } from "hono";
import { type AppContext, closeContext } from "../context.ts";
import { statusOf } from "../errors.ts";
import { anotherProcess, createTestContext, type TestContext } from "../testing.ts";
import type { AppEnv } from "./env.ts";
import { publicFormGuard } from "./public-form.ts";

let ctx: TestContext;
let other: AppContext;
beforeEach(async () => {
  ctx = await createTestContext();
  ctx.setNow(new Date("2026-05-01T08:00:00Z"));
  other = await anotherProcess(ctx);
});
afterEach(async () => {
  await closeContext(other);
  await ctx.cleanup();
});

/** A web process's form route behind the guard (the same purpose in every process). */
function formApp(c: AppContext, purpose = "test-form"): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  const guard = publicFormGuard(c, { purpose, perHour: 3 });
  app.post("/form", async (x) => {
    await guard.admit(x);
    return x.text("thanks");
  });
  app.onError((err, x) => x.text(err.message, statusOf(err) as 403));
  return app;
}

test("posts from one address count across processes: over the hourly limit is 429 wherever it lands", async () => {
  const apps = [formApp(ctx), formApp(other)];
  const statuses: number[] = [];
  for (let i = 0; i < 5; i++) statuses.push((await apps[i % 2].request("/form", { method: "POST" })).status);
  assert.deepEqual(statuses, [200, 200, 200, 429, 429], "three an hour in all, not three per process");
  const refused = await apps[1].request("/form", { method: "POST" });
  assert.match(await refused.text(), /Too many requests from your address/);
  assert.equal(
    (await formApp(other, "another-form").request("/form", { method: "POST" })).status,
    200,
    "each form counts on its own",
  );
  ctx.setNow(new Date("2026-05-01T09:00:01Z"));
  assert.equal((await apps[1].request("/form", { method: "POST" })).status, 200, "an hour later it works again");
});

test("a post from another site is refused with 403 after being counted", async () => {
  const app = formApp(ctx);
  const res = await app.request("/form", { method: "POST", headers: { origin: "https://elsewhere.example" } });
  assert.equal(res.status, 403);
  assert.match(await res.text(), /only be sent from this site/);
  const counted = await ctx.db.kysely.selectFrom("rate_counters").select("count").execute();
  assert.deepEqual(counted, [{ count: 1 }]);
});
