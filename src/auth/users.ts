/** Staff accounts: create, look up, verify passwords (argon2id). */
import argon2 from "argon2";
import { z } from "zod";
import type { AppContext } from "../lib/context.ts";
import type { Role } from "../lib/db/schema.ts";
import { HttpError, NotFoundError, ValidationError } from "../lib/errors.ts";
import { type UserRow, userStore } from "./store.ts";

export type { UserRow };

export const roles = ["owner", "editor", "author"] as const;

const passwordSchema = z
  .string()
  .min(10, "password: must be at least 10 characters")
  .max(1000, "password: must be at most 1000 characters");

const userSchema = z.object({
  email: z.email("email: enter a valid email address").transform((s) => s.trim().toLowerCase()),
  name: z.string().trim().max(120).default(""),
  role: z.enum(roles, { error: "role: must be owner, editor or author" }),
  password: passwordSchema,
});

/** Check a new password (the rules of a new account's). Throws ValidationError naming the field. */
export function parsePassword(password: unknown): string {
  const r = passwordSchema.safeParse(password);
  if (!r.success)
    throw new ValidationError(r.error.issues[0]?.message ?? "password: is invalid", { field: "password" });
  return r.data;
}

/** Hash with argon2id at the configured cost (by default the library's: 64 MiB, 3 passes). */
export function hashPassword(ctx: AppContext, password: string): Promise<string> {
  const { memoryKib, passes } = ctx.config.passwordHash;
  return argon2.hash(password, { type: argon2.argon2id, memoryCost: memoryKib, timeCost: passes });
}

/** Validate new-account input without creating it. Throws ValidationError naming the field. */
export function parseUserInput(input: unknown) {
  const r = userSchema.safeParse(input);
  if (!r.success) {
    const issue = r.error.issues[0];
    const field = String(issue?.path[0] ?? "input");
    const msg = issue?.message ?? "invalid user";
    throw new ValidationError(msg.includes(":") ? msg : `${field}: ${msg}`, { field });
  }
  return r.data;
}

/** Create a staff account. Throws ValidationError for bad input or a taken email. */
export async function createUser(
  ctx: AppContext,
  input: { email: string; name?: string; role: Role; password: string },
): Promise<UserRow> {
  const r = parseUserInput(input);
  const existing = await findUserByEmail(ctx, r.email);
  if (existing) throw new ValidationError(`email: ${r.email} already has an account`, { field: "email" });
  return userStore(ctx.db).insert({
    email: r.email,
    name: r.name || r.email.split("@")[0],
    role: r.role,
    password_hash: await hashPassword(ctx, r.password),
    created_at: ctx.now().toISOString(),
  });
}

/** The account of an address (matched trimmed and lower-case), or undefined. */
export function findUserByEmail(ctx: AppContext, email: string): Promise<UserRow | undefined> {
  return userStore(ctx.db).byEmail(email.trim().toLowerCase());
}

/** The account with this id, or undefined. */
export function findUserById(ctx: AppContext, id: number): Promise<UserRow | undefined> {
  return userStore(ctx.db).byId(id);
}

/** How many staff accounts there are (none: the setup link is offered). */
export function countUsers(ctx: AppContext): Promise<number> {
  return userStore(ctx.db).count();
}

/** Check a password; returns the user or null. Spends the same time for unknown emails. */
export async function verifyLogin(ctx: AppContext, email: string, password: string): Promise<UserRow | null> {
  const user = await findUserByEmail(ctx, email);
  if (!user) {
    await argon2.verify(await dummyHash(ctx), password).catch(() => false);
    return null;
  }
  return (await argon2.verify(user.password_hash, password)) ? user : null;
}

// A hash at the configured cost, so that failed lookups cost as much as real ones (no user
// enumeration by timing). Made once per cost and process.
const dummyHashes = new Map<string, Promise<string>>();
function dummyHash(ctx: AppContext): Promise<string> {
  const key = JSON.stringify(ctx.config.passwordHash);
  let h = dummyHashes.get(key);
  if (!h) {
    h = hashPassword(ctx, "not a password of anyone's");
    dummyHashes.set(key, h);
  }
  return h;
}

/** All staff accounts, owners first. */
export function listUsers(ctx: AppContext): Promise<UserRow[]> {
  return userStore(ctx.db).list();
}

function countOwners(ctx: AppContext): Promise<number> {
  return userStore(ctx.db).countOwners();
}

/** Change a user's role. The last owner cannot be demoted (someone must be able to manage users). */
export async function setUserRole(ctx: AppContext, userId: number, role: Role): Promise<UserRow> {
  if (!roles.includes(role)) throw new ValidationError("role: must be owner, editor or author", { field: "role" });
  const user = await findUserById(ctx, userId);
  if (!user) throw new NotFoundError(`User ${userId} not found`);
  if (user.role === "owner" && role !== "owner" && (await countOwners(ctx)) <= 1) {
    throw new HttpError(409, `${user.email} is the only owner; make someone else an owner first.`);
  }
  return userStore(ctx.db).setRole(userId, role);
}

/** Remove an account (its sessions go with it; its posts stay, without an author). */
export async function removeUser(ctx: AppContext, actorId: number, userId: number): Promise<void> {
  const user = await findUserById(ctx, userId);
  if (!user) throw new NotFoundError(`User ${userId} not found`);
  if (user.id === actorId) throw new HttpError(409, "You cannot remove your own account.");
  if (user.role === "owner" && (await countOwners(ctx)) <= 1) {
    throw new HttpError(409, `${user.email} is the only owner and cannot be removed.`);
  }
  await userStore(ctx.db).delete(userId);
}

/** Display names of users by id (for "who" columns). */
export async function userNames(ctx: AppContext): Promise<Map<number, string>> {
  const rows = await userStore(ctx.db).names();
  return new Map(rows.map((r) => [r.id, r.name || r.email]));
}

/** The owner's address (the first owner's, when there are several), for mail meant for them. */
export async function ownerEmail(ctx: AppContext): Promise<string | undefined> {
  return (await userStore(ctx.db).firstOwner())?.email;
}
