/**
 * Password reset links: "Forgot your password?" on the sign-in page emails one to the account's
 * address, and `liner user reset-password EMAIL` prints one. A link works once and for
 * `RESET_HOURS`; asking for another voids the ones before it. Using it sets the new password and
 * signs the user out everywhere. Only the token's SHA-256 is stored, as for setup links.
 */
import { createHash, randomBytes } from "node:crypto";
import type { AppContext } from "../lib/context.ts";
import { transaction } from "../lib/db/transaction.ts";
import { queueTransactional, withdrawTopic } from "../mail/index.ts";
import { resetEmail } from "./reset-email.ts";
import { resetStore } from "./reset-store.ts";
import { sessionStore, type UserRow, userStore } from "./store.ts";
import { findUserByEmail, hashPassword, parsePassword } from "./users.ts";

/** How long a reset link works. */
export const RESET_HOURS = 1;

const sha256 = (s: string) => createHash("sha256").update(s).digest("hex");

/** The outbox topic of a user's reset mail: withdrawn when a newer link voids its link. */
const resetTopic = (userId: number) => `password-reset:user-${userId}`;

/** A new reset link for a user, voiding their earlier ones; returns the path (`/reset-password/<token>`). */
export async function createResetLink(ctx: AppContext, userId: number): Promise<string> {
  const token = randomBytes(24).toString("base64url");
  const now = ctx.now();
  await transaction(ctx, async (tx) => {
    const store = resetStore(tx.db);
    await store.voidUnused(userId);
    // The mail of a voided link must not arrive later (it would only lead to "not valid").
    await withdrawTopic(tx, resetTopic(userId), "replaced by a newer reset link");
    await store.sweep(now.toISOString());
    await store.insert({
      token_hash: sha256(token),
      user_id: userId,
      created_at: now.toISOString(),
      expires_at: new Date(now.getTime() + RESET_HOURS * 3_600_000).toISOString(),
      used_at: null,
    });
  });
  return `/reset-password/${token}`;
}

/** Whether a reset link can be used: `unknown` (never issued, voided or swept), `used`, `expired` or `valid`. */
export async function resetLinkState(
  ctx: AppContext,
  token: string,
): Promise<"unknown" | "used" | "expired" | "valid"> {
  const row = await resetStore(ctx.db).byHash(sha256(token));
  if (!row) return "unknown";
  if (row.used_at) return "used";
  if (row.expires_at <= ctx.now().toISOString()) return "expired";
  return "valid";
}

/** The email of the account a usable reset link is for (the link's holder knows it already), or undefined. */
export async function resetLinkEmail(ctx: AppContext, token: string): Promise<string | undefined> {
  if ((await resetLinkState(ctx, token)) !== "valid") return undefined;
  const row = await resetStore(ctx.db).byHash(sha256(token));
  return row ? (await userStore(ctx.db).byId(row.user_id))?.email : undefined;
}

/**
 * Set a new password with a reset link: checks the password (ValidationError naming the field),
 * then in one transaction uses up the link, stores the new hash, ends every session of the user
 * and voids their other links. Returns the user, or undefined when the link cannot be used (used
 * meanwhile, by another tab; expired; unknown).
 */
export async function resetPassword(ctx: AppContext, token: string, password: string): Promise<UserRow | undefined> {
  const hash = await hashPassword(ctx, parsePassword(password));
  return transaction(ctx, async (tx) => {
    const store = resetStore(tx.db);
    const row = await store.byHash(sha256(token));
    if (!row || !(await store.consume(row.token_hash, tx.now().toISOString()))) return undefined;
    const users = userStore(tx.db);
    await users.setPasswordHash(row.user_id, hash);
    await sessionStore(tx.db).deleteForUser(row.user_id);
    await store.voidUnused(row.user_id);
    await withdrawTopic(tx, resetTopic(row.user_id), "the password was changed");
    return users.byId(row.user_id);
  });
}

/**
 * "Forgot your password?": email a reset link when an account has this address, else nothing.
 * The caller answers the same either way, so nobody learns which addresses have accounts.
 */
export async function requestPasswordReset(ctx: AppContext, email: string): Promise<void> {
  const user = await findUserByEmail(ctx, email);
  if (!user) return;
  const link = `${ctx.config.baseUrl}${await createResetLink(ctx, user.id)}`;
  await queueTransactional(ctx, {
    to: user.email,
    ...resetEmail(link, ctx.config.baseUrl, RESET_HOURS),
    // Not delivered once its link has expired or a newer one replaced it.
    expiresAt: new Date(ctx.now().getTime() + RESET_HOURS * 3_600_000),
    topic: resetTopic(user.id),
  });
}
