/**
 * A platform's refusal, as the owner reads it on the post and in `liner accounts check`: what
 * kind (a revoked credential, a rate limit, a text over the limit, a file too large, the service
 * down, the thing asked for not there) and the platform's own message.
 */
export type PlatformErrorKind = "auth" | "rate" | "too-long" | "too-large" | "down" | "gone" | "refused";

export class PlatformError extends Error {
  readonly kind: PlatformErrorKind;
  /** When a rate limit says to try again (Retry-After), if it said. */
  readonly retryAt?: Date;
  constructor(kind: PlatformErrorKind, message: string, opts: { cause?: unknown; retryAt?: Date } = {}) {
    super(message, { cause: opts.cause });
    this.name = "PlatformError";
    this.kind = kind;
    this.retryAt = opts.retryAt;
  }
  /** Worth trying again later (a rate limit, the service down); the others need the owner. */
  get transient(): boolean {
    return this.kind === "rate" || this.kind === "down";
  }
}
