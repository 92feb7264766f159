/**
 * SQL for email delivery: sends, the outbox and suppressions. Rows are claimed with a lease
 * (`FOR UPDATE SKIP LOCKED` on PostgreSQL, so several workers share one outbox); a row whose
 * lease ran out (its worker died mid-send) is claimed again and resent with the same Message-ID.
 */
import { type Insertable, type Selectable, sql } from "kysely";
import type { Db } from "../lib/db/index.ts";
import type { MailSendsTable, OutboxStatus, OutboxTable } from "../lib/db/schema.ts";

export type OutboxRow = Selectable<OutboxTable>;
export type SendRow = Selectable<MailSendsTable>;
export type NewOutboxRow = Insertable<OutboxTable>;

/** Counts of a send's rows by status, and when its first and last messages went. */
export interface SendProgress {
  total: number;
  queued: number;
  sending: number;
  sent: number;
  failed: number;
  suppressed: number;
  firstSentAt: string | null;
  lastSentAt: string | null;
}

/** Rows per INSERT: well under SQLite's and PostgreSQL's bound-parameter limits. */
const CHUNK = 500;

export function mailStore(db: Db) {
  const k = db.kysely;
  return {
    /** One outbox row, or undefined. */
    outboxRow: (id: number) => k.selectFrom("outbox").selectAll().where("id", "=", id).executeTakeFirst(),

    async createSend(send: Insertable<MailSendsTable>): Promise<number> {
      const row = await k.insertInto("mail_sends").values(send).returning("id").executeTakeFirstOrThrow();
      return row.id;
    },

    sendById: (id: number) => k.selectFrom("mail_sends").selectAll().where("id", "=", id).executeTakeFirst(),

    listSends: (limit = 20) => k.selectFrom("mail_sends").selectAll().orderBy("id", "desc").limit(limit).execute(),
    /** Sends of one post, newest first. */
    sendsOfPost: (postId: number) =>
      k.selectFrom("mail_sends").selectAll().where("post_id", "=", postId).orderBy("id", "desc").execute(),

    async insertRows(rows: NewOutboxRow[]): Promise<void> {
      for (let i = 0; i < rows.length; i += CHUNK) {
        await k
          .insertInto("outbox")
          .values(rows.slice(i, i + CHUNK))
          .execute();
      }
    },

    /** The outbox id of the row with this Message-ID (unique per row). */
    async idOfMessage(messageId: string): Promise<number> {
      const [row] = await k.selectFrom("outbox").select("id").where("message_id", "=", messageId).execute();
      return row.id;
    },

    /** Claim up to `limit` due rows, transactional (lower priority number) first; expired rows are dropped first. */
    async claim(limit: number, now: Date, leaseMs: number): Promise<OutboxRow[]> {
      const nowIso = now.toISOString();
      // Past its expiry a row is never sent (its link no longer works): waiting, or in flight with
      // a lease that ran out.
      await k
        .updateTable("outbox")
        .set({ status: "suppressed", last_response: "expired before it was sent", lease_until: null })
        .where("expires_at", "<=", nowIso)
        .where((eb) =>
          eb.or([eb("status", "=", "queued"), eb.and([eb("status", "=", "sending"), eb("lease_until", "<", nowIso)])]),
        )
        .execute();
      const until = new Date(now.getTime() + leaseMs).toISOString();
      const lock = db.dialect === "postgres" ? sql`FOR UPDATE SKIP LOCKED` : sql``;
      // Two index range scans (due queued rows in send order; rows whose lease ran out), not one
      // OR: with an OR the database read every row of the outbox on each claim, and a 50,000-row
      // send slowed down as it went.
      const res = await sql<OutboxRow>`
        UPDATE outbox SET status = 'sending', lease_until = ${until}, attempts = attempts + 1
        WHERE id IN (
          SELECT id FROM (
            SELECT id FROM outbox WHERE status = 'queued' AND next_attempt_at <= ${nowIso}
            ORDER BY priority, next_attempt_at LIMIT ${limit} ${lock}
          ) due
          UNION ALL
          SELECT id FROM (
            SELECT id FROM outbox WHERE status = 'sending' AND lease_until < ${nowIso} LIMIT ${limit} ${lock}
          ) expired
        )
        RETURNING *`.execute(k);
      return res.rows.sort((a, b) => a.priority - b.priority || a.id - b.id);
    },

    /** Record the outcome of a claimed row (only while it is still ours: status 'sending'). */
    async finish(id: number, status: OutboxStatus, response: string | null, at: string): Promise<void> {
      await k
        .updateTable("outbox")
        .set({ status, last_response: response, lease_until: null, sent_at: status === "sent" ? at : null })
        .where("id", "=", id)
        .where("status", "=", "sending")
        .execute();
    },

    /** Put a claimed row back for a later attempt. */
    async retryAt(id: number, response: string, nextAttemptAt: string): Promise<void> {
      await k
        .updateTable("outbox")
        .set({ status: "queued", last_response: response, lease_until: null, next_attempt_at: nextAttemptAt })
        .where("id", "=", id)
        .where("status", "=", "sending")
        .execute();
    },

    /** Give back a claimed row not yet attempted (its lease is running out): due again at once. */
    async release(row: Pick<OutboxRow, "id" | "lease_until">): Promise<void> {
      await k
        .updateTable("outbox")
        .set({ status: "queued", lease_until: null, attempts: sql<number>`attempts - 1` })
        .where("id", "=", row.id)
        .where("status", "=", "sending")
        // Only while the lease is still the one this claim took: never a row claimed since by another.
        .where("lease_until", "=", row.lease_until)
        .execute();
    },

    /** Which of `emails` are suppressed. */
    async suppressed(emails: string[]): Promise<Set<string>> {
      if (emails.length === 0) return new Set();
      const rows = await k.selectFrom("suppressions").select("email").where("email", "in", emails).execute();
      return new Set(rows.map((r) => r.email));
    },

    /** Suppress an address (idempotent) and withdraw its queued mail. Returns the rows withdrawn. */
    async suppress(email: string, reason: string, detail: string, at: string): Promise<number> {
      await k
        .insertInto("suppressions")
        .values({ email, reason, detail, created_at: at })
        .onConflict((oc) => oc.column("email").doNothing())
        .execute();
      const res = await k
        .updateTable("outbox")
        .set({ status: "suppressed", last_response: `suppressed: ${reason}` })
        .where("to_email", "=", email)
        .where("status", "=", "queued")
        .where("priority", ">", 0)
        .executeTakeFirst();
      return Number(res.numUpdatedRows);
    },

    /** True while a claimed row is still ours to send (not withdrawn meanwhile). */
    async stillClaimed(id: number): Promise<boolean> {
      const row = await k.selectFrom("outbox").select("status").where("id", "=", id).executeTakeFirst();
      return row?.status === "sending";
    },

    /**
     * Withdraw a subscriber's bulk mail for a list, queued or claimed but not yet sent: an
     * unsubscribe takes effect at once, also for a send under way.
     */
    async withdraw(subscriberId: number, listId: number | null, reason: string): Promise<number> {
      let q = k
        .updateTable("outbox")
        .set({ status: "suppressed", last_response: reason, lease_until: null })
        .where("subscriber_id", "=", subscriberId)
        .where("priority", ">", 0)
        .where("status", "in", ["queued", "sending"]);
      if (listId !== null) q = q.where("list_id", "=", listId);
      return Number((await q.executeTakeFirst()).numUpdatedRows);
    },

    /** Withdraw the rows with this topic that are queued or claimed but not yet sent. */
    async withdrawTopic(topic: string, reason: string): Promise<number> {
      const res = await k
        .updateTable("outbox")
        .set({ status: "suppressed", last_response: reason, lease_until: null })
        .where("topic", "=", topic)
        .where("status", "in", ["queued", "sending"])
        .executeTakeFirst();
      return Number(res.numUpdatedRows);
    },

    /**
     * When the next row can be claimed: the earliest queued row's attempt time, or the earliest
     * lease to run out on a row in flight (its worker may have died). Null when nothing is left.
     */
    async pending(): Promise<{ dueAt: string | null }> {
      const [queued, leased] = await Promise.all([
        k
          .selectFrom("outbox")
          .select((eb) => eb.fn.min("next_attempt_at").as("due"))
          .where("status", "=", "queued")
          .executeTakeFirst(),
        k
          .selectFrom("outbox")
          .select((eb) => eb.fn.min("lease_until").as("due"))
          .where("status", "=", "sending")
          .executeTakeFirst(),
      ]);
      const times = [queued?.due, leased?.due].filter((t): t is string => typeof t === "string");
      return { dueAt: times.length ? times.sort()[0] : null };
    },

    /** Waiting and failed rows, and the newest failure or retry reason, for the admin. */
    async outboxSummary() {
      const counts = await k
        .selectFrom("outbox")
        .select((eb) => ["status", eb.fn.countAll<number>().as("n")])
        .where("status", "in", ["queued", "sending", "failed"])
        .groupBy("status")
        .execute();
      const n = (s: string) => Number(counts.find((r) => r.status === s)?.n ?? 0);
      const last = await k
        .selectFrom("outbox")
        .select(["to_email", "last_response", "next_attempt_at"])
        .where("last_response", "is not", null)
        .where("status", "in", ["queued", "failed"])
        .orderBy("id", "desc")
        .limit(1)
        .executeTakeFirst();
      return {
        queued: n("queued") + n("sending"),
        failed: n("failed"),
        lastError: last ? { to: last.to_email, response: last.last_response ?? "", at: last.next_attempt_at } : null,
      };
    },

    async progress(sendId: number): Promise<SendProgress> {
      const rows = await k
        .selectFrom("outbox")
        .select((eb) => [
          "status",
          eb.fn.countAll<number>().as("n"),
          eb.fn.min("sent_at").as("first"),
          eb.fn.max("sent_at").as("last"),
        ])
        .where("send_id", "=", sendId)
        .groupBy("status")
        .execute();
      const p: SendProgress = {
        total: 0,
        queued: 0,
        sending: 0,
        sent: 0,
        failed: 0,
        suppressed: 0,
        firstSentAt: null,
        lastSentAt: null,
      };
      for (const r of rows) {
        const n = Number(r.n);
        p.total += n;
        p[r.status] += n;
        if (r.status === "sent") {
          p.firstSentAt = (r.first as string | null) ?? null;
          p.lastSentAt = (r.last as string | null) ?? null;
        }
      }
      return p;
    },

    /** Mark sends with nothing left to do as done. */
    async finishSends(at: string): Promise<void> {
      await sql`UPDATE mail_sends SET status = 'done', finished_at = ${at}
        WHERE status = 'sending' AND NOT EXISTS (
          SELECT 1 FROM outbox o WHERE o.send_id = mail_sends.id AND o.status IN ('queued', 'sending'))`.execute(k);
    },

    rowsOf: (sendId: number | null) =>
      (sendId === null
        ? k.selectFrom("outbox").where("send_id", "is", null)
        : k.selectFrom("outbox").where("send_id", "=", sendId)
      )
        .selectAll()
        .orderBy("id")
        .execute(),

    /** The mail a subscriber was sent or is due, newest first, with the subject of its send. */
    ofSubscriber: (subscriberId: number, limit = 200) =>
      k
        .selectFrom("outbox as o")
        .leftJoin("mail_sends as m", "m.id", "o.send_id")
        .select(["o.id", "o.send_id", "o.status", "o.sent_at", "o.created_at", "o.priority", "m.kind"])
        .select((eb) => eb.fn.coalesce("o.subject", "m.subject").as("subject"))
        .where("o.subscriber_id", "=", subscriberId)
        .orderBy("o.id", "desc")
        .limit(limit)
        .execute(),

    /**
     * Erasure: withdraw what is still waiting for a subscriber (or their address), then replace
     * the address and drop the per-recipient values and bodies, which can hold it too. The rows
     * stay, so a send's counts are unchanged. The address's suppression goes too: it is keyed
     * by the address itself.
     */
    async eraseRecipient(subscriberId: number, email: string | null): Promise<number> {
      const res = await k
        .updateTable("outbox")
        .set({ status: "suppressed", lease_until: null })
        .where((eb) =>
          email
            ? eb.or([eb("subscriber_id", "=", subscriberId), eb("to_email", "=", email)])
            : eb("subscriber_id", "=", subscriberId),
        )
        .where("status", "in", ["queued", "sending"])
        .executeTakeFirst();
      await k
        .updateTable("outbox")
        .set({ to_email: "erased", vars: "{}", attachments: "[]", html: null, text: null, last_response: "erased" })
        .where((eb) =>
          email
            ? eb.or([eb("subscriber_id", "=", subscriberId), eb("to_email", "=", email)])
            : eb("subscriber_id", "=", subscriberId),
        )
        .execute();
      if (email) await k.deleteFrom("suppressions").where("email", "=", email).execute();
      return Number(res.numUpdatedRows);
    },
  };
}
