/**
 * Versions: a backup made at an older schema restores through the later migrations; one from a
 * newer Liner Notes (a later schema or backup format) is refused with a message saying so, and
 * nothing in the site changes.
 */
import assert from "node:assert/strict";
import fs from "node:fs";
import path from "node:path";
import { afterEach, beforeEach, test } from "node:test";
import type { Kysely } from "kysely";
import { createUser } from "../auth/testing.ts";
import { migrate } from "../lib/db/migrate.ts";
import { createTestContext, openBlankDatabase, type TestContext } from "../lib/testing.ts";
import { BackupFileError, HEADER } from "./archive.ts";
import { backupSite } from "./backup.ts";
import { restoreSite } from "./restore.ts";
import { repack } from "./testing.ts";

let ctx: TestContext;
beforeEach(async () => {
  ctx = await createTestContext();
});
afterEach(() => ctx.cleanup());

test("a backup of an older schema is brought up to date by the later migrations on the way in", async () => {
  const old = await openBlankDatabase();
  const file = path.join(ctx.config.dataDir, "old.tar.gz");
  const at = "2026-02-03T10:00:00.000Z";
  try {
    // Before 013, posts had no feed_id: 013 freezes a published post's path as its feed id.
    await migrate(old.db, { to: "012_editor" });
    const k = old.db.kysely as unknown as Kysely<Record<string, Record<string, unknown>>>;
    await k
      .insertInto("users")
      .values({ email: "ann@example.com", name: "Ann", role: "owner", password_hash: "x", created_at: at })
      .execute();
    await k
      .insertInto("posts")
      .values({
        kind: "article",
        status: "published",
        slug: "old-article",
        title: "Old",
        published_at: at,
        created_at: at,
        updated_at: at,
      })
      .execute();
    const r = await backupSite({ ...ctx, db: old.db }, file);
    assert.equal(r.schemaVersion, "012_editor");
  } finally {
    await old.close();
  }
  const restored = await restoreSite(ctx, file);
  assert.equal(restored.upgradedFrom, "012_editor");
  const users = await ctx.db.kysely.selectFrom("users").select(["email", "name", "role"]).execute();
  assert.deepEqual(users, [{ email: "ann@example.com", name: "Ann", role: "owner" }]);
  const posts = await ctx.db.kysely.selectFrom("posts").select(["slug", "feed_id"]).execute();
  assert.deepEqual(posts, [{ slug: "old-article", feed_id: "/posts/old-article" }]);
});

test("a backup from a newer Liner Notes is refused, and the site is left as it was", async () => {
  await createUser(ctx, { email: "owner@example.com", role: "owner", password: "correct horse battery" });
  const file = path.join(ctx.config.dataDir, "now.tar.gz");
  await backupSite(ctx, file);
  const header = (edit: Record<string, unknown>) => (dir: string) => {
    const p = path.join(dir, HEADER);
    fs.writeFileSync(p, JSON.stringify({ ...JSON.parse(fs.readFileSync(p, "utf8")), ...edit }));
  };
  const schema = await repack(
    file,
    path.join(ctx.config.dataDir, "schema.tar.gz"),
    header({ schemaVersion: "999_future" }),
    {
      rehash: true,
    },
  );
  const format = await repack(file, path.join(ctx.config.dataDir, "format.tar.gz"), header({ formatVersion: 2 }), {
    rehash: true,
  });
  const other = await repack(
    file,
    path.join(ctx.config.dataDir, "other.tar.gz"),
    header({ format: "something-else" }),
    {
      rehash: true,
    },
  );
  await assert.rejects(restoreSite(ctx, schema, { force: true }), (err: Error) => {
    assert.ok(err instanceof BackupFileError);
    assert.match(
      err.message,
      /^\/.+\/schema\.tar\.gz was made by a newer Liner Notes \(.*schema 999_future; this one has \d{3}_\w+\); upgrade Liner Notes to restore it$/,
    );
    return true;
  });
  await assert.rejects(
    restoreSite(ctx, format, { force: true }),
    /^BackupFileError: \/.+\/format\.tar\.gz was made by a newer Liner Notes \(.*backup format 2\); upgrade/,
  );
  await assert.rejects(
    restoreSite(ctx, other, { force: true }),
    /^BackupFileError: \/.+\/other\.tar\.gz is not a Liner Notes backup$/,
  );
  assert.deepEqual(
    (await ctx.db.kysely.selectFrom("users").select("email").execute()).map((u) => u.email),
    ["owner@example.com"],
  );
});
