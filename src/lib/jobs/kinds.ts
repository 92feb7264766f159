/**
 * Typed job kinds. A kind is a name and a zod schema of its payload; `ctx.jobs.enqueue(kind, p)`
 * only takes a payload of the kind's type, and the runner checks the stored payload against the
 * schema when it claims the job, so a handler only ever sees a `{ kind, payload }` of one of the
 * kinds it registered (a discriminated union by `kind.name`). A payload that does not match (an
 * old row, a hand-edited one) fails the job at once with a message naming the field, and it is
 * not retried: no retry could fix it.
 */
import type { z } from "zod";
import type { Job } from "./queue.ts";

/** A job kind: its name in the `jobs` table and the schema of its payload. */
export interface JobKind<P> {
  readonly name: string;
  readonly payload: z.ZodType<P>;
  /**
   * Its jobs wait on other servers (fetching a Webmention source, sending to an endpoint) and are
   * independent of each other: the runner runs those of a batch at once, so one slow server does
   * not hold up the queue for the length of its timeout per job.
   */
  readonly parallel?: boolean;
}

/** Declare a job kind, e.g. `jobKind("content.publish", z.object({ postId: z.number().int() }))`. */
export function jobKind<S extends z.ZodType>(
  name: string,
  payload: S,
  opts: { parallel?: boolean } = {},
): JobKind<z.infer<S>> {
  return { name, payload: payload as z.ZodType<z.infer<S>>, parallel: opts.parallel };
}

/** Runs one kind's jobs; throw to retry with backoff. */
export interface JobHandler<P = unknown> {
  kind: JobKind<P>;
  run(payload: P, job: Job): Promise<void>;
}

/** Pair a kind with its handler (keeps the payload type). */
export function handle<P>(kind: JobKind<P>, run: (payload: P, job: Job) => Promise<void>): JobHandler<P> {
  return { kind, run };
}

/** A payload that does not match its kind's schema: failed at once, never retried. */
export class BadPayloadError extends Error {
  constructor(kind: string, detail: string, options?: ErrorOptions) {
    super(`bad payload for ${kind}: ${detail}`, options);
    this.name = "BadPayloadError";
  }
}

/** Check a stored payload (JSON text) against its kind; throws BadPayloadError naming the field. */
export function parsePayload<P>(kind: JobKind<P>, raw: string): P {
  let value: unknown;
  try {
    value = JSON.parse(raw);
  } catch (err) {
    throw new BadPayloadError(kind.name, "not JSON", { cause: err });
  }
  const r = kind.payload.safeParse(value);
  if (!r.success) {
    const issue = r.error.issues[0];
    const where = issue?.path.length ? `${issue.path.join(".")}: ` : "";
    throw new BadPayloadError(kind.name, `${where}${issue?.message ?? "invalid"}`, { cause: r.error });
  }
  return r.data;
}
