import assert from "node:assert/strict";
import fs from "node:fs";
import path from "node:path";
import { afterEach, beforeEach, test } from "node:test";
import { createTestContext, type TestContext } from "../testing.ts";
import { injectFault } from "./faults.ts";
import { StorageError, shownPath, storageErrorOf, storagePlace } from "./storage-errors.ts";

let ctx: TestContext;
beforeEach(async () => {
  ctx = await createTestContext();
});
afterEach(async () => ctx.cleanup());

const pgName = () => {
  const url = new URL(ctx.config.databaseUrl as string);
  return `the PostgreSQL database ${url.pathname.slice(1)} on ${url.hostname}`;
};

/** A write of ~200 KB into `themes`: more pages than the injected limit allows. */
const bigWrite = () =>
  ctx.db.kysely
    .insertInto("themes")
    .values({
      name: "Big",
      slug: "big",
      description: "x".repeat(200_000),
      position: 0,
      created_at: "2026-01-01T00:00:00.000Z",
    })
    .execute();

test("a full database's error names the disk holding the data folder (SQLite) or the database (PostgreSQL)", async () => {
  const undo = await injectFault(ctx.db, "full", "themes");
  const err = await bigWrite().then(
    () => assert.fail("the write should fail"),
    (e: unknown) => e,
  );
  await undo();
  const found = storageErrorOf(err, storagePlace(ctx.config));
  assert.ok(found instanceof StorageError, String(err));
  assert.equal(found.failure, "full");
  assert.equal(found.code, ctx.db.dialect === "sqlite" ? "SQLITE_FULL" : "53100");
  const where = ctx.db.dialect === "sqlite" ? shownPath(ctx.config.dataDir) : pgName();
  assert.equal(found.message, `the disk holding ${where} is full`);
  assert.equal(found.cause, err);
  assert.equal(
    storageErrorOf(new Error("saving failed", { cause: err }), storagePlace(ctx.config))?.message,
    found.message,
  );
  await bigWrite(); // room again once the fault is gone
});

test("a read-only database's error names the database file (SQLite) or the database (PostgreSQL)", async () => {
  const undo = await injectFault(ctx.db, "read-only", "themes");
  const err = await bigWrite().then(
    () => assert.fail("the write should fail"),
    (e: unknown) => e,
  );
  await undo();
  const found = storageErrorOf(err, storagePlace(ctx.config));
  const where = ctx.db.dialect === "sqlite" ? shownPath(path.join(ctx.config.dataDir, "liner.db")) : pgName();
  assert.equal(found?.message, `${where} is read-only`);
  assert.equal(found?.failure, "read-only");
});

test("file system errors: a full disk (a real ENOSPC from /dev/full), read-only and permission problems in the data folder", () => {
  const place = { dataDir: "/srv/liner/data" };
  let enospc: unknown;
  try {
    fs.writeFileSync("/dev/full", "x");
  } catch (e) {
    enospc = e;
  }
  assert.equal((enospc as NodeJS.ErrnoException).code, "ENOSPC");
  // write() errors carry no path: the place is unknown (media writes add theirs, see content/media.ts).
  assert.equal(storageErrorOf(enospc, place)?.message, "a disk is full (no space left on the device)");
  const errno = (code: string, p: string) => Object.assign(new Error(`${code}: ${p}`), { code, path: p });
  assert.equal(
    storageErrorOf(errno("ENOSPC", "/srv/liner/data/media/a.png"), place)?.message,
    "the disk holding /srv/liner/data is full",
  );
  assert.equal(storageErrorOf(errno("EROFS", "/srv/liner/data/media"), place)?.message, "/srv/liner/data is read-only");
  assert.equal(
    storageErrorOf(errno("EACCES", "/srv/liner/data/media/a.png"), place)?.message,
    "/srv/liner/data/media/a.png cannot be written (permission denied)",
  );
  // Outside the data folder a permission problem is the command's own to report (a folder it was given).
  assert.equal(storageErrorOf(errno("EACCES", "/home/me/posts"), place), undefined);
  assert.equal(storageErrorOf(errno("ENOENT", "/srv/liner/data/x"), place), undefined);
  assert.equal(storageErrorOf(new Error("boom"), place), undefined);
  assert.equal(shownPath(path.join(process.cwd(), "data")), `.${path.sep}data`);
});
