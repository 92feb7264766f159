/** SQL for staff accounts, sessions and setup tokens (failed sign-ins and reset links: throttle-store.ts, reset-store.ts). */
import type { Insertable, Selectable } from "kysely";
import type { Db } from "../lib/db/index.ts";
import type { Role, SessionsTable, SetupTokensTable, UsersTable } from "../lib/db/schema.ts";

export type UserRow = Selectable<UsersTable>;
export type SetupTokenRow = Selectable<SetupTokensTable>;

/** A session with the columns of its user that a request needs. */
export interface SessionWithUser {
  csrf_token: string;
  expires_at: string;
  id: number;
  email: string;
  name: string;
  role: Role;
}

/** Staff accounts. */
export function userStore(db: Db) {
  const k = db.kysely;
  return {
    /** The first owner account, by id. */
    firstOwner: () =>
      k
        .selectFrom("users")
        .select(["id", "email"])
        .where("role", "=", "owner")
        .orderBy("id")
        .limit(1)
        .executeTakeFirst(),
    insert: (row: Insertable<UsersTable>): Promise<UserRow> =>
      k.insertInto("users").values(row).returningAll().executeTakeFirstOrThrow(),

    /** `email` as stored: trimmed and lower-case. */
    byEmail: (email: string): Promise<UserRow | undefined> =>
      k.selectFrom("users").selectAll().where("email", "=", email).executeTakeFirst(),

    byId: (id: number): Promise<UserRow | undefined> =>
      k.selectFrom("users").selectAll().where("id", "=", id).executeTakeFirst(),

    async count(): Promise<number> {
      const r = await k
        .selectFrom("users")
        .select((eb) => eb.fn.countAll<number>().as("n"))
        .executeTakeFirstOrThrow();
      return Number(r.n);
    },

    async countOwners(): Promise<number> {
      const r = await k
        .selectFrom("users")
        .select((eb) => eb.fn.countAll<number>().as("n"))
        .where("role", "=", "owner")
        .executeTakeFirstOrThrow();
      return Number(r.n);
    },

    /** Owners first, then by email. */
    list: (): Promise<UserRow[]> =>
      k.selectFrom("users").selectAll().orderBy("role", "desc").orderBy("email").execute(),

    setPasswordHash: (id: number, passwordHash: string) =>
      k.updateTable("users").set({ password_hash: passwordHash }).where("id", "=", id).execute(),

    setRole: (id: number, role: Role): Promise<UserRow> =>
      k.updateTable("users").set({ role }).where("id", "=", id).returningAll().executeTakeFirstOrThrow(),

    /** Its sessions go with it (foreign key cascade). */
    delete: (id: number) => k.deleteFrom("users").where("id", "=", id).execute(),

    names: () => k.selectFrom("users").select(["id", "name", "email"]).execute(),
  };
}

/** Sessions, by the SHA-256 of their cookie token. */
export function sessionStore(db: Db) {
  const k = db.kysely;
  return {
    insert: (row: Insertable<SessionsTable>) => k.insertInto("sessions").values(row).execute(),

    withUser: (id: string): Promise<SessionWithUser | undefined> =>
      k
        .selectFrom("sessions")
        .innerJoin("users", "users.id", "sessions.user_id")
        .select(["sessions.csrf_token", "sessions.expires_at", "users.id", "users.email", "users.name", "users.role"])
        .where("sessions.id", "=", id)
        .executeTakeFirst(),

    extend: (id: string, expiresAt: string) =>
      k.updateTable("sessions").set({ expires_at: expiresAt }).where("id", "=", id).execute(),

    delete: (id: string) => k.deleteFrom("sessions").where("id", "=", id).execute(),

    /** Sign a user out everywhere (their password was reset). */
    deleteForUser: (userId: number) => k.deleteFrom("sessions").where("user_id", "=", userId).execute(),
  };
}

/** One-time setup tokens, by the SHA-256 of the token. */
export function setupTokenStore(db: Db) {
  const k = db.kysely;
  return {
    insert: (row: Insertable<SetupTokensTable>) => k.insertInto("setup_tokens").values(row).execute(),

    byHash: (hash: string): Promise<SetupTokenRow | undefined> =>
      k.selectFrom("setup_tokens").selectAll().where("token_hash", "=", hash).executeTakeFirst(),

    /** Mark a token used; false when it was used already (two tabs cannot both use it). */
    async consume(hash: string, at: string): Promise<boolean> {
      const r = await k
        .updateTable("setup_tokens")
        .set({ used_at: at })
        .where("token_hash", "=", hash)
        .where("used_at", "is", null)
        .executeTakeFirst();
      return Number(r.numUpdatedRows) === 1;
    },

    release: (hash: string) =>
      k.updateTable("setup_tokens").set({ used_at: null }).where("token_hash", "=", hash).execute(),
  };
}
