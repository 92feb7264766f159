/**
 * Runs jobs from the queue: in the web process by default, or alone in `liner worker`.
 * Handlers are registered by kind; the stored payload is checked against the kind's schema
 * before the handler sees it (a mismatch fails the job for good); a thrown error schedules a
 * retry with backoff.
 */
import type { Logger } from "../log.ts";
import { BadPayloadError, type JobHandler, parsePayload } from "./kinds.ts";
import type { Job, JobQueue } from "./queue.ts";

export class JobRunner {
  private handlers = new Map<string, JobHandler<any>>();
  private timer: NodeJS.Timeout | null = null;
  private running = false;
  private stopped = true;

  private readonly queue: JobQueue;
  private readonly log: Logger;
  private readonly opts: { pollMs?: number; batch?: number; parallel?: number };
  constructor(queue: JobQueue, log: Logger, opts: { pollMs?: number; batch?: number; parallel?: number } = {}) {
    this.queue = queue;
    this.log = log;
    this.opts = opts;
  }

  /** Register the handler of a job kind. */
  register<P>(handler: JobHandler<P>): void {
    this.handlers.set(handler.kind.name, handler);
  }

  /** Claim and run one batch of due jobs. Returns how many ran. */
  async runOnce(): Promise<number> {
    const kinds = [...this.handlers.keys()];
    if (kinds.length === 0) return 0;
    const jobs = await this.queue.claim(this.opts.batch ?? 10, 60_000, kinds);
    // Jobs of parallel kinds (waiting on other servers) run together, the others one by one.
    const parallel = jobs.filter((j) => this.handlers.get(j.kind)?.kind.parallel === true);
    const together = Promise.all(parallel.map((job) => this.runJob(job)));
    for (const job of jobs) if (!parallel.includes(job)) await this.runJob(job);
    await together;
    return jobs.length;
  }

  private async runJob(job: Job): Promise<void> {
    const handler = this.handlers.get(job.kind);
    try {
      if (!handler) throw new Error(`no handler for job kind ${job.kind}`);
      await handler.run(parsePayload(handler.kind, job.payload), job);
      await this.queue.complete(job);
    } catch (err) {
      const final = err instanceof BadPayloadError;
      this.log.warn(final ? "job failed for good" : "job failed", {
        id: job.id,
        kind: job.kind,
        attempt: job.attempts,
        error: String(err),
      });
      await this.queue.fail(job, err, { final });
    }
  }

  /**
   * Keep running until no due jobs remain (the runner's loop, tests and `liner worker --once`).
   * Jobs of parallel kinds run in a pool of `parallel` (default 32): each one that ends makes room
   * for the next, so one slow server holds up one slot, not a whole batch; the others run one by
   * one meanwhile. Only as many jobs are claimed as can start, so none waits out its lease unstarted.
   */
  async drain(): Promise<number> {
    const kinds = [...this.handlers.keys()];
    if (kinds.length === 0) return 0;
    const limit = this.opts.parallel ?? 32;
    const running = new Set<Promise<void>>();
    let total = 0;
    for (;;) {
      const room = Math.min(this.opts.batch ?? 10, limit - running.size);
      // With jobs running, claim when a quarter of the pool is free, not for every slot: a claim
      // per finished job was a third of a fan-out's SQL.
      const worth = running.size === 0 || room >= Math.min(this.opts.batch ?? 10, Math.ceil(limit / 4));
      const jobs = worth ? await this.queue.claim(room, 60_000, kinds) : [];
      if (jobs.length === 0) {
        // Nothing due (or no room): wait for a running job, which may queue more (a fan-out).
        if (running.size === 0) return total;
        await Promise.race(running);
        continue;
      }
      total += jobs.length;
      for (const job of jobs) {
        if (this.handlers.get(job.kind)?.kind.parallel !== true) {
          await this.runJob(job);
          continue;
        }
        const run: Promise<void> = this.runJob(job)
          // runJob records the job's own failure; this is the database failing to record it.
          .catch((err) => this.log.error("job runner error", { id: job.id, error: String(err) }))
          .finally(() => running.delete(run));
        running.add(run);
      }
    }
  }

  /** Start polling. */
  start(): void {
    if (!this.stopped) return;
    this.stopped = false;
    const tick = async () => {
      if (this.stopped) return;
      if (!this.running) {
        this.running = true;
        try {
          await this.drain();
        } catch (err) {
          this.log.error("job runner error", { error: String(err) });
        } finally {
          this.running = false;
        }
      }
      if (!this.stopped) this.timer = setTimeout(tick, this.opts.pollMs ?? 1000);
    };
    this.timer = setTimeout(tick, 50);
  }

  /** Stop polling and wait for the current batch. */
  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    while (this.running) await new Promise((r) => setTimeout(r, 20));
  }
}
