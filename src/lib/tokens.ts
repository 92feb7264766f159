/**
 * Signed, optionally expiring tokens for links in emails (confirm a subscription, unsubscribe,
 * preferences): `payload.expiry.signature`, HMAC-SHA256 over the purpose, payload and expiry
 * with the site secret. A token for one purpose never verifies for another. Pure.
 */
import { createHmac, timingSafeEqual } from "node:crypto";

const sign = (secret: string, purpose: string, body: string) =>
  createHmac("sha256", secret).update(`${purpose}\n${body}`).digest("base64url").slice(0, 32);

/** A token carrying `payload` for `purpose`; `expiresAt` in ms since the epoch, or 0 for never. */
export function signToken(secret: string, purpose: string, payload: string, expiresAt = 0): string {
  const body = `${Buffer.from(payload).toString("base64url")}.${expiresAt.toString(36)}`;
  return `${body}.${sign(secret, purpose, body)}`;
}

/** The payload of a valid, unexpired token for `purpose`, else null. */
export function verifyToken(secret: string, purpose: string, token: string, now: number): string | null {
  const parts = token.split(".");
  if (parts.length !== 3) return null;
  const body = `${parts[0]}.${parts[1]}`;
  const want = Buffer.from(sign(secret, purpose, body));
  const got = Buffer.from(parts[2]);
  if (want.length !== got.length || !timingSafeEqual(want, got)) return null;
  const expiresAt = Number.parseInt(parts[1], 36);
  if (!Number.isFinite(expiresAt) || (expiresAt !== 0 && expiresAt < now)) return null;
  return Buffer.from(parts[0], "base64url").toString();
}
