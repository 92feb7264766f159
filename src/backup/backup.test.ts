/**
 * What goes into a backup: one consistent moment of a database that keeps being written to, and
 * the media files it hashed and nothing else (an upload while it runs cannot spoil it).
 */
import assert from "node:assert/strict";
import fs from "node:fs";
import path from "node:path";
import { afterEach, beforeEach, test } from "node:test";
import { inTransaction } from "../lib/db/transaction.ts";
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

test("a backup taken while the site writes holds one moment: every list with its subscription, or neither", async () => {
  const at = "2026-01-01T00:00:00.000Z";
  const subscriber = await ctx.db.kysely
    .insertInto("subscribers")
    .values({ email: "ada@example.net", name: "Ada", created_at: at })
    .returning("id")
    .executeTakeFirstOrThrow();
  let stop = false;
  let written = 0;
  // A list and a consent record for it in one transaction, again and again, while the backup
  // reads: the two tables are far apart in the dump's order, so a dump without one snapshot
  // (on PostgreSQL, where the writes interleave) would find subscriptions to lists it lacks.
  const writer = (async () => {
    while (!stop) {
      await inTransaction(ctx.db, async (tx) => {
        const list = await tx.kysely
          .insertInto("lists")
          .values({ slug: `l${written}`, name: "L", promise: "", is_public: 1, created_at: at })
          .returning("id")
          .executeTakeFirstOrThrow();
        await tx.kysely
          .insertInto("subscriptions")
          .values({
            subscriber_id: subscriber.id,
            list_id: list.id,
            status: "confirmed",
            promise_shown: "",
            source: "test",
            source_page: "",
            requested_at: at,
            confirmed_at: at,
            unsubscribed_at: null,
          })
          .execute();
      });
      written++;
      await new Promise((r) => setImmediate(r));
    }
  })();
  while (written < 20) await new Promise((r) => setImmediate(r));
  const file = path.join(ctx.config.dataDir, "busy.tar.gz");
  await backupSite(ctx, file);
  stop = true;
  await writer;

  const dir = fs.mkdtempSync(path.join(ctx.config.dataDir, "x-"));
  await readArchive(file, { dest: dir });
  const rows = (table: string) => {
    const f = fs.readdirSync(path.join(dir, "db")).find((n) => n.endsWith(`_${table}.jsonl`)) as string;
    const text = fs.readFileSync(path.join(dir, "db", f), "utf8").trim();
    return text ? text.split("\n").map((l) => JSON.parse(l)) : [];
  };
  const lists = rows("lists").map((l) => l.id);
  const consented = rows("subscriptions").map((s) => s.list_id);
  assert.ok(lists.length >= 20 && lists.length <= written, `${lists.length} of ${written} lists`);
  assert.deepEqual(consented, lists, "the same lists in both tables");
});
