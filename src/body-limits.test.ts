// test lanes: sqlite only
/**
 * Body limits (lib/http/body-limits.ts) through the real app (issue 13, item 3): every route is bounded before anything reads
 * a body, by Content-Length at once and while a chunked body streams; forms are small and only the
 * routes that take files get the upload limit; a malformed form is a 400, never a 500.
 */
import assert from "node:assert/strict";
import { afterEach, beforeEach, test } from "node:test";
import type { Hono } from "hono";
import { createApp } from "./app.ts";
import { browser, signIn } from "./auth/testing.ts";
import type { AppEnv } from "./lib/http/env.ts";
import { createTestContext, type TestContext } from "./lib/testing.ts";

let ctx: TestContext;
let app: Hono<AppEnv>;
let owner: Awaited<ReturnType<typeof signIn>>;
beforeEach(async () => {
  ctx = await createTestContext();
  app = await createApp(ctx);
});
afterEach(async () => ctx.cleanup());

const MB = 1024 * 1024;

/** A body sent chunked (no Content-Length): `chunks` pieces of 16 KB, counting how many were read. */
function chunked(chunks: number, piece = new Uint8Array(16 * 1024).fill(0x61)) {
  const stream = { pulled: 0, body: undefined as unknown as ReadableStream<Uint8Array> };
  stream.body = new ReadableStream<Uint8Array>({
    pull(controller) {
      if (stream.pulled === chunks) return controller.close();
      stream.pulled++;
      controller.enqueue(piece);
    },
  });
  return stream;
}

const post = (path: string, body: BodyInit, headers: Record<string, string> = {}) =>
  app.request(path, { method: "POST", body, headers, duplex: "half" } as RequestInit);

test("a 10 MB POST /login is refused with 413 by its Content-Length, before a byte of it is read", {
  timeout: 5000,
}, async () => {
  let pulled = false;
  const never = new ReadableStream(
    {
      pull: () => {
        pulled = true;
        return new Promise(() => {}); // a client that never finishes sending
      },
    },
    { highWaterMark: 0 }, // pulled only when someone reads
  );
  const started = Date.now();
  const res = await post("/login", never, {
    "content-type": "application/x-www-form-urlencoded",
    "content-length": String(10 * MB),
  });
  assert.equal(res.status, 413);
  assert.match(await res.text(), /The form sent 10\.0 MB: this form takes at most 64 KB\./);
  assert.equal(pulled, false, "the body was not read");
  assert.ok(Date.now() - started < 1000);

  const whole = await post("/login", new Uint8Array(10 * MB), {
    "content-type": "application/x-www-form-urlencoded",
    "content-length": String(10 * MB),
  });
  assert.equal(whole.status, 413);
});

test("a chunked body is cut off once it passes the limit; one within it still signs in", async () => {
  const big = chunked(640); // 10 MB
  const res = await post("/logout", big.body, { "content-type": "application/x-www-form-urlencoded" });
  assert.equal(res.status, 413);
  assert.match(await res.text(), /The form sent too much: this form takes at most 64 KB\./);
  assert.ok(big.pulled <= 6, `read ${big.pulled} of 640 chunks`);

  owner = await signIn(ctx, app);
  const setup = await post("/setup/some-token", chunked(64).body, {
    "content-type": "multipart/form-data; boundary=x",
  });
  assert.equal(setup.status, 413, "with an owner, setup links take no files");

  // Under the limit, the buffered body reaches the CSRF check and the route as if sent whole.
  const b = browser(app);
  await b.refreshCsrf("/login");
  const form = new TextEncoder().encode(
    new URLSearchParams({
      email: owner.user.email,
      password: "correct horse battery staple",
      _csrf: b.csrf,
    }).toString(),
  );
  const streamed = new ReadableStream({
    start(controller) {
      controller.enqueue(form.slice(0, 10));
      controller.enqueue(form.slice(10));
      controller.close();
    },
  });
  const signedIn = await b.request("/login", {
    method: "POST",
    body: streamed,
    headers: { "content-type": "application/x-www-form-urlencoded" },
    duplex: "half",
  } as RequestInit);
  assert.equal(signedIn.status, 303);
});

test("a malformed multipart body is a 400 naming the form, on /login and on an admin form", async () => {
  owner = await signIn(ctx, app);
  const part = '--x\r\nContent-Disposition: form-data; name="email"\r\n\r\na@example.com\r\n';
  const bad: [string, string][] = [
    ["multipart/form-data", `${part}--x--\r\n`], // no boundary
    ["multipart/form-data; boundary=x", part], // truncated: no closing boundary
    ["multipart/form-data; boundary=y", `${part}--x--\r\n`], // another boundary
  ];
  for (const [type, body] of bad) {
    const login = await post("/login", body, { "content-type": type });
    assert.equal(login.status, 400, type);
    assert.match(
      await login.text(),
      /The form sent to \/login could not be read: its multipart\/form-data body is malformed\./,
    );
    const admin = await owner.request("/admin/themes", { method: "POST", body, headers: { "content-type": type } });
    assert.equal(admin.status, 400, type);
    assert.match(await admin.text(), /The form sent to \/admin\/themes could not be read/);
  }
});

test("an admin form without files takes 512 KB, an upload route the upload limit", async () => {
  owner = await signIn(ctx, app);
  const themes = await owner.form("/admin/themes", { name: "x".repeat(2 * MB), description: "" });
  assert.equal(themes.status, 413);
  const page = await themes.text();
  assert.match(page, /The form sent too much: this form takes at most 512 KB\./);
  assert.match(page, /<a href="\/admin">Back to the admin<\/a>/, "an admin error leads back to the admin");

  // A 700 KB PDF: over the form limit, well within the upload limit.
  const pdf = `%PDF-1.4\n%${"x".repeat(700 * 1024)}\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n`;
  const res = await owner.form("/admin/media", { file: new File([pdf], "big.pdf", { type: "application/pdf" }) });
  assert.equal(res.status, 303);
  assert.match(await (await owner.request("/admin/media")).text(), /big\.pdf/);

  const limit = ctx.config.maxUploadBytes;
  const over = await owner.request("/admin/media", {
    method: "POST",
    body: new Uint8Array(limit + 512 * 1024),
    headers: { "content-type": "multipart/form-data; boundary=x", "content-length": String(limit + 512 * 1024) },
  });
  assert.equal(over.status, 413);
  assert.match(await over.text(), /The upload is 10\.5 MB: files may be up to 10\.0 MB each\./);
});

test("before an owner exists, the setup form (which takes a photo) gets the upload limit", async () => {
  const res = await post("/setup/some-token", chunked(64).body, { "content-type": "multipart/form-data; boundary=x" });
  assert.equal(res.status, 400, "read whole (1 MB), then found malformed");
});
