import assert from "node:assert/strict";
import { afterEach, beforeEach, test } from "node:test";
import { createApp } from "../app.ts";
import { signIn } from "../auth/testing.ts";
import type { TestContext } from "../lib/testing.ts";
import { deliverDue } from "./delivery.ts";
import { createSend } from "./service.ts";
import { closeWithSink, contextWithSink, fixedMail, type SmtpSink, smtpSink } from "./testing.ts";
import { createMailer } from "./transport.ts";

let ctx: TestContext;
let sink: SmtpSink;
beforeEach(async () => {
  ({ ctx, sink } = await contextWithSink());
});
afterEach(() => closeWithSink(ctx, sink));

test("the Email page shows the server without credentials, sends with progress, and a test to me", async () => {
  ctx.config.mail.smtpUrl = `smtp://user:hunter22@127.0.0.1:${sink.port}`;
  const app = await createApp(ctx);
  const owner = await signIn(ctx, app, { email: "owner@example.com" });
  const id = await createSend(ctx, { kind: "post", ...fixedMail("Hello readers", "h", "t") }, [
    { email: "a@example.net", vars: {} },
    { email: "b@example.net", vars: {} },
  ]);
  let body = await (await owner.request("/admin/mail")).text();
  assert.match(body, new RegExp(`smtp://127\\.0\\.0\\.1:${sink.port}`));
  assert.doesNotMatch(body, /hunter22/);
  assert.match(body, new RegExp(`#${id}.*Hello readers.*0/2 sent`, "s"));

  const res = await owner.form("/admin/mail/test", {});
  assert.equal(res.status, 303);
  assert.equal(res.headers.get("location"), "/admin/mail?msg=test");
  ctx.config.mail.smtpUrl = sink.url;
  const mailer = createMailer({ ...ctx.config.mail, smtpUrl: sink.url });
  try {
    await deliverDue(ctx, mailer, { ratePerSecond: 1000 });
  } finally {
    mailer.close();
  }
  assert.equal(sink.received[0].to[0], "owner@example.com", "the test goes first (transactional)");
  body = await (await owner.request("/admin/mail")).text();
  assert.match(body, /2\/2 sent/);
  assert.match(body, /Outbox: 0 waiting, 0 failed/);
});

test("check the connection: a refused login and an unreachable server are reported on the page", async () => {
  const app = await createApp(ctx);
  const editor = await signIn(ctx, app, { role: "editor" });
  const ok = await editor.form("/admin/mail/check", {});
  assert.equal(ok.status, 200);
  assert.match(await ok.text(), /Connected to smtp:\/\/127\.0\.0\.1:\d+ and signed in/);
  const port = sink.port;
  await sink.close();
  const down = await editor.form("/admin/mail/check", {});
  assert.equal(down.status, 200);
  assert.match(await down.text(), new RegExp(`Could not use smtp://127\\.0\\.0\\.1:${port}: .*ECONNREFUSED`));
  sink = await smtpSink();
  ctx.config.mail.smtpUrl = undefined;
  const unset = await editor.request("/admin/mail");
  assert.match(await unset.text(), /Email is not set up: set <code>SMTP_URL<\/code>/);
  assert.equal((await editor.form("/admin/mail/check", {})).status, 409);
  const author = await signIn(ctx, app, { role: "author" });
  assert.equal((await author.request("/admin/mail")).status, 403);
});
