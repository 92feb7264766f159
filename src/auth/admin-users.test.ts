import assert from "node:assert/strict";
import { afterEach, beforeEach, test } from "node:test";
import type { Hono } from "hono";
import { createApp } from "../app.ts";
import type { AppEnv } from "../lib/http/env.ts";
import { createTestContext, type TestContext } from "../lib/testing.ts";
import { type Browser, signIn, TEST_PASSWORD } from "./testing.ts";
import { findUserByEmail, verifyLogin } from "./users.ts";

let ctx: TestContext;
let app: Hono<AppEnv>;
let owner: Browser & { user: { id: number; email: string } };
beforeEach(async () => {
  ctx = await createTestContext();
  app = await createApp(ctx);
  owner = await signIn(ctx, app, { role: "owner", email: "owner@example.com" });
});
afterEach(async () => ctx.cleanup());

test("users admin is for the owner only", async () => {
  for (const role of ["editor", "author"] as const) {
    const b = await signIn(ctx, app, { role });
    const page = await b.request("/admin/users");
    assert.equal(page.status, 403, role);
    assert.match(await page.text(), /Only the site owner/);
    const add = await b.form("/admin/users", {
      email: `x-${role}@example.com`,
      role: "owner",
      password: TEST_PASSWORD,
    });
    assert.equal(add.status, 403);
    assert.equal(await findUserByEmail(ctx, `x-${role}@example.com`), undefined);
    const promote = await b.form(`/admin/users/${b.user.id}/role`, { role: "owner" });
    assert.equal(promote.status, 403);
    assert.equal((await findUserByEmail(ctx, b.user.email))?.role, role);
  }
});

test("the owner adds a user, changes a role and removes a user", async () => {
  const bad = await owner.form("/admin/users", {
    email: "new@example.com",
    name: "Nu",
    role: "author",
    password: "short",
  });
  assert.equal(bad.status, 422);
  const badHtml = await bad.text();
  assert.match(badHtml, /id="f-password-error">must be at least 10 characters/);
  assert.match(badHtml, /value="new@example.com"/);

  const add = await owner.form("/admin/users", {
    email: "new@example.com",
    name: "Nu",
    role: "author",
    password: TEST_PASSWORD,
  });
  assert.equal(add.status, 303);
  const nu = await findUserByEmail(ctx, "new@example.com");
  assert.equal(nu?.role, "author");
  assert.ok(await verifyLogin(ctx, "new@example.com", TEST_PASSWORD));

  assert.equal((await owner.form(`/admin/users/${nu?.id}/role`, { role: "editor" })).status, 303);
  assert.equal((await findUserByEmail(ctx, "new@example.com"))?.role, "editor");

  const confirm = await owner.request(`/admin/users/${nu?.id}/remove`);
  assert.match(await confirm.text(), /Remove Nu \(new@example.com\)\?/);
  assert.equal((await owner.form(`/admin/users/${nu?.id}/remove`, {})).status, 303);
  assert.equal(await findUserByEmail(ctx, "new@example.com"), undefined);
});

test("you can't remove yourself, and the last owner can't be removed or demoted", async () => {
  const self = await owner.form(`/admin/users/${owner.user.id}/remove`, {});
  assert.equal(self.status, 409);
  assert.match(await self.text(), /cannot remove your own account/);
  const demote = await owner.form(`/admin/users/${owner.user.id}/role`, { role: "editor" });
  assert.equal(demote.status, 409);
  assert.match(await demote.text(), /only owner/);
  assert.equal((await findUserByEmail(ctx, "owner@example.com"))?.role, "owner");

  // With a second owner, the first can step down.
  const second = await signIn(ctx, app, { role: "owner", email: "second@example.com" });
  assert.equal((await owner.form(`/admin/users/${owner.user.id}/role`, { role: "editor" })).status, 303);
  assert.equal((await owner.request("/admin/users")).status, 403, "the demotion took effect at once");
  // Back to two owners; then one removes the other, and the remaining last owner can't step down.
  const last = await second.form(`/admin/users/${owner.user.id}/role`, { role: "owner" });
  assert.equal(last.status, 303);
  const removeLast = await owner.form(`/admin/users/${second.user.id}/remove`, {});
  assert.equal(removeLast.status, 303, "two owners: one may remove the other");
  const lastOwner = await owner.form(`/admin/users/${owner.user.id}/role`, { role: "author" });
  assert.equal(lastOwner.status, 409);
});
