/**
 * Runs jobs from the queue: in the web process by default, or alone in `liner worker`.
 * Handlers are registered by kind; a thrown error schedules a retry with backoff.
 */
import type { Logger } from "../log.ts";
import type { Job, JobQueue } from "./queue.ts";

/** A job handler receives the parsed payload. Throw to retry. */
export type JobHandler = (payload: any, job: Job) => Promise<void>;

export class JobRunner {
  private handlers = new Map<string, JobHandler>();
  private timer: NodeJS.Timeout | null = null;
  private running = false;
  private stopped = true;

  private readonly queue: JobQueue;
  private readonly log: Logger;
  private readonly opts: { pollMs?: number; batch?: number };
  constructor(queue: JobQueue, log: Logger, opts: { pollMs?: number; batch?: number } = {}) {
    this.queue = queue;
    this.log = log;
    this.opts = opts;
  }

  /** Register the handler for a job kind. */
  register(kind: string, handler: JobHandler): void {
    this.handlers.set(kind, handler);
  }

  /** Claim and run one batch of due jobs. Returns how many ran. */
  async runOnce(): Promise<number> {
    const kinds = [...this.handlers.keys()];
    if (kinds.length === 0) return 0;
    const jobs = await this.queue.claim(this.opts.batch ?? 10, 60_000, kinds);
    for (const job of jobs) {
      const handler = this.handlers.get(job.kind);
      try {
        if (!handler) throw new Error(`no handler for job kind ${job.kind}`);
        await handler(JSON.parse(job.payload), job);
        await this.queue.complete(job);
      } catch (err) {
        this.log.warn("job failed", { id: job.id, kind: job.kind, attempt: job.attempts, error: String(err) });
        await this.queue.fail(job, err);
      }
    }
    return jobs.length;
  }

  /** Keep running until no due jobs remain (used by tests and `liner worker --once`). */
  async drain(): Promise<number> {
    let total = 0;
    for (let n = await this.runOnce(); n > 0; n = await this.runOnce()) total += n;
    return total;
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
