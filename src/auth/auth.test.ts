import assert from "node:assert/strict";
import { afterEach, beforeEach, test } from "node:test";
import type { Hono } from "hono";
import { createApp } from "../app.ts";
import { loadConfig } from "../lib/config.ts";
import type { AppEnv } from "../lib/http/env.ts";
import { createTestContext, type TestContext } from "../lib/testing.ts";
import { safeNext } from "./routes.ts";
import { createSetupToken } from "./setup.ts";
import { browser, signIn, TEST_PASSWORD } from "./testing.ts";
import { LOGIN_IP_LIMIT } from "./throttle.ts";
import { countUsers, createUser, findUserByEmail } from "./users.ts";

let ctx: TestContext;
let app: Hono<AppEnv>;
beforeEach(async () => {
  ctx = await createTestContext();
  app = await createApp(ctx);
});
afterEach(async () => ctx.cleanup());

const sessions = async () =>
  Number(
    (
      await ctx.db.kysely
        .selectFrom("sessions")
        .select((eb) => eb.fn.countAll<number>().as("n"))
        .executeTakeFirstOrThrow()
    ).n,
  );

test("the setup link creates the owner once, signs them in, and refuses a second use", async () => {
  const link = await createSetupToken(ctx);
  const b = browser(app);
  const page = await b.request(link);
  assert.equal(page.status, 200);
  assert.match(await page.text(), /Create the owner account/);
  await b.refreshCsrf(link);
  assert.ok(b.csrf, "setup page carries a CSRF token");

  const bad = await b.form(link, { email: "not-an-email", name: "Ada", password: "short" });
  assert.equal(bad.status, 422);
  const badText = await bad.text();
  assert.match(badText, /valid email address/);
  assert.match(badText, /value="not-an-email"/, "input is kept");
  assert.equal(await countUsers(ctx), 0);

  const res = await b.form(link, { email: "Ada@Example.com", name: "Ada", password: TEST_PASSWORD });
  assert.equal(res.status, 303);
  assert.equal(res.headers.get("location"), "/admin?welcome=1");
  const owner = await findUserByEmail(ctx, "ada@example.com");
  assert.equal(owner?.role, "owner");
  assert.ok(b.cookies.has("liner_session"));
  const admin = await b.request("/admin");
  assert.equal(admin.status, 200);
  assert.match(await admin.text(), /Ada \(owner\)/);

  const again = browser(app);
  const used = await again.request(link);
  assert.equal(used.status, 410);
  assert.match(await used.text(), /already been used/);
  await again.refreshCsrf("/login");
  const second = await again.form(link, { email: "eve@example.com", name: "Eve", password: TEST_PASSWORD });
  assert.equal(second.status, 410);
  assert.equal(await countUsers(ctx), 1);
});

test("once an owner exists, older owner setup links are void; a link is only for the role it names", async () => {
  // Each start with no accounts printed a link: two are outstanding, and an editor's invitation.
  const first = await createSetupToken(ctx);
  const older = await createSetupToken(ctx);
  const editorLink = await createSetupToken(ctx, "editor");
  const b = browser(app);
  await b.refreshCsrf(first);
  assert.equal((await b.form(first, { email: "ada@example.com", name: "Ada", password: TEST_PASSWORD })).status, 303);

  const late = browser(app);
  const page = await late.request(older);
  assert.equal(page.status, 410);
  assert.match(await page.text(), /owner account exists already/);
  await late.refreshCsrf("/login");
  const second = await late.form(older, { email: "eve@example.com", name: "Eve", password: TEST_PASSWORD });
  assert.equal(second.status, 410, "no second owner");
  assert.equal(await findUserByEmail(ctx, "eve@example.com"), undefined);

  // The editor's link still works, and makes an editor.
  const ed = browser(app);
  await ed.refreshCsrf(editorLink);
  assert.equal(
    (await ed.form(editorLink, { email: "ed@example.com", name: "Ed", password: TEST_PASSWORD })).status,
    303,
  );
  assert.equal((await findUserByEmail(ctx, "ed@example.com"))?.role, "editor");
  assert.equal(await countUsers(ctx), 2);
});

test("unknown and expired setup links get clear 404 and 410 pages", async () => {
  const b = browser(app);
  const unknown = await b.request("/setup/nope");
  assert.equal(unknown.status, 404);
  assert.match(await unknown.text(), /not valid/);
  ctx.setNow(new Date("2026-01-01T00:00:00Z"));
  const link = await createSetupToken(ctx, "owner", 1);
  ctx.setNow(new Date("2026-01-01T02:00:00Z"));
  const expired = await b.request(link);
  assert.equal(expired.status, 410);
  assert.match(await expired.text(), /expired/);
});

test("login: success sets a hardened session cookie; failure is generic; logout ends the session", async () => {
  await createUser(ctx, { email: "ed@example.com", role: "editor", password: TEST_PASSWORD });
  const b = browser(app);
  await b.refreshCsrf("/login");

  const wrong = await b.form("/login", { email: "ed@example.com", password: "wrong password!" });
  assert.equal(wrong.status, 401);
  const msg = /role="alert">([^<]*)</.exec(await wrong.text())?.[1];
  const unknown = await b.form("/login", { email: "nobody@example.com", password: "wrong password!" });
  assert.equal(unknown.status, 401);
  assert.equal(/role="alert">([^<]*)</.exec(await unknown.text())?.[1], msg, "same message for unknown emails");
  assert.equal(await sessions(), 0);

  const ok = await b.form("/login", { email: "ed@example.com", password: TEST_PASSWORD, next: "/admin/themes" });
  assert.equal(ok.status, 303);
  assert.equal(ok.headers.get("location"), "/admin/themes");
  const cookie = ok.headers.getSetCookie().find((c) => c.startsWith("liner_session="));
  assert.ok(cookie);
  assert.match(cookie, /HttpOnly/);
  assert.match(cookie, /SameSite=Lax/);
  assert.match(cookie, /Path=\//);
  assert.doesNotMatch(cookie, /Secure/, "not Secure on an http base URL");
  // Only the hash of the token is stored.
  const token = cookie.split(";")[0].split("=")[1];
  const row = await ctx.db.kysely.selectFrom("sessions").selectAll().executeTakeFirstOrThrow();
  assert.notEqual(row.id, token);
  assert.equal(row.id.length, 64);

  await b.refreshCsrf("/admin");
  const out = await b.form("/logout", {});
  assert.equal(out.status, 303);
  assert.equal(await sessions(), 0);
  assert.equal((await b.request("/admin")).status, 303, "signed out: admin redirects to login");
});

test("the session cookie is Secure when the base URL is https, and sessions expire", async () => {
  await ctx.cleanup();
  ctx = await createTestContext({ baseUrl: "https://notes.example" });
  app = await createApp(ctx);
  ctx.setNow(new Date("2026-01-01T00:00:00Z"));
  const user = await createUser(ctx, { email: "a@example.com", role: "author", password: TEST_PASSWORD });
  const b = browser(app);
  await b.refreshCsrf("/login");
  const login = await b.form("/login", { email: user.email, password: TEST_PASSWORD });
  const cookie = login.headers.getSetCookie().find((c) => c.startsWith("liner_session="));
  assert.match(cookie ?? "", /; Secure/);
  const res = await b.request("/admin");
  assert.equal(res.status, 200);
  ctx.setNow(new Date("2026-03-01T00:00:00Z"));
  assert.equal((await b.request("/admin")).status, 303, "expired after 30 days without use");
  assert.equal(await sessions(), 0);
});

test("sliding expiry: an active session is extended", async () => {
  ctx.setNow(new Date("2026-01-01T00:00:00Z"));
  const b = await signIn(ctx, app, { role: "author" });
  for (const day of ["2026-01-20", "2026-02-10", "2026-03-01"]) {
    ctx.setNow(new Date(`${day}T00:00:00Z`));
    assert.equal((await b.request("/admin")).status, 200, `still signed in on ${day}`);
  }
});

test("login is rate limited per IP address across emails", async () => {
  await createUser(ctx, { email: "ed@example.com", role: "editor", password: TEST_PASSWORD });
  const b = browser(app);
  await b.refreshCsrf("/login");
  for (let i = 0; i < LOGIN_IP_LIMIT; i++) {
    assert.equal((await b.form("/login", { email: `guess${i}@example.com`, password: "nope-nope-nope" })).status, 401);
  }
  assert.equal((await b.form("/login", { email: "ed@example.com", password: TEST_PASSWORD })).status, 429);
});

test("CSRF: missing, wrong or cross-origin tokens are refused with 403 and change nothing", async () => {
  const owner = await signIn(ctx, app, { role: "owner" });
  const before = await countUsers(ctx);
  const fields = { email: "new@example.com", name: "New", role: "author", password: TEST_PASSWORD };
  const missing = await owner.form("/admin/users", fields, { csrf: false });
  assert.equal(missing.status, 403);
  assert.match(await missing.text(), /security token/);
  const wrong = await owner.form("/admin/users", { ...fields, _csrf: "x".repeat(owner.csrf.length) }, { csrf: false });
  assert.equal(wrong.status, 403);
  const header = await owner.request("/admin/users", {
    method: "POST",
    body: new URLSearchParams(fields),
    headers: { "x-csrf-token": "wrong" },
  });
  assert.equal(header.status, 403);
  const crossOrigin = await owner.form("/admin/users", fields, { headers: { origin: "https://evil.example" } });
  assert.equal(crossOrigin.status, 403);
  assert.match(await crossOrigin.text(), /another site/);
  assert.equal(await countUsers(ctx), before);
  // Logout and login are protected too.
  assert.equal((await owner.form("/logout", {}, { csrf: false })).status, 403);
  assert.equal(await sessions(), 1);
  const visitor = browser(app);
  const noToken = await visitor.form("/login", { email: owner.user.email, password: TEST_PASSWORD });
  assert.equal(noToken.status, 403);
  // A forged visitor cookie (not signed by us) does not count as a token.
  visitor.cookies.set("liner_csrf", "forged");
  const forged = await visitor.form("/login", { email: owner.user.email, password: TEST_PASSWORD, _csrf: "forged" });
  assert.equal(forged.status, 403);
  // Same origin is fine.
  const ok = await owner.form("/admin/users", fields, { headers: { origin: "http://localhost" } });
  assert.equal(ok.status, 303);
  assert.equal(await countUsers(ctx), before + 1);
});

test("public pages get no cookies and no session work when signed out", async () => {
  const res = await app.request("/");
  assert.equal(res.headers.getSetCookie().length, 0);
  const login = await app.request("/login");
  assert.equal(login.status, 200);
  assert.ok(login.headers.getSetCookie().some((c) => c.startsWith("liner_csrf=")));
});

test("signed-out admin visits go to the login page and come back after", async () => {
  await createUser(ctx, { email: "a@example.com", role: "author", password: TEST_PASSWORD });
  const b = browser(app);
  const res = await b.request("/admin/posts?status=draft");
  assert.equal(res.status, 303);
  const loc = res.headers.get("location") ?? "";
  assert.equal(loc, `/login?next=${encodeURIComponent("/admin/posts?status=draft")}`);
  const page = await (await b.request(loc)).text();
  assert.match(page, /name="next" value="\/admin\/posts\?status=draft"/);
  await b.refreshCsrf(loc);
  const ok = await b.form("/login", {
    email: "a@example.com",
    password: TEST_PASSWORD,
    next: "/admin/posts?status=draft",
  });
  assert.equal(ok.headers.get("location"), "/admin/posts?status=draft");
  const base = "https://notes.example";
  for (const bad of [
    "//evil.example",
    "https://evil.example",
    "/\\evil.example",
    "/\t/evil.example/path",
    "/\n/evil.example",
    "/\r\n/evil.example",
    "\t//evil.example",
    "/\\/evil.example",
    "https:evil.example",
    "",
    "admin",
  ]) {
    assert.equal(safeNext(bad, base), "/admin", JSON.stringify(bad));
  }
  // Same-site paths stay, encoded slashes included (they are a path here, not a host).
  assert.equal(safeNext("/admin/posts?status=draft#top", base), "/admin/posts?status=draft#top");
  assert.equal(safeNext("/%2F%2Fevil.example", base), "/%2F%2Fevil.example");
  // Signed in, GET /login?next= follows only same-site paths: the tab trick from issue 13 included.
  for (const trick of ["%2F%09%2Fother-host%2Fpath", "%2F%0A%2Fother-host", "%2F%5Cother-host", "%2F%2Fother-host"]) {
    const res = await b.request(`/login?next=${trick}`);
    assert.equal(res.status, 303);
    assert.equal(res.headers.get("location"), "/admin", trick);
  }
});

test("at the real cost: passwords are hashed with argon2id at 64 MiB and 3 passes, and sign-in works", async () => {
  // Every other test hashes at the lowest cost (TEST_PASSWORD_HASH); this one uses the default.
  const real = await createTestContext({ passwordHash: loadConfig({}).passwordHash });
  try {
    const user = await createUser(real, { email: "real@example.com", role: "editor", password: TEST_PASSWORD });
    assert.match(user.password_hash, /^\$argon2id\$v=19\$m=65536,p=\d+,t=3\$/);
    const b = browser(await createApp(real));
    await b.refreshCsrf("/login");
    const wrong = await b.form("/login", { email: "real@example.com", password: "wrong password!" });
    assert.equal(wrong.status, 401);
    const ok = await b.form("/login", { email: "real@example.com", password: TEST_PASSWORD });
    assert.equal(ok.status, 303);
  } finally {
    await real.cleanup();
  }
});
