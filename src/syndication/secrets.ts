/**
 * Account credentials sealed with the site's secret: AES-256-GCM under a key derived (HKDF) from
 * the secret for this one purpose, so a copy of the database alone does not hand over the owner's
 * Bluesky, Mastodon and LinkedIn tokens (with LINER_SECRET set outside the data folder). Pure.
 */
import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from "node:crypto";

const PURPOSE = "liner-notes/syndication-credentials/v1";

const keyOf = (secret: string) => Buffer.from(hkdfSync("sha256", secret, "", PURPOSE, 32));

/** `v1.<iv>.<tag>.<ciphertext>`, base64url parts. */
export function seal(secret: string, plain: string): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv("aes-256-gcm", keyOf(secret), iv);
  const body = Buffer.concat([cipher.update(plain, "utf8"), cipher.final()]);
  return ["v1", iv, cipher.getAuthTag(), body]
    .map((p) => (typeof p === "string" ? p : p.toString("base64url")))
    .join(".");
}

/** The sealed text opened; throws when it was sealed with another secret or changed. */
export function unseal(secret: string, sealed: string): string {
  const [v, iv, tag, body] = sealed.split(".");
  if (v !== "v1" || !iv || !tag || body === undefined) throw new Error("not a sealed credential");
  const decipher = createDecipheriv("aes-256-gcm", keyOf(secret), Buffer.from(iv, "base64url"));
  decipher.setAuthTag(Buffer.from(tag, "base64url"));
  return Buffer.concat([decipher.update(Buffer.from(body, "base64url")), decipher.final()]).toString("utf8");
}

/** A credential as the owner may see it: its last four characters. Pure. */
export function masked(plain: string): string {
  return plain.length <= 8 ? "••••" : `••••${plain.slice(-4)}`;
}

/** An account's credential, opened with the site's secret. */
export function credentialOf(ctx: { secret: string }, account: { secret_sealed: string }): string {
  return unseal(ctx.secret, account.secret_sealed);
}
