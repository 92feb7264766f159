/**
 * Per-host concurrency limit: an in-process semaphore keyed by host name, so that polling
 * thousands of feeds never opens more than N connections to one host at once.
 */

interface Slot {
  active: number;
  waiting: (() => void)[];
}

/** Counting semaphores keyed by host; entries disappear when a host is idle, so memory stays flat. */
export class HostLimiter {
  readonly perHost: number;
  readonly #hosts = new Map<string, Slot>();

  constructor(perHost: number) {
    if (!Number.isInteger(perHost) || perHost < 1) throw new RangeError("perHost must be a positive integer");
    this.perHost = perHost;
  }

  /** Wait for a free slot for `host`; resolves to the release function (call it exactly once). */
  async acquire(host: string, signal?: AbortSignal): Promise<() => void> {
    signal?.throwIfAborted();
    let slot = this.#hosts.get(host);
    if (!slot) {
      slot = { active: 0, waiting: [] };
      this.#hosts.set(host, slot);
    }
    if (slot.active < this.perHost) {
      slot.active++;
      return this.#releaser(host, slot);
    }
    const current = slot;
    await new Promise<void>((resolve, reject) => {
      const wake = () => {
        signal?.removeEventListener("abort", onAbort);
        resolve();
      };
      const onAbort = () => {
        const i = current.waiting.indexOf(wake);
        if (i >= 0) current.waiting.splice(i, 1);
        reject(signal?.reason);
      };
      current.waiting.push(wake);
      signal?.addEventListener("abort", onAbort, { once: true });
    });
    // The releaser handed its slot straight to us (active was not decremented).
    return this.#releaser(host, current);
  }

  /** Requests running now for `host` (for tests and diagnostics). */
  active(host: string): number {
    return this.#hosts.get(host)?.active ?? 0;
  }

  #releaser(host: string, slot: Slot): () => void {
    let done = false;
    return () => {
      if (done) return;
      done = true;
      const next = slot.waiting.shift();
      if (next) {
        next();
        return;
      }
      slot.active--;
      if (slot.active === 0) this.#hosts.delete(host);
    };
  }
}
