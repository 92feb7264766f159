/**
 * What goes into a backup: the media files it hashed and nothing else, so that a file that
 * appears while it runs (an upload) cannot spoil its verification.
 */
import assert from "node:assert/strict";
import fs from "node:fs";
import path from "node:path";
import { afterEach, beforeEach, test } from "node:test";
import { createTestContext, type TestContext } from "../lib/testing.ts";
import { readArchive } from "./archive.ts";
import { backupSite } from "./backup.ts";

let ctx: TestContext;
beforeEach(async () => {
  ctx = await createTestContext();
});
afterEach(() => ctx.cleanup());

test("a backup holds the media files it listed, and not what else is in the folder", async () => {
  const media = path.join(ctx.config.dataDir, "media");
  fs.mkdirSync(path.join(media, "2026"), { recursive: true });
  fs.writeFileSync(path.join(media, "2026", "a-640.webp"), "a");
  fs.writeFileSync(path.join(ctx.config.dataDir, "elsewhere.txt"), "not media");
  // Not a regular file of the folder (the archive follows links only to find the folder itself).
  fs.symlinkSync(path.join(ctx.config.dataDir, "elsewhere.txt"), path.join(media, "link.webp"));
  const file = path.join(ctx.config.dataDir, "b.tar.gz");
  const r = await backupSite(ctx, file);
  assert.equal(r.media, 1);
  const m = await readArchive(file);
  assert.deepEqual(
    Object.keys(m.entries).filter((e) => e.startsWith("media/")),
    ["media/2026/a-640.webp"],
  );
});
