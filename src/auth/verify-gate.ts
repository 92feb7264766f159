/**
 * How many password checks run at once, in this process. argon2 runs on libuv's thread pool
 * (four threads by default), which file reads, compression and DNS share: a burst of sign-ins
 * must not fill it, or every `/media` file waits behind them. So each subject (an account, an
 * address) has a cap on checks running at once, and all checks together take turns for a few
 * slots. A check over a cap waits its turn, so two people (or a double click) signing in to one
 * account at the same moment both get an answer; only past a short line per subject, or a full
 * queue, is a check refused at once (the caller answers 429), before anything is counted or checked.
 */

/** The gate's sizes. */
export interface GateLimits {
  /** Checks running at once in the process. */
  concurrency: number;
  /** Admitted checks that may wait for a running slot; more are refused. */
  waiting: number;
  /** Checks of one subject that may wait for that subject's slot; more are refused. */
  waitingEach: number;
}

/** One admitted check: run it once, then leave (in a `finally`). */
export interface Admission {
  /** Run `fn` when the process and every subject have a free slot (first come, first served). */
  run<T>(fn: () => Promise<T>): Promise<T>;
  /** Give back the subjects' places; safe to call twice. */
  leave(): void;
}

type Subjects = [string, number][];

function add(map: Map<string, number>, key: string, by: number): void {
  const n = (map.get(key) ?? 0) + by;
  if (n > 0) map.set(key, n);
  else map.delete(key);
}

/** A gate; see the module comment. Subjects are strings with their cap, e.g. ["account:a@b.c", 1]. */
export function verifyGate(limits: GateLimits) {
  const admittedBy = new Map<string, number>();
  const runningBy = new Map<string, number>();
  let admitted = 0;
  let running = 0;
  const queue: { subjects: Subjects; start: () => void }[] = [];

  const canRun = (subjects: Subjects) =>
    running < limits.concurrency && subjects.every(([key, cap]) => (runningBy.get(key) ?? 0) < cap);
  const begin = (subjects: Subjects, by: 1 | -1) => {
    running += by;
    for (const [key] of subjects) add(runningBy, key, by);
  };
  /** Start every waiting check that can run now, oldest first. */
  const startWaiting = () => {
    for (let i = 0; i < queue.length; ) {
      const next = queue[i];
      if (!canRun(next.subjects)) {
        i++;
        continue;
      }
      queue.splice(i, 1);
      begin(next.subjects, 1);
      next.start();
    }
  };

  return {
    /** Admit a check for these subjects, or undefined when a subject's line or the queue is full. */
    admit(subjects: Subjects): Admission | undefined {
      // Checked and taken with no await in between, so parallel requests cannot both pass.
      if (admitted >= limits.concurrency + limits.waiting) return undefined;
      if (subjects.some(([key, cap]) => (admittedBy.get(key) ?? 0) >= cap + limits.waitingEach)) return undefined;
      for (const [key] of subjects) add(admittedBy, key, 1);
      admitted++;
      let left = false;
      return {
        async run(fn) {
          // In line first, then whoever can run starts: order is kept among those that can.
          await new Promise<void>((start) => {
            queue.push({ subjects, start });
            startWaiting();
          });
          try {
            return await fn();
          } finally {
            begin(subjects, -1);
            startWaiting();
          }
        },
        leave() {
          if (left) return;
          left = true;
          admitted--;
          for (const [key] of subjects) add(admittedBy, key, -1);
        },
      };
    },
  };
}
