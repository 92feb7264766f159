/**
 * Password reset (issue 13, item 5): "Forgot your password?" emails a one-time link (the same
 * answer whether or not an account exists), the link sets a new password and signs the user out
 * everywhere else, and `liner user reset-password EMAIL` prints one.
 */
import assert from "node:assert/strict";
import { afterEach, beforeEach, test } from "node:test";
import type { Hono } from "hono";
import { createApp } from "../app.ts";
import { cliEnv, runCli } from "../cli/testing.ts";
import { closeContext } from "../lib/context.ts";
import type { AppEnv } from "../lib/http/env.ts";
import type { TestContext } from "../lib/testing.ts";
import { closeWithSink, contextWithSink, deliverToSink, messageParts, type SmtpSink } from "../mail/testing.ts";
import { RESET_EMAIL_LIMIT, RESET_IP_LIMIT } from "./reset-routes.ts";
import { type Browser, browser, signIn, TEST_PASSWORD } from "./testing.ts";
import { PAIR_FREE_FAILURES } from "./throttle.ts";
import { verifyLogin } from "./users.ts";

let ctx: TestContext;
let sink: SmtpSink;
let app: Hono<AppEnv>;
const NEW_PASSWORD = "a brand new passphrase";
const T0 = Date.parse("2026-06-01T10:00:00Z");

beforeEach(async () => {
  ({ ctx, sink } = await contextWithSink());
  ctx.setNow(new Date(T0));
  app = await createApp(ctx);
});
afterEach(async () => closeWithSink(ctx, sink));

const outbox = async () => ctx.db.kysely.selectFrom("outbox").select(["to_email", "text"]).orderBy("id").execute();
const linkIn = (text: string) => /\/reset-password\/[\w-]+/.exec(text)?.[0] ?? "";

/** A signed-out visitor who asks for a link for `email`. */
async function ask(email: string, who: Browser = browser(app)) {
  if (!who.csrf) await who.refreshCsrf("/reset-password");
  return who.form("/reset-password", { email });
}

test("forgot password: same answer for any address; the emailed link sets the password once and signs out everywhere else", async () => {
  const elsewhere = await signIn(ctx, app, { email: "ann@example.com" });
  const login = await (await app.request("/login")).text();
  assert.match(login, /<a href="\/reset-password">Forgot your password\?<\/a>/);

  const asker = browser(app);
  const known = await ask("Ann@Example.com ", asker);
  const unknown = await ask("nobody@example.com", asker);
  assert.equal(known.status, 200);
  assert.equal(unknown.status, 200);
  const page = async (r: Response, email: string) => (await r.text()).replaceAll(email, "EMAIL");
  assert.equal(await page(known, "ann@example.com"), await page(unknown, "nobody@example.com"), "no enumeration");

  await deliverToSink(ctx, sink);
  assert.deepEqual(
    sink.received.map((m) => m.to),
    [["ann@example.com"]],
    "one email, to the account only",
  );
  const { text, html } = messageParts(sink.received[0].raw);
  const link = linkIn(text);
  assert.ok(link, text);
  assert.match(text, /http:\/\/127\.0\.0\.1:4321\/reset-password\/[\w-]+\n/);
  assert.ok(html.includes(`href="http://127.0.0.1:4321${link}"`));

  // Forgetting the password took a few tries first: this address has to wait before the next.
  const tries = browser(app);
  await tries.refreshCsrf("/login");
  for (let i = 0; i < PAIR_FREE_FAILURES; i++)
    await tries.form("/login", { email: "ann@example.com", password: `x${i}` });
  assert.equal((await tries.form("/login", { email: "ann@example.com", password: NEW_PASSWORD })).status, 429);

  const visitor = browser(app);
  const form = await visitor.request(link);
  assert.equal(form.status, 200);
  const formHtml = await form.text();
  assert.match(formHtml, /Set a new password/);
  assert.match(
    formHtml,
    /<input id="f-username" name="username" type="email" value="ann@example\.com" autocomplete="username" readonly>/,
    "a password manager saves the new password for this account",
  );
  await visitor.refreshCsrf(link);
  assert.equal((await visitor.form(link, { password: NEW_PASSWORD }, { csrf: false })).status, 403, "CSRF");
  const short = await visitor.form(link, { password: "short" });
  assert.equal(short.status, 422);
  assert.match(await short.text(), /at least 10 characters/);

  const done = await visitor.form(link, { password: NEW_PASSWORD });
  assert.equal(done.status, 303);
  assert.equal(done.headers.get("location"), "/admin?msg=password");
  const landed = await visitor.request("/admin?msg=password");
  assert.equal(landed.status, 200, "signed in here");
  assert.match(await landed.text(), /Password changed; other sessions were signed out\./);
  assert.equal((await elsewhere.request("/admin")).status, 303, "signed out elsewhere");
  assert.equal(await verifyLogin(ctx, "ann@example.com", TEST_PASSWORD), null);
  assert.equal((await verifyLogin(ctx, "ann@example.com", NEW_PASSWORD))?.email, "ann@example.com");

  const fresh = await tries.form("/login", { email: "ann@example.com", password: NEW_PASSWORD });
  assert.equal(fresh.status, 303, "the reset lifted the delay of its address");

  const again = await browser(app).request(link);
  assert.equal(again.status, 410);
  assert.match(await again.text(), /already been used/);
});

test("a new link voids the earlier one; a link expires after an hour; made-up links are 404", async () => {
  await signIn(ctx, app, { email: "ann@example.com" });
  await ask("ann@example.com");
  await ask("ann@example.com");
  const [first, second] = (await outbox()).map((r) => linkIn(r.text ?? ""));
  assert.ok(first && second && first !== second);
  const b = browser(app);
  assert.equal((await b.request(first)).status, 404, "voided by the newer one");
  assert.equal((await b.request("/reset-password/made-up")).status, 404);
  await b.refreshCsrf(second);
  ctx.setNow(new Date(T0 + 60 * 60_000 + 1));
  const late = await b.form(second, { password: NEW_PASSWORD });
  assert.equal(late.status, 410);
  assert.match(await late.text(), /expired/);
  assert.equal(await verifyLogin(ctx, "ann@example.com", NEW_PASSWORD), null);
});

test("asking is limited per email (quietly: the same answer, no more mail) and per address (429)", async () => {
  await signIn(ctx, app, { email: "ann@example.com" });
  const b = browser(app);
  const answers = new Set<string>();
  for (let i = 0; i < RESET_EMAIL_LIMIT + 2; i++) {
    const r = await ask("ann@example.com", b);
    assert.equal(r.status, 200);
    answers.add(await r.text());
  }
  assert.equal(answers.size, 1);
  assert.equal((await outbox()).length, RESET_EMAIL_LIMIT);
  for (let i = RESET_EMAIL_LIMIT + 2; i < RESET_IP_LIMIT; i++) await ask(`x${i}@example.com`, b);
  const limited = await ask("ann@example.com", b);
  assert.equal(limited.status, 429);
  assert.match(await limited.text(), /Too many reset requests/);
  const bad = await ask("not an email", b);
  assert.equal(bad.status, 422, "checked before it counts");
});

test("liner user reset-password EMAIL prints a one-time link; an unknown email is a one-line error", async () => {
  const e = await cliEnv();
  try {
    const add = await runCli(["user", "add", "ann@example.com", "--role", "owner", "--password-stdin"], {
      env: e.env,
      input: TEST_PASSWORD,
    });
    assert.equal(add.code, 0, add.stderr);
    const ok = await runCli(["user", "reset-password", "Ann@example.com"], { env: e.env });
    assert.equal(ok.code, 0, ok.stderr);
    assert.match(ok.stdout, /^Password reset link for ann@example\.com \(valid for 1 hour, one use/);
    const link = linkIn(ok.stdout);
    assert.match(ok.stdout, /\n {2}http:\/\/127\.0\.0\.1:4321\/reset-password\/[\w-]+\n {2}\(the default address/);
    const other = await e.open();
    try {
      const b = browser(await createApp(other));
      await b.refreshCsrf(link);
      assert.equal((await b.form(link, { password: NEW_PASSWORD })).status, 303);
      assert.equal((await verifyLogin(other, "ann@example.com", NEW_PASSWORD))?.email, "ann@example.com");
    } finally {
      await closeContext(other);
    }
    const unknown = await runCli(["user", "reset-password", "nobody@example.com"], { env: e.env });
    assert.equal(unknown.code, 1);
    assert.equal(unknown.stderr.trim().split("\n").length, 1);
    assert.match(unknown.stderr, /no account has the email nobody@example\.com/);
    const missing = await runCli(["user", "reset-password"], { env: e.env });
    assert.equal(missing.code, 2);
  } finally {
    await e.cleanup();
  }
});

test("without SMTP the reset pages say no email can be sent and how the owner makes a link, for any address", async () => {
  ctx.config.mail = { ...ctx.config.mail, smtpUrl: undefined };
  await signIn(ctx, app, { email: "ann@example.com" });
  const b = browser(app);
  const form = await b.request("/reset-password");
  const before = await form.text();
  assert.match(before, /Email can't be sent from this site yet/);
  assert.match(before, /liner user reset-password EMAIL/);
  assert.doesNotMatch(before, /we'll send/);
  await b.refreshCsrf("/reset-password");
  const known = await (await b.form("/reset-password", { email: "ann@example.com" })).text();
  const unknown = await (await b.form("/reset-password", { email: "nobody@example.com" })).text();
  assert.equal(
    known.replaceAll("ann@example.com", "E"),
    unknown.replaceAll("nobody@example.com", "E"),
    "no enumeration",
  );
  assert.match(known, /sent from this site yet[\s\S]*liner user reset-password EMAIL/);
  assert.doesNotMatch(known, /we've sent|Check your email/);
});

test("stale reset mail is never delivered: replaced by a newer link, the password changed, or past the hour", async () => {
  await signIn(ctx, app, { email: "ann@example.com" });
  await ask("ann@example.com");
  await ask("ann@example.com");
  const newest = linkIn((await outbox()).at(-1)?.text ?? "");
  await deliverToSink(ctx, sink);
  assert.deepEqual(
    sink.received.map((m) => linkIn(messageParts(m.raw).text)),
    [newest],
    "only the newest link arrives",
  );

  // Queued, then the password is set with a link from the CLI: the queued mail is withdrawn.
  sink.received.length = 0;
  await ask("ann@example.com");
  const visitor = browser(app);
  const { createResetLink } = await import("./reset.ts");
  const printed = await createResetLink(ctx, (await verifyLogin(ctx, "ann@example.com", TEST_PASSWORD))!.id);
  await visitor.refreshCsrf(printed);
  assert.equal((await visitor.form(printed, { password: NEW_PASSWORD })).status, 303);
  await deliverToSink(ctx, sink);
  assert.equal(sink.received.length, 0, "withdrawn by the newer link and the password change");

  // Expired before delivery ran (no SMTP for an hour): dropped unsent.
  await signIn(ctx, app, { email: "bob@example.com" });
  await ask("bob@example.com");
  assert.equal((await outbox()).filter((r) => r.to_email === "bob@example.com").length, 1);
  ctx.setNow(new Date(T0 + 3_600_000));
  await deliverToSink(ctx, sink);
  assert.equal(sink.received.length, 0, "expired");
  const rows = await ctx.db.kysely.selectFrom("outbox").select(["status", "last_response"]).execute();
  assert.ok(rows.some((r) => r.status === "suppressed" && r.last_response === "expired before it was sent"));
});
