/** Errors that cross module boundaries. Each carries an HTTP status and an optional cause. */

/** Something the caller asked for does not exist. */
export class NotFoundError extends Error {
  readonly status = 404;
  constructor(message = "Not found", options?: { cause?: unknown }) {
    super(message, options);
    this.name = "NotFoundError";
  }
}

/** Input was wrong; `message` is safe to show to the user and names the field or place. */
export class ValidationError extends Error {
  readonly status = 400;
  /** Optional field name (form field, env variable, file path) the message is about. */
  readonly field?: string;
  constructor(message: string, options?: { cause?: unknown; field?: string }) {
    super(message, options);
    this.name = "ValidationError";
    this.field = options?.field;
  }
}

/** An error with an explicit HTTP status (403, 409, 413, 429 ...). `message` is user-facing. */
export class HttpError extends Error {
  readonly status: number;
  constructor(status: number, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = "HttpError";
    this.status = status;
  }
}

/** Status to answer with for any thrown value; unknown errors are 500. */
export function statusOf(err: unknown): number {
  if (err instanceof NotFoundError || err instanceof ValidationError || err instanceof HttpError) {
    return err.status;
  }
  return 500;
}
