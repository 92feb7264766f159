/**
 * Issue 13, item 6 in the web app: a save that meets a full disk is a 503 page saying where, the
 * post is as it was, and the failure is logged in one line.
 */
import assert from "node:assert/strict";
import { afterEach, beforeEach, test } from "node:test";
import type { Hono } from "hono";
import { createApp } from "./app.ts";
import { signIn } from "./auth/testing.ts";
import { postById, savePost, systemActor } from "./content/index.ts";
import { injectFault } from "./lib/db/faults.ts";
import { shownPath } from "./lib/db/storage-errors.ts";
import type { AppEnv } from "./lib/http/env.ts";
import type { Logger } from "./lib/log.ts";
import { createTestContext, type TestContext } from "./lib/testing.ts";

let ctx: TestContext;
let app: Hono<AppEnv>;
const logged: { msg: string; fields?: Record<string, unknown> }[] = [];
beforeEach(async () => {
  ctx = await createTestContext();
  logged.length = 0;
  const quiet = () => undefined;
  ctx.log = { debug: quiet, info: quiet, warn: quiet, error: (msg, fields) => logged.push({ msg, fields }) } as Logger;
  app = await createApp(ctx);
});
afterEach(async () => ctx.cleanup());

test("an admin save on a full disk: 503 naming the disk, nothing changed, one log line", async () => {
  const before = await savePost(ctx, systemActor, {
    kind: "article",
    title: "Before",
    summary: "",
    body: "The text as it was.",
    themeIds: [],
    status: "draft",
  });
  const editor = await signIn(ctx, app, { role: "editor" });
  const undo = await injectFault(ctx.db, "full", "posts");
  let res: Response;
  try {
    res = await editor.form(`/admin/posts/${before.id}`, {
      kind: "article",
      title: "After",
      slug: before.slug,
      summary: "",
      // Far more than the pages left: SQLite meets SQLITE_FULL (PostgreSQL: the disk_full trigger).
      body: "A much longer text. ".repeat(20_000),
      action: "save",
    });
  } finally {
    await undo();
  }
  assert.equal(res.status, 503);
  const where = ctx.db.dialect === "sqlite" ? shownPath(ctx.config.dataDir) : "the PostgreSQL database \\S+ on \\S+";
  const message = new RegExp(`The server could not save: the disk holding ${where} is full\\. Nothing was changed\\.`);
  assert.match(await res.text(), message);
  const after = await postById(ctx, before.id);
  assert.equal(after?.title, "Before");
  assert.equal(after?.body_md, "The text as it was.");
  assert.equal(after?.updated_at, before.updated_at);
  assert.deepEqual(
    logged.map((l) => [l.msg, l.fields?.code]),
    [["could not save", ctx.db.dialect === "sqlite" ? "SQLITE_FULL" : "53100"]],
  );
  assert.match(String(logged[0].fields?.error), /^the disk holding .* is full$/);
});
