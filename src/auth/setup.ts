/**
 * One-time setup links: on first start with no staff accounts, `liner serve` prints a link
 * that lets whoever holds it create the owner account. Only the token's hash is stored.
 */
import { createHash, randomBytes } from "node:crypto";
import type { AppContext } from "../lib/context.ts";
import type { Role } from "../lib/db/schema.ts";
import { setupTokenStore, userStore } from "./store.ts";

const sha256 = (s: string) => createHash("sha256").update(s).digest("hex");

/** Create a setup token valid for `hours`; returns the path to visit (`/setup/<token>`). */
export async function createSetupToken(ctx: AppContext, role: Role = "owner", hours = 24): Promise<string> {
  const token = randomBytes(24).toString("base64url");
  const now = ctx.now();
  await setupTokenStore(ctx.db).insert({
    token_hash: sha256(token),
    role,
    created_at: now.toISOString(),
    expires_at: new Date(now.getTime() + hours * 3_600_000).toISOString(),
    used_at: null,
  });
  return `/setup/${token}`;
}

/** Mark a token used; returns false if it was already used (so two tabs can't both use it). */
export async function consumeSetupToken(ctx: AppContext, token: string): Promise<boolean> {
  return setupTokenStore(ctx.db).consume(sha256(token), ctx.now().toISOString());
}

/**
 * Why a token can or cannot be used: `unknown` (never issued), `used`, `expired`, `superseded`
 * (an owner link once an owner exists: each start with no accounts printed a new link, and an
 * older one must not make a second owner) or `valid`.
 */
export async function setupTokenState(
  ctx: AppContext,
  token: string,
): Promise<{ state: "unknown" | "used" | "expired" | "superseded" | "valid"; role?: Role }> {
  const row = await setupTokenStore(ctx.db).byHash(sha256(token));
  if (!row) return { state: "unknown" };
  if (row.used_at) return { state: "used", role: row.role };
  if (row.expires_at < ctx.now().toISOString()) return { state: "expired", role: row.role };
  if (row.role === "owner" && (await userStore(ctx.db).firstOwner())) return { state: "superseded", role: row.role };
  return { state: "valid", role: row.role };
}

/** Give a consumed token back (the account could not be created after all, e.g. the email was taken meanwhile). */
export async function releaseSetupToken(ctx: AppContext, token: string): Promise<void> {
  await setupTokenStore(ctx.db).release(sha256(token));
}
