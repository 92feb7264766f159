import assert from "node:assert/strict";
import { afterEach, beforeEach, test } from "node:test";
import { createApp } from "../app.ts";
import { createTestContext, type TestContext } from "../lib/testing.ts";
import { createSend } from "./service.ts";
import { mailStore } from "./store.ts";
import { fixedMail } from "./testing.ts";

let ctx: TestContext;
beforeEach(async () => {
  ctx = await createTestContext();
});
afterEach(async () => ctx.cleanup());

const SECRET = "a-webhook-secret-of-some-length";
const hook = (app: Awaited<ReturnType<typeof createApp>>, body: unknown, auth = `Bearer ${SECRET}`) =>
  app.request("/mail/webhook", {
    method: "POST",
    body: typeof body === "string" ? body : JSON.stringify(body),
    headers: { "content-type": "application/json", authorization: auth },
  });

test("the bounce/complaint webhook suppresses addresses and withdraws their queued mail; bad calls are 4xx", async () => {
  assert.equal(
    (await hook(await createApp(ctx), { type: "bounce", email: "a@example.net" })).status,
    404,
    "off without a secret",
  );
  ctx.config.mail = { ...ctx.config.mail, webhookSecret: SECRET };
  const app = await createApp(ctx);
  const sendId = await createSend(ctx, { kind: "post", ...fixedMail("s", "h", "t") }, [
    { email: "gone@example.net", vars: {} },
    { email: "ok@example.net", vars: {} },
  ]);
  assert.equal((await hook(app, { type: "bounce", email: "gone@example.net" }, "Bearer wrong")).status, 401);
  const bad = await hook(app, {
    events: [
      { type: "bounce", email: "x@example.net" },
      { type: "spam", email: "y@example.net" },
    ],
  });
  assert.equal(bad.status, 400);
  assert.match(
    await bad.text(),
    /Bad webhook event at events\.1\.type: type must be &quot;bounce&quot; or &quot;complaint&quot;/,
  );
  assert.equal((await hook(app, "{not json")).status, 400);
  assert.equal((await mailStore(ctx.db).suppressed(["x@example.net"])).size, 0, "nothing half-applied");

  const res = await hook(app, { events: [{ type: "complaint", email: "Gone@Example.net", detail: "abuse report" }] });
  assert.equal(res.status, 200);
  assert.deepEqual(await res.json(), { suppressed: 1, withdrawn: 1 });
  const rows = await mailStore(ctx.db).rowsOf(sendId);
  assert.deepEqual(
    rows.map((r) => [r.to_email, r.status]),
    [
      ["gone@example.net", "suppressed"],
      ["ok@example.net", "queued"],
    ],
  );
  const [s] = await ctx.db.kysely.selectFrom("suppressions").selectAll().execute();
  assert.deepEqual([s.email, s.reason, s.detail], ["gone@example.net", "complaint", "abuse report"]);
});
