/**
 * The promise of issue 13: a backup of a running site, with something in every module, restores
 * onto a fresh SQLite database and onto a fresh PostgreSQL database (whichever database the
 * site ran on), and every table comes back row by row, with the media files.
 */
import assert from "node:assert/strict";
import fs from "node:fs";
import path from "node:path";
import { after, before, test } from "node:test";
import sharp from "sharp";
import { addSubscriber, createList, requestSubscription } from "../audience/testing.ts";
import { createUser } from "../auth/testing.ts";
import { searchPosts } from "../content/index.ts";
import { saveUpload, seedDemo } from "../content/testing.ts";
import { draftDigest, savedFromFeed } from "../digest/testing.ts";
import { type EventsWorld, eventsWorld, makeEvent, registerVia } from "../events/testing.ts";
import { addFolder } from "../reader/testing.ts";
import { backupSite } from "./backup.ts";
import { restoreSite } from "./restore.ts";
import { allRows, freshSite, mediaFiles, postgresReachable } from "./testing.ts";

let w: EventsWorld;
let file: string;
let source: Record<string, unknown[]>;
let closeFeed: () => Promise<void>;

before(async () => {
  w = await eventsWorld();
  const { ctx } = w;
  const owner = await createUser(ctx, { email: "owner@example.com", role: "owner", password: "correct horse battery" });
  await seedDemo(ctx);
  const png = await sharp({ create: { width: 64, height: 48, channels: 3, background: "#c63" } })
    .png()
    .toBuffer();
  await saveUpload(ctx, new File([png], "cover.png", { type: "image/png" }), owner.id);
  // Subscribers with their consent records: confirmed by import, and one asked on the site (pending, emailed).
  await createList(ctx, { slug: "notes", name: "Notes", promise: "One email a month." });
  await addSubscriber(ctx, { email: "ada@example.net", list: "notes", confirmed: true, source: "import" });
  await requestSubscription(ctx, { email: "bo@example.net", name: "Bo", lists: ["notes"], sourcePage: "/about" });
  // An event with registrations through its public form.
  await makeEvent(w, { slug: "workshop" });
  assert.equal((await registerVia(w, "workshop", { name: "Cy", email: "cy@example.net" })).status, 200);
  // Inquiries have no test helper: the row as the form would write it.
  await ctx.db.kysely
    .insertInto("inquiries")
    .values({
      name: "Di",
      email: "di@example.net",
      topic: "Workshop",
      message: "Can you run one for us?",
      source_page: "/work-with-me",
      referrer: "",
      status: "new",
      created_at: ctx.now().toISOString(),
    })
    .execute();
  // Sources, items, saves with credit chains, then a digest of them.
  const feed = await savedFromFeed(ctx);
  closeFeed = () => feed.server.close();
  await draftDigest(ctx, { since: new Date("2000-01-01T00:00:00Z") });
  // A folder whose parent has the higher id: loading by id order alone would break its reference.
  const child = await addFolder(ctx, "Child");
  const parent = await addFolder(ctx, "Parent");
  await ctx.db.kysely.updateTable("folders").set({ parent_id: parent }).where("id", "=", child).execute();

  file = path.join(ctx.config.dataDir, "site.tar.gz");
  const r = await backupSite(ctx, file);
  assert.equal(r.media, Object.keys(mediaFiles(ctx)).length);
  source = await allRows(ctx);
});

after(async () => {
  await closeFeed?.();
  await w.close();
});

for (const kind of ["sqlite", "postgres"] as const) {
  test(`a backup of a ${process.env.DATABASE_URL ? "PostgreSQL" : "SQLite"} site restores onto a fresh ${kind} database, every table row by row`, async (t) => {
    if (kind === "postgres" && !process.env.CI && !(await postgresReachable())) {
      t.skip("no PostgreSQL at 127.0.0.1:5432 (CI has one)");
      return;
    }
    // Every module put something in: the comparison below is not of empty tables.
    for (const table of ["posts", "media", "subscribers", "subscriptions", "events", "registrations", "inquiries"])
      assert.ok(source[table].length > 0, `the site has ${table}`);
    for (const table of ["sources", "items", "saves", "save_credits", "digests", "digest_entries", "outbox", "folders"])
      assert.ok(source[table].length > 0, `the site has ${table}`);

    const target = await freshSite(kind);
    try {
      const r = await restoreSite(target.ctx, file);
      assert.equal(r.manifest.dialect, w.ctx.db.dialect);
      const restored = await allRows(target.ctx);
      assert.deepEqual(Object.keys(restored).sort(), Object.keys(source).sort(), "the same tables");
      for (const [table, rows] of Object.entries(source)) assert.deepEqual(restored[table], rows, `table ${table}`);
      assert.deepEqual(mediaFiles(target.ctx), mediaFiles(w.ctx), "the same media files, byte for byte");

      // The restored site works: search finds a post (SQLite's index follows the loaded rows), and
      // new rows get new ids (PostgreSQL's sequences moved past the loaded ones).
      const title = String((source.posts.at(-1) as { title: string }).title);
      const word = title.split(/\W+/).sort((a, b) => b.length - a.length)[0];
      const found = await searchPosts(target.ctx.db, { q: word, includeUnpublished: true, limit: 50 });
      assert.ok(
        found.hits.some((h) => h.post.title === title),
        `search for "${word}" finds "${title}"`,
      );
      await createList(target.ctx, { slug: "after", name: "After the restore" });
      const lists = await target.ctx.db.kysely.selectFrom("lists").select("id").execute();
      assert.equal(new Set(lists.map((l) => l.id)).size, lists.length);
    } finally {
      await target.cleanup();
    }
  });
}

test("the archive is a .tar.gz with the header first, the tables, the media and the manifest last", async () => {
  const { readArchive } = await import("./archive.ts");
  const m = await readArchive(file);
  const names = Object.keys(m.entries);
  assert.equal(names[0], "liner-backup.json");
  assert.ok(names.some((n) => /^db\/\d{3}_posts\.jsonl$/.test(n)));
  assert.ok(names.some((n) => n.startsWith("media/")));
  assert.match(m.schemaVersion, /^\d{3}_/);
  assert.equal(m.tables.find((t) => t.name === "posts")?.rows, source.posts.length);
  // Parents before children: posts before post_themes, folders' own order kept by the loader.
  const order = m.tables.map((t) => t.name);
  assert.ok(order.indexOf("posts") < order.indexOf("post_themes"));
  assert.ok(order.indexOf("users") < order.indexOf("media"));
  assert.equal(fs.existsSync(`${file}.partial`), false);
});
