/**
 * How many password checks run at once, in this process. argon2 runs on libuv's thread pool
 * (four threads by default), which file reads, compression and DNS share: a burst of sign-ins
 * must not fill it, or every `/media` file waits behind them. So each subject (an account, an
 * address) has a cap on checks in flight, and all checks together take turns for a few slots,
 * with a bounded queue. Whatever is over a cap is refused at once (the caller answers 429),
 * before anything is counted or checked.
 */

/** The gate's sizes. */
export interface GateLimits {
  /** Checks running at once in the process. */
  concurrency: number;
  /** Admitted checks that may wait for a running slot; more are refused. */
  waiting: number;
}

/** One admitted check: run it once, then leave (in a `finally`). */
export interface Admission {
  /** Run `fn` in a slot: at once when one is free, else after the checks ahead of it. */
  run<T>(fn: () => Promise<T>): Promise<T>;
  /** Give back the subjects' places; safe to call twice. */
  leave(): void;
}

/** A gate; see the module comment. Subjects are strings with their cap, e.g. ["account:a@b.c", 1]. */
export function verifyGate(limits: GateLimits) {
  const inFlight = new Map<string, number>();
  let admitted = 0;
  let running = 0;
  const queue: (() => void)[] = [];

  return {
    /** Admit a check for these subjects, or undefined when one of them is at its cap or the queue is full. */
    admit(subjects: [string, number][]): Admission | undefined {
      // Checked and taken with no await in between, so parallel requests cannot both pass.
      if (admitted >= limits.concurrency + limits.waiting) return undefined;
      if (subjects.some(([key, cap]) => (inFlight.get(key) ?? 0) >= cap)) return undefined;
      for (const [key] of subjects) inFlight.set(key, (inFlight.get(key) ?? 0) + 1);
      admitted++;
      let left = false;
      return {
        async run(fn) {
          if (running < limits.concurrency) running++;
          else await new Promise<void>((resolve) => queue.push(resolve));
          try {
            return await fn();
          } finally {
            // The slot passes to the next in line, or is freed.
            const next = queue.shift();
            if (next) next();
            else running--;
          }
        },
        leave() {
          if (left) return;
          left = true;
          admitted--;
          for (const [key] of subjects) {
            const n = (inFlight.get(key) ?? 1) - 1;
            if (n > 0) inFlight.set(key, n);
            else inFlight.delete(key);
          }
        },
      };
    },
  };
}
