/** Table types: Fedify's key–value store, the actor's keys and the account's settings (fediverse). */
import type { Generated } from "kysely";

export interface FediKvTable {
  /** The key: Fedify's array of strings, as JSON text. */
  key: string;
  /** JSON. */
  value: string;
  /** ISO time after which the entry counts as absent (a TTL); null: kept. */
  expires_at: string | null;
}

export interface FediKeysTable {
  kind: "rsa" | "ed25519";
  /** JWK as JSON. */
  private_jwk: string;
  public_jwk: string;
  created_at: string;
}

export interface FediSettingsTable {
  id: number;
  handle: Generated<string>;
  approve_followers: Generated<number>;
}
