/**
 * Each module's own state in its own tables (issue 11): `settings` keeps only the site-wide
 * settings (`secret`, `admin_timezone`, `site`). What modules had kept there moves, with its
 * data, and the moved keys are deleted:
 *
 * - content: `content_version` and `demo_seeded` → `content_state` (one row). The version is now
 *   a counter that every content change increments (the old value was a time, which does not
 *   move when the clock does not); a database whose content had changed starts it at 1.
 * - reader: `reader.citations_cursor` → `reader_state` (one row); the deleted saves kept for
 *   undo (`reader.deleted_save.<id>`) → `saves_trash`; mark-all-read undo batches
 *   (`reader_undo:<user>`) → `reader_undo`, one per user (batches of removed users are dropped).
 * - digest: `digest_schedule` → `digest_settings` (one row; the schedule as the same JSON).
 * - audience: `digest_tracking` → `audience_settings` (one row).
 * - inquiries: `inquiries` (the page's intro) → `inquiry_settings` (one row).
 *
 * A single-row table's missing row means "the defaults": nothing is inserted for a key that
 * was never set.
 */
import type { Kysely } from "kysely";
import type { Dialect } from "../index.ts";
import { singleRowKey } from "./helpers.ts";

export async function up(db: Kysely<unknown>, _dialect: Dialect): Promise<void> {
  await singleRowKey(db.schema.createTable("content_state"))
    // Incremented by every change that affects public pages (see content's contentChanged).
    .addColumn("version", "integer", (c) => c.notNull().defaultTo(0))
    // When the demo content was first added (it is never added again, even if deleted).
    .addColumn("demo_seeded_at", "text")
    .execute();

  await singleRowKey(db.schema.createTable("reader_state"))
    // The last item id whose citations are indexed (claimed with a conditional UPDATE).
    .addColumn("citations_cursor", "integer", (c) => c.notNull().defaultTo(0))
    .execute();

  await db.schema
    .createTable("saves_trash")
    // No reference: the save row is gone while it is here.
    .addColumn("save_id", "integer", (c) => c.primaryKey())
    .addColumn("deleted_at", "text", (c) => c.notNull())
    // JSON {save, credits, themeIds}: what restoring puts back.
    .addColumn("data", "text", (c) => c.notNull())
    .execute();
  await db.schema.createIndex("saves_trash_deleted").on("saves_trash").columns(["deleted_at"]).execute();

  await db.schema
    .createTable("reader_undo")
    .addColumn("user_id", "integer", (c) => c.primaryKey().references("users.id").onDelete("cascade"))
    .addColumn("token", "text", (c) => c.notNull())
    .addColumn("read_at", "text", (c) => c.notNull())
    // JSON array of the item ids the batch marked read.
    .addColumn("item_ids", "text", (c) => c.notNull())
    .execute();

  await singleRowKey(db.schema.createTable("digest_settings"))
    // JSON, validated when read (digest/schedule.ts): "{}" is the default schedule.
    .addColumn("schedule", "text", (c) => c.notNull().defaultTo("{}"))
    .execute();

  await singleRowKey(db.schema.createTable("audience_settings"))
    // 1: clicks on links in digests are counted per subscriber (and every list's promise says so).
    .addColumn("per_subscriber_clicks", "integer", (c) => c.notNull().defaultTo(0))
    .execute();

  await singleRowKey(db.schema.createTable("inquiry_settings"))
    // The "Work with me" page's intro; empty means the default text.
    .addColumn("intro", "text", (c) => c.notNull().defaultTo(""))
    .execute();

  await moveSettings(db as Kysely<any>);
}

/** A stored JSON value, or undefined when it does not parse (such a value was unusable before too). */
function parsed(value: string): unknown {
  try {
    return JSON.parse(value);
  } catch {
    return undefined;
  }
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null;

/** Copy the modules' keys out of `settings` into their tables, then delete them there. */
async function moveSettings(k: Kysely<any>): Promise<void> {
  const rows: { key: string; value: string }[] = await k.selectFrom("settings").select(["key", "value"]).execute();
  const moved: string[] = [];
  /** The row of a moved key (which is then deleted from `settings`), or undefined. */
  const take = (key: string) => {
    const row = rows.find((r) => r.key === key);
    if (row) moved.push(key);
    return row;
  };

  const version = take("content_version");
  const seeded = take("demo_seeded");
  if (version || seeded) {
    const at = seeded ? parsed(seeded.value) : undefined;
    await k
      .insertInto("content_state")
      .values({
        id: 1,
        version: version ? 1 : 0,
        demo_seeded_at: seeded ? (typeof at === "string" ? at : seeded.value) : null,
      })
      .execute();
  }

  const cursor = take("reader.citations_cursor");
  if (cursor) {
    await k
      .insertInto("reader_state")
      .values({ id: 1, citations_cursor: Number(parsed(cursor.value)) || 0 })
      .execute();
  }

  const schedule = take("digest_schedule");
  if (schedule) {
    // Kept as it was: reading validates it and falls back to the defaults.
    await k.insertInto("digest_settings").values({ id: 1, schedule: schedule.value }).execute();
  }

  const tracking = take("digest_tracking");
  if (tracking) {
    const v = parsed(tracking.value);
    const on = isObject(v) && v.perSubscriber === true;
    await k
      .insertInto("audience_settings")
      .values({ id: 1, per_subscriber_clicks: on ? 1 : 0 })
      .execute();
  }

  const inquiries = take("inquiries");
  if (inquiries) {
    const v = parsed(inquiries.value);
    const intro = isObject(v) && typeof v.intro === "string" ? v.intro : "";
    await k.insertInto("inquiry_settings").values({ id: 1, intro }).execute();
  }

  const TRASH = "reader.deleted_save.";
  for (const row of rows.filter((r) => r.key.startsWith(TRASH))) {
    moved.push(row.key);
    const entry = parsed(row.value);
    const saveId = Number(row.key.slice(TRASH.length));
    if (!isObject(entry) || typeof entry.deletedAt !== "string" || !Number.isInteger(saveId)) continue;
    const { deletedAt, ...data } = entry;
    await k
      .insertInto("saves_trash")
      .values({ save_id: saveId, deleted_at: deletedAt, data: JSON.stringify(data) })
      .execute();
  }

  const UNDO = "reader_undo:";
  const undo = rows.filter((r) => r.key.startsWith(UNDO));
  const userIds = undo.map((r) => Number(r.key.slice(UNDO.length))).filter(Number.isInteger);
  const users = new Set<number>();
  for (let i = 0; i < userIds.length; i += 500) {
    const found: { id: number }[] = await k
      .selectFrom("users")
      .select("id")
      .where("id", "in", userIds.slice(i, i + 500))
      .execute();
    for (const u of found) users.add(u.id);
  }
  for (const row of undo) {
    moved.push(row.key);
    const batch = parsed(row.value);
    const userId = Number(row.key.slice(UNDO.length));
    if (!users.has(userId) || !isObject(batch) || typeof batch.token !== "string") continue;
    if (typeof batch.readAt !== "string" || !Array.isArray(batch.ids)) continue;
    await k
      .insertInto("reader_undo")
      .values({ user_id: userId, token: batch.token, read_at: batch.readAt, item_ids: JSON.stringify(batch.ids) })
      .execute();
  }

  for (let i = 0; i < moved.length; i += 500) {
    await k
      .deleteFrom("settings")
      .where("key", "in", moved.slice(i, i + 500))
      .execute();
  }
}
