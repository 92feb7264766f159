/** Table types: staff accounts, sessions, setup links, failed sign-ins, password reset links (auth). */
import type { Generated } from "kysely";

export type Role = "owner" | "editor" | "author";

export interface UsersTable {
  id: Generated<number>;
  email: string;
  name: string;
  role: Role;
  password_hash: string;
  created_at: string;
}

export interface SessionsTable {
  /** SHA-256 of the cookie token; the token itself is never stored. */
  id: string;
  user_id: number;
  csrf_token: string;
  created_at: string;
  expires_at: string;
}

export interface SetupTokensTable {
  token_hash: string;
  role: Role;
  created_at: string;
  expires_at: string;
  used_at: string | null;
}

/** Failed sign-ins of one account from one address (`key`: a keyed hash of the pair). */
export interface LoginFailuresTable {
  key: string;
  failures: number;
  last_failure_at: string;
  /** When the row stops counting and may be swept. */
  expires_at: string;
}

/** One-time password reset links, by the SHA-256 of their token. */
export interface PasswordResetsTable {
  token_hash: string;
  user_id: number;
  created_at: string;
  expires_at: string;
  used_at: string | null;
}
