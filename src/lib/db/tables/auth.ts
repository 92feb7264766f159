/** Table types: staff accounts, sessions, setup links (auth). */
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
