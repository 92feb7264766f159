/** Staff accounts: create, look up, verify passwords (argon2id). */
import argon2 from "argon2";
import { z } from "zod";
import type { AppContext } from "../lib/context.ts";
import type { Role } from "../lib/db/schema.ts";
import { ValidationError } from "../lib/errors.ts";

export const roles = ["owner", "editor", "author"] as const;

const userSchema = z.object({
  email: z.email("email: enter a valid email address").transform((s) => s.trim().toLowerCase()),
  name: z.string().trim().max(120).default(""),
  role: z.enum(roles, { error: "role: must be owner, editor or author" }),
  password: z.string().min(10, "password: must be at least 10 characters").max(1000),
});

export interface UserRow {
  id: number;
  email: string;
  name: string;
  role: Role;
  password_hash: string;
  created_at: string;
}

/** Hash with argon2id (the library's defaults: 64 MiB, 3 passes). */
export function hashPassword(password: string): Promise<string> {
  return argon2.hash(password, { type: argon2.argon2id });
}

/** Create a staff account. Throws ValidationError for bad input or a taken email. */
export async function createUser(
  ctx: AppContext,
  input: { email: string; name?: string; role: Role; password: string },
): Promise<UserRow> {
  const r = userSchema.safeParse(input);
  if (!r.success) {
    const msg = r.error.issues[0]?.message ?? "invalid user";
    throw new ValidationError(msg.includes(":") ? msg : `${r.error.issues[0]?.path.join(".")}: ${msg}`);
  }
  const existing = await findUserByEmail(ctx, r.data.email);
  if (existing) throw new ValidationError(`email: ${r.data.email} already has an account`, { field: "email" });
  return ctx.db.kysely
    .insertInto("users")
    .values({
      email: r.data.email,
      name: r.data.name || r.data.email.split("@")[0],
      role: r.data.role,
      password_hash: await hashPassword(r.data.password),
      created_at: ctx.now().toISOString(),
    })
    .returningAll()
    .executeTakeFirstOrThrow();
}

export function findUserByEmail(ctx: AppContext, email: string): Promise<UserRow | undefined> {
  return ctx.db.kysely
    .selectFrom("users")
    .selectAll()
    .where("email", "=", email.trim().toLowerCase())
    .executeTakeFirst();
}

export function findUserById(ctx: AppContext, id: number): Promise<UserRow | undefined> {
  return ctx.db.kysely.selectFrom("users").selectAll().where("id", "=", id).executeTakeFirst();
}

export async function countUsers(ctx: AppContext): Promise<number> {
  const r = await ctx.db.kysely
    .selectFrom("users")
    .select((eb) => eb.fn.countAll<number>().as("n"))
    .executeTakeFirstOrThrow();
  return Number(r.n);
}

/** Check a password; returns the user or null. Spends the same time for unknown emails. */
export async function verifyLogin(ctx: AppContext, email: string, password: string): Promise<UserRow | null> {
  const user = await findUserByEmail(ctx, email);
  if (!user) {
    await argon2.verify(DUMMY_HASH, password).catch(() => false);
    return null;
  }
  return (await argon2.verify(user.password_hash, password)) ? user : null;
}

// A fixed argon2id hash so that failed lookups cost as much as real ones (no user enumeration by timing).
const DUMMY_HASH = "$argon2id$v=19$m=65536,p=4,t=3$p/thu6O3jAX89N85COVEZg$TzoV3QiCqunkAuQ5cB7DKGt1C7nDYRAMbBtSlqs6ZiE";
