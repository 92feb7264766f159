/**
 * Migration 007 on data made by the version before it: a database migrated up to 006 with
 * `settings` rows exactly as the old code wrote them (values as JSON text) is migrated to the
 * latest, and every value must arrive in its module's table while only the site-wide keys
 * stay in `settings`.
 */
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { type BlankDb, openBlankDatabase } from "../../testing.ts";
import type { Db } from "../index.ts";
import { migrate } from "../migrate.ts";

let blank: BlankDb;
let db: Db;

before(async () => {
  blank = await openBlankDatabase();
  db = blank.db;
});
after(() => blank?.close());

// What the old code stored (see `git show d72c218:src/...`).
const seededAt = "2026-01-05T10:00:00.000Z";
const schedule = { enabled: true, weekday: 4, time: "08:30", prepareHours: 12, autoSend: true, lists: ["weekly"] };
const trashedSave = {
  deletedAt: "2026-02-01T12:00:00.000Z",
  save: {
    id: 17,
    url: "https://example.com/a",
    canonical_url: null,
    title: "A page",
    description: "About a thing",
    author_name: "Ann",
    site_name: "example.com",
    blurb_md: "Worth *reading*.",
    blurb_html: "<p>Worth <em>reading</em>.</p>",
    page_text: "The text of the page",
    item_id: null,
    publish: 1,
    post_id: null,
    user_id: 1,
    created_at: "2026-01-30T09:00:00.000Z",
    updated_at: "2026-01-31T09:00:00.000Z",
  },
  credits: [{ name: "Bob's links", url: "https://bob.example/" }],
  themeIds: [2, 3],
};
const undo = { token: "tok_abc", readAt: "2026-02-02T08:00:00.000Z", ids: [5, 6, 9] };
const siteWide = [
  { key: "secret", value: JSON.stringify("s3cret-value") },
  { key: "admin_timezone", value: JSON.stringify("Europe/Berlin") },
  { key: "site", value: JSON.stringify({ title: "Notes", description: "", language: "en" }) },
];

test("007 moves each module's settings into its own table and leaves only site-wide ones", async () => {
  await migrate(db, { to: "006_digests" });
  const k = db.kysely;
  await k
    .insertInto("users")
    .values({
      email: "owner@example.com",
      name: "Owner",
      role: "owner",
      password_hash: "x",
      created_at: "2026-01-01T00:00:00.000Z",
    })
    .execute();
  await k
    .insertInto("settings")
    .values([
      ...siteWide,
      { key: "content_version", value: JSON.stringify("2026-02-03T04:05:06.000Z") },
      { key: "demo_seeded", value: JSON.stringify(seededAt) },
      { key: "reader.citations_cursor", value: JSON.stringify(42) },
      { key: "reader.deleted_save.17", value: JSON.stringify(trashedSave) },
      { key: "reader_undo:1", value: JSON.stringify(undo) },
      // A removed user's batch: nothing can undo it any more.
      { key: "reader_undo:99", value: JSON.stringify(undo) },
      { key: "digest_schedule", value: JSON.stringify(schedule) },
      { key: "digest_tracking", value: JSON.stringify({ perSubscriber: true }) },
      { key: "inquiries", value: JSON.stringify({ intro: "Tell me about your project." }) },
    ])
    .execute();

  await migrate(db);

  const settings = await k.selectFrom("settings").select(["key", "value"]).orderBy("key").execute();
  assert.deepEqual(
    settings,
    [...siteWide].sort((a, b) => (a.key < b.key ? -1 : 1)),
  );

  const content = await k.selectFrom("content_state").select(["id", "version", "demo_seeded_at"]).execute();
  assert.deepEqual(content, [{ id: 1, version: 1, demo_seeded_at: seededAt }]);

  assert.deepEqual(await k.selectFrom("reader_state").selectAll().execute(), [{ id: 1, citations_cursor: 42 }]);

  const trash = await k.selectFrom("saves_trash").selectAll().execute();
  assert.equal(trash.length, 1);
  assert.equal(trash[0].save_id, 17);
  assert.equal(trash[0].deleted_at, trashedSave.deletedAt);
  const { deletedAt: _d, ...kept } = trashedSave;
  assert.deepEqual(JSON.parse(trash[0].data), kept);

  const undos = await k.selectFrom("reader_undo").selectAll().execute();
  assert.deepEqual(
    undos.map((u) => ({ ...u, item_ids: JSON.parse(u.item_ids) })),
    [{ user_id: 1, token: undo.token, read_at: undo.readAt, item_ids: undo.ids }],
  );

  const digest = await k.selectFrom("digest_settings").selectAll().execute();
  assert.equal(digest.length, 1);
  assert.deepEqual(JSON.parse(digest[0].schedule), schedule);

  assert.deepEqual(await k.selectFrom("audience_settings").selectAll().execute(), [
    { id: 1, per_subscriber_clicks: 1 },
  ]);
  assert.deepEqual(await k.selectFrom("inquiry_settings").selectAll().execute(), [
    { id: 1, intro: "Tell me about your project." },
  ]);

  // The single-row tables take no second row.
  await assert.rejects(k.insertInto("reader_state").values({ id: 2, citations_cursor: 0 }).execute());
});
