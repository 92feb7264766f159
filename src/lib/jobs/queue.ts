/**
 * The durable jobs table: enqueue, claim with a lease, complete, retry with backoff.
 * Claiming uses `FOR UPDATE SKIP LOCKED` on PostgreSQL so several web processes and
 * `liner worker` processes can share one queue; SQLite has a single writer, so a plain
 * UPDATE ... RETURNING is already atomic.
 */
import { randomUUID } from "node:crypto";
import type { RawBuilder, Selectable } from "kysely";
import { sql } from "kysely";
import type { Db } from "../db/index.ts";
import type { JobsTable } from "../db/schema.ts";
import { isUniqueViolation } from "../db/storage-errors.ts";
import { inTransaction, savepoint } from "../db/transaction.ts";
import type { JobKind } from "./kinds.ts";

export type Job = Selectable<JobsTable>;

/** Rows in one INSERT of `enqueueMany`: 9 values each, well under what either database binds. */
const ENQUEUE_CHUNK = 500;
/** How often a queue looks for jobs whose lease ran out. */
const LEASE_CHECK_MS = 5_000;

export interface EnqueueOptions {
  runAt?: Date;
  /** At most one queued/running job per key; enqueueing again replaces the queued one's run time. */
  uniqueKey?: string;
  maxAttempts?: number;
  /** With a uniqueKey already pending: keep its run time if it is earlier (a batch that is due stays due). */
  keepEarlier?: boolean;
}

/** Exponential backoff with jitter: 10s, 20s, 40s ... capped at one hour. */
export function backoffMs(attempts: number, random = Math.random): number {
  const base = Math.min(10_000 * 2 ** Math.max(0, attempts - 1), 3_600_000);
  return Math.round(base * (0.75 + random() * 0.5));
}

export class JobQueue {
  readonly workerId = `${process.pid}-${randomUUID().slice(0, 8)}`;
  private leasesCheckedAt = Number.NEGATIVE_INFINITY;
  private readonly db: Db;
  private readonly now: () => Date;
  constructor(db: Db, now: () => Date = () => new Date()) {
    this.db = db;
    this.now = now;
  }

  /** The same queue on another handle of the database (a transaction). */
  on(db: Db): JobQueue {
    const q = new JobQueue(db, this.now);
    (q as { workerId: string }).workerId = this.workerId;
    return q;
  }

  /**
   * Add a job of a kind; the payload is checked against the kind's schema (a wrong one is a bug
   * and throws here). With a uniqueKey that is already pending, reschedules that job instead.
   * Returns its id.
   */
  async enqueue<P>(jobKind: JobKind<P>, payload: P, opts: EnqueueOptions = {}): Promise<number> {
    try {
      // Behind a savepoint inside a transaction: a unique violation there must leave it usable.
      return opts.uniqueKey
        ? await savepoint(this.db, () => this.#enqueue(jobKind, payload, opts))
        : await this.#enqueue(jobKind, payload, opts);
    } catch (err) {
      // Another process (or call) queued the same key between our look and our insert (processes
      // starting together each queue their recurring chains): that job is the one; go by it.
      if (opts.uniqueKey && isUniqueViolation(err)) return this.#enqueue(jobKind, payload, opts);
      throw err;
    }
  }

  async #enqueue<P>(jobKind: JobKind<P>, payload: P, opts: EnqueueOptions): Promise<number> {
    const kind = jobKind.name;
    payload = jobKind.payload.parse(payload);
    const k = this.db.kysely;
    const ts = this.now().toISOString();
    const runAt = (opts.runAt ?? this.now()).toISOString();
    if (opts.uniqueKey) {
      const existing = await k
        .selectFrom("jobs")
        .select(["id", "status", "run_at"])
        .where("unique_key", "=", opts.uniqueKey)
        .where("status", "in", ["queued", "running"])
        .executeTakeFirst();
      if (existing && opts.keepEarlier && existing.run_at <= runAt) return existing.id;
      if (existing) {
        await k
          .updateTable("jobs")
          .set({ run_at: runAt, payload: JSON.stringify(payload ?? {}), updated_at: ts })
          .where("id", "=", existing.id)
          .where("status", "=", "queued")
          .execute();
        return existing.id;
      }
    }
    const row = await k
      .insertInto("jobs")
      .values({
        kind,
        payload: JSON.stringify(payload ?? {}),
        status: "queued",
        run_at: runAt,
        attempts: 0,
        max_attempts: opts.maxAttempts ?? 8,
        unique_key: opts.uniqueKey ?? null,
        created_at: ts,
        updated_at: ts,
      })
      .returning("id")
      .executeTakeFirstOrThrow();
    return row.id;
  }

  /**
   * Add several jobs of one kind at once (no unique keys): a batch of work that came together.
   * Rows go in 500 to a statement (SQLite and PostgreSQL cap the values one statement can bind),
   * in one transaction, so the batch is stored whole or not at all.
   */
  async enqueueMany<P>(jobKind: JobKind<P>, payloads: P[], opts: { maxAttempts?: number } = {}): Promise<void> {
    if (!payloads.length) return;
    const ts = this.now().toISOString();
    const rows = payloads.map((p) => ({
      kind: jobKind.name,
      payload: JSON.stringify(jobKind.payload.parse(p) ?? {}),
      status: "queued" as const,
      run_at: ts,
      attempts: 0,
      max_attempts: opts.maxAttempts ?? 8,
      unique_key: null,
      created_at: ts,
      updated_at: ts,
    }));
    await inTransaction(this.db, async (tx) => {
      for (let i = 0; i < rows.length; i += ENQUEUE_CHUNK)
        await tx.kysely
          .insertInto("jobs")
          .values(rows.slice(i, i + ENQUEUE_CHUNK))
          .execute();
    });
  }

  /**
   * Free a running job's unique key, so it can enqueue its own successor under the same key
   * (at most one queued-or-running job per key would otherwise swallow the successor).
   */
  async releaseKey(jobId: number): Promise<void> {
    await this.db.kysely.updateTable("jobs").set({ unique_key: null }).where("id", "=", jobId).execute();
  }

  /** Cancel a pending job by unique key (e.g. a schedule that was withdrawn). */
  async cancel(uniqueKey: string): Promise<number> {
    const res = await this.db.kysely
      .deleteFrom("jobs")
      .where("unique_key", "=", uniqueKey)
      .where("status", "=", "queued")
      .executeTakeFirst();
    return Number(res.numDeletedRows);
  }

  /** Is a job with this unique key queued or running? */
  async hasKey(uniqueKey: string): Promise<boolean> {
    const row = await this.db.kysely
      .selectFrom("jobs")
      .select("id")
      .where("unique_key", "=", uniqueKey)
      .where("status", "in", ["queued", "running"])
      .executeTakeFirst();
    return row !== undefined;
  }

  /**
   * Claim up to `limit` due jobs for this worker: first jobs whose lease ran out (their worker died;
   * looked for at most every 5 s), then queued jobs in run order. Two statements, each an index range scan that stops at `limit`
   * (one statement with OR read every due job to sort them: a claim cost O(queue length)).
   */
  async claim(limit: number, leaseMs = 60_000, kinds?: string[]): Promise<Job[]> {
    const now = this.now();
    const nowIso = now.toISOString();
    // Leases run out only when a worker dies: looked for every few seconds, not at every claim.
    let expired: Job[] = [];
    if (now.getTime() - this.leasesCheckedAt >= LEASE_CHECK_MS) {
      this.leasesCheckedAt = now.getTime();
      expired = await this.claimWhere(limit, leaseMs, kinds, sql`status = 'running' AND locked_until < ${nowIso}`);
      if (expired.length >= limit) return expired;
    }
    const due = await this.claimWhere(
      limit - expired.length,
      leaseMs,
      kinds,
      sql`status = 'queued' AND run_at <= ${nowIso}`,
    );
    return [...expired, ...due];
  }

  private async claimWhere(limit: number, leaseMs: number, kinds: string[] | undefined, where: RawBuilder<unknown>) {
    const now = this.now();
    const until = new Date(now.getTime() + leaseMs).toISOString();
    const kindFilter = kinds?.length ? sql`AND kind IN (${sql.join(kinds)})` : sql``;
    const lock = this.db.dialect === "postgres" ? sql`FOR UPDATE SKIP LOCKED` : sql``;
    const result = await sql<Job>`
      UPDATE jobs SET status = 'running', locked_by = ${this.workerId}, locked_until = ${until},
        attempts = attempts + 1, updated_at = ${now.toISOString()}
      WHERE id IN (
        SELECT id FROM jobs WHERE ${where} ${kindFilter}
        ORDER BY run_at, id LIMIT ${limit} ${lock}
      )
      RETURNING *`.execute(this.db.kysely);
    return result.rows;
  }

  /** Mark a claimed job done. */
  async complete(job: Job): Promise<void> {
    await this.db.kysely
      .updateTable("jobs")
      .set({ status: "done", locked_by: null, locked_until: null, updated_at: this.now().toISOString() })
      .where("id", "=", job.id)
      .where("locked_by", "=", this.workerId)
      .execute();
  }

  /**
   * Record a failure: retry later with backoff, or mark failed after max attempts (or at once when
   * `final`, for failures no retry can fix, such as a payload that does not match its kind).
   */
  async fail(job: Job, error: unknown, opts: { retryAt?: Date; final?: boolean } = {}): Promise<void> {
    const message = error instanceof Error ? error.message : String(error);
    const retryAt = opts.retryAt;
    const giveUp = opts.final === true || job.attempts >= job.max_attempts;
    const next = retryAt ?? new Date(this.now().getTime() + backoffMs(job.attempts));
    await this.db.kysely
      .updateTable("jobs")
      .set({
        status: giveUp ? "failed" : "queued",
        run_at: giveUp ? job.run_at : next.toISOString(),
        last_error: message.slice(0, 2000),
        locked_by: null,
        locked_until: null,
        updated_at: this.now().toISOString(),
      })
      .where("id", "=", job.id)
      .where("locked_by", "=", this.workerId)
      .execute();
  }

  /** Counts by status, for the admin and `liner worker` output. */
  async stats(): Promise<Record<string, number>> {
    const rows = await this.db.kysely
      .selectFrom("jobs")
      .select(["status", (eb) => eb.fn.countAll<number>().as("n")])
      .groupBy("status")
      .execute();
    return Object.fromEntries(rows.map((r) => [r.status, Number(r.n)]));
  }
}
