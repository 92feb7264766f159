/**
 * SQL for events and registrations. Places are handed out inside a transaction that first locks
 * the event's row (`FOR UPDATE` on PostgreSQL; SQLite runs one transaction at a time), so two
 * registrations or two cancellations at once never give away more places than there are.
 */
import { type Kysely, type Selectable, sql, type Transaction } from "kysely";
import type { Db } from "../lib/db/index.ts";
import type { Database, EventsTable, RegistrationStatus, RegistrationsTable } from "../lib/db/schema.ts";
import { inTransaction } from "../lib/db/transaction.ts";

export type EventRow = Selectable<EventsTable>;
export type RegistrationRow = Selectable<RegistrationsTable>;

/** An event with the post it belongs to. */
export interface EventPost extends EventRow {
  slug: string;
  title: string;
  summary: string;
  status: string;
  published_at: string | null;
  updated_at: string;
}

/** How many hold a place and how many wait, per event. */
export interface EventCounts {
  registered: number;
  waitlisted: number;
}

type Q = Kysely<Database> | Transaction<Database>;

const postColumns = ["p.slug", "p.title", "p.summary", "p.status", "p.published_at", "p.updated_at"] as const;

async function lockEvent(t: Q, db: Db, eventId: number): Promise<EventRow | undefined> {
  const lock = db.dialect === "postgres" ? sql`FOR UPDATE` : sql``;
  const res = await sql<EventRow>`SELECT * FROM events WHERE post_id = ${eventId} ${lock}`.execute(t);
  return res.rows[0];
}

async function registeredCount(t: Q, eventId: number): Promise<number> {
  const r = await t
    .selectFrom("registrations")
    .select((eb) => eb.fn.countAll<number>().as("n"))
    .where("event_id", "=", eventId)
    .where("status", "=", "registered")
    .executeTakeFirst();
  return Number(r?.n ?? 0);
}

/** Move the first waitlisted people up while places are free; returns those promoted. */
async function promoteIn(t: Q, ev: EventRow, at: string): Promise<RegistrationRow[]> {
  const free = ev.capacity === null ? Number.MAX_SAFE_INTEGER : ev.capacity - (await registeredCount(t, ev.post_id));
  if (free <= 0) return [];
  const waiting = await t
    .selectFrom("registrations")
    .selectAll()
    .where("event_id", "=", ev.post_id)
    .where("status", "=", "waitlisted")
    .orderBy("created_at")
    .orderBy("id")
    .limit(Math.min(free, 10_000))
    .execute();
  const promoted: RegistrationRow[] = [];
  for (const w of waiting) {
    const res = await t
      .updateTable("registrations")
      .set({ status: "registered", promoted_at: at })
      .where("id", "=", w.id)
      .where("status", "=", "waitlisted")
      .executeTakeFirst();
    if (Number(res.numUpdatedRows) === 1) promoted.push({ ...w, status: "registered", promoted_at: at });
  }
  return promoted;
}

export function eventStore(db: Db) {
  const k = db.kysely;
  const withPost = () =>
    k.selectFrom("events as e").innerJoin("posts as p", "p.id", "e.post_id").selectAll("e").select(postColumns);
  return {
    /** Erasure: the address, name and answer of every registration of `email` are removed; the rows stay for counts. */
    async eraseEmail(email: string): Promise<number> {
      const rows = await k.selectFrom("registrations").select("id").where("email", "=", email).execute();
      for (const r of rows) {
        await k
          .updateTable("registrations")
          .set({ email: `erased-${r.id}`, name: "", answer: "" })
          .where("id", "=", r.id)
          .execute();
      }
      return rows.length;
    },

    byPost: (postId: number) => k.selectFrom("events").selectAll().where("post_id", "=", postId).executeTakeFirst(),

    /** The event of a post by slug (any status; the caller checks visibility). */
    bySlug: (slug: string): Promise<EventPost | undefined> =>
      withPost().where("p.slug", "=", slug).where("p.kind", "=", "event").executeTakeFirst(),

    byPostWithPost: (postId: number): Promise<EventPost | undefined> =>
      withPost().where("e.post_id", "=", postId).executeTakeFirst(),

    /** Insert or replace a post's event; returns the row as it was before (undefined if new). */
    async put(row: EventRow): Promise<EventRow | undefined> {
      const before = await k.selectFrom("events").selectAll().where("post_id", "=", row.post_id).executeTakeFirst();
      const { post_id, ...rest } = row;
      if (before) await k.updateTable("events").set(rest).where("post_id", "=", post_id).execute();
      else await k.insertInto("events").values(row).execute();
      return before;
    },

    /**
     * Events of published posts visible at `now`, soonest first; `endingAfter` keeps only
     * those not yet over.
     */
    published(now: string, opts: { endingAfter?: string; limit?: number } = {}): Promise<EventPost[]> {
      let q = withPost()
        .where("p.kind", "=", "event")
        .where("p.status", "=", "published")
        .where("p.published_at", "<=", now);
      if (opts.endingAfter) q = q.where("e.ends_at", ">", opts.endingAfter);
      return q
        .orderBy("e.starts_at")
        .limit(opts.limit ?? 1000)
        .execute();
    },

    /** Every event (for the admin: the latest 1000; the export: all), newest start first. */
    all: (limit = 1000): Promise<EventPost[]> =>
      withPost().where("p.kind", "=", "event").orderBy("e.starts_at", "desc").limit(limit).execute(),

    async counts(eventIds: number[]): Promise<Map<number, EventCounts>> {
      const out = new Map<number, EventCounts>(eventIds.map((id) => [id, { registered: 0, waitlisted: 0 }]));
      if (!eventIds.length) return out;
      const rows = await k
        .selectFrom("registrations")
        .select((eb) => ["event_id", "status", eb.fn.countAll<number>().as("n")])
        .where("event_id", "in", eventIds)
        .where("status", "in", ["registered", "waitlisted"])
        .groupBy(["event_id", "status"])
        .execute();
      for (const r of rows) {
        const c = out.get(r.event_id);
        if (c) c[r.status as "registered" | "waitlisted"] = Number(r.n);
      }
      return out;
    },

    registrationById: (id: number) => k.selectFrom("registrations").selectAll().where("id", "=", id).executeTakeFirst(),

    /** Registrations of an event in sign-up order (cancelled last). */
    registrations: (eventId: number) =>
      k
        .selectFrom("registrations")
        .selectAll()
        .where("event_id", "=", eventId)
        .orderBy(sql`CASE status WHEN 'registered' THEN 0 WHEN 'waitlisted' THEN 1 ELSE 2 END`)
        .orderBy("created_at")
        .orderBy("id")
        .execute(),

    /**
     * Register an address: a place if one is free, else the waitlist. An address already
     * registered or waiting keeps its row (`created` false); a cancelled one signs up anew.
     */
    register(
      eventId: number,
      r: { email: string; name: string; answer: string; sourcePage: string },
      at: string,
    ): Promise<{ row: RegistrationRow; created: boolean }> {
      return inTransaction(db, async ({ kysely: t }) => {
        const ev = await lockEvent(t, db, eventId);
        if (!ev) throw new Error(`event ${eventId} vanished`);
        const existing = await t
          .selectFrom("registrations")
          .selectAll()
          .where("event_id", "=", eventId)
          .where("email", "=", r.email)
          .executeTakeFirst();
        if (existing && existing.status !== "cancelled") return { row: existing, created: false };
        const full = ev.capacity !== null && (await registeredCount(t, eventId)) >= ev.capacity;
        // Someone already waiting is ahead of a newcomer even when a place just opened.
        const queue = await t
          .selectFrom("registrations")
          .select("id")
          .where("event_id", "=", eventId)
          .where("status", "=", "waitlisted")
          .limit(1)
          .executeTakeFirst();
        const status: RegistrationStatus = full || queue ? "waitlisted" : "registered";
        const values = {
          name: r.name,
          answer: r.answer,
          status,
          source_page: r.sourcePage,
          created_at: at,
          promoted_at: null,
          cancelled_at: null,
          reminded_at: null,
        };
        if (existing) {
          await t.updateTable("registrations").set(values).where("id", "=", existing.id).execute();
          return { row: { ...existing, ...values }, created: true };
        }
        const row = await t
          .insertInto("registrations")
          .values({ event_id: eventId, email: r.email, ...values })
          .returningAll()
          .executeTakeFirstOrThrow();
        return { row, created: true };
      });
    },

    /**
     * Cancel a registration and give freed places to the first in the waitlist. Returns whether
     * this call cancelled it (false: it already was) and who was promoted.
     */
    cancel(id: number, at: string, promote = true): Promise<{ cancelled: boolean; promoted: RegistrationRow[] }> {
      return inTransaction(db, async ({ kysely: t }) => {
        const reg = await t.selectFrom("registrations").select("event_id").where("id", "=", id).executeTakeFirst();
        if (!reg) return { cancelled: false, promoted: [] };
        const ev = await lockEvent(t, db, reg.event_id);
        const res = await t
          .updateTable("registrations")
          .set({ status: "cancelled", cancelled_at: at })
          .where("id", "=", id)
          .where("status", "!=", "cancelled")
          .executeTakeFirst();
        const cancelled = Number(res.numUpdatedRows) === 1;
        return { cancelled, promoted: cancelled && promote && ev ? await promoteIn(t, ev, at) : [] };
      });
    },

    /** Fill free places from the waitlist (after the capacity was raised). */
    promote(eventId: number, at: string): Promise<RegistrationRow[]> {
      return inTransaction(db, async ({ kysely: t }) => {
        const ev = await lockEvent(t, db, eventId);
        return ev ? promoteIn(t, ev, at) : [];
      });
    },

    /** Registered people not yet reminded. */
    toRemind: (eventId: number) =>
      k
        .selectFrom("registrations")
        .selectAll()
        .where("event_id", "=", eventId)
        .where("status", "=", "registered")
        .where("reminded_at", "is", null)
        .orderBy("id")
        .execute(),

    /** Claim one reminder: true only for the one call that set `reminded_at`. */
    async markReminded(id: number, at: string): Promise<boolean> {
      const res = await k
        .updateTable("registrations")
        .set({ reminded_at: at })
        .where("id", "=", id)
        .where("reminded_at", "is", null)
        .where("status", "=", "registered")
        .executeTakeFirst();
      return Number(res.numUpdatedRows) === 1;
    },

    /** A rescheduled event reminds everyone again, for the new time. */
    async resetReminders(eventId: number): Promise<void> {
      await k.updateTable("registrations").set({ reminded_at: null }).where("event_id", "=", eventId).execute();
    },
  };
}
