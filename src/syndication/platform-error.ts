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

/** Wait for a deletion; one the platform says is gone already (404) is done too. */
export async function goneIsDone(deletion: Promise<unknown>): Promise<void> {
  try {
    await deletion;
  } catch (err) {
    if (!(err instanceof PlatformError && err.kind === "gone")) throw err;
  }
}

/** An OAuth 2.0 authorization code to trade for a token, with the app it was granted to. */
export interface CodeGrant {
  code: string;
  clientId: string;
  clientSecret: string;
  redirectUri: string;
}

/** The token request's form body (RFC 6749 §4.1.3), as both platforms take it. Pure. */
export const codeGrantBody = (g: CodeGrant, extra: Record<string, string> = {}): string =>
  new URLSearchParams({
    grant_type: "authorization_code",
    code: g.code,
    client_id: g.clientId,
    client_secret: g.clientSecret,
    redirect_uri: g.redirectUri,
    ...extra,
  }).toString();
