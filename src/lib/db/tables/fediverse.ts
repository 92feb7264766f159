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
  /** JSON array of actor URIs that are the owner too (a move in). */
  also_known_as: Generated<string>;
  /** The actor URI the account moved to, if it did. */
  moved_to: string | null;
}

export interface FediFollowersTable {
  id: Generated<number>;
  actor_uri: string;
  /** @user@host */
  handle: string;
  name: Generated<string>;
  icon_url: Generated<string>;
  url: Generated<string>;
  host: string;
  inbox_url: string;
  shared_inbox_url: Generated<string>;
  follow_id: string;
  status: "pending" | "accepted";
  via_post_id: number | null;
  created_at: string;
  removed_at: string | null;
  removed_reason: Generated<string>;
}

export interface FediFollowingTable {
  id: Generated<number>;
  actor_uri: string;
  handle: string;
  name: Generated<string>;
  inbox_url: string;
  follow_id: string;
  status: "pending" | "accepted" | "rejected";
  created_at: string;
}

export interface FediBlocksTable {
  id: Generated<number>;
  kind: "actor" | "domain";
  value: string;
  created_at: string;
}

export interface FediPinsTable {
  post_id: number;
  pinned_at: string;
}

/** The owner's notes in reply to others' posts, served at `/ap/notes/{id}`. */
export interface FediNotesTable {
  id: Generated<number>;
  /** The object answered (its ActivityPub id). */
  in_reply_to: string;
  /** The account answered: its actor URI and handle (@user@host). */
  to_actor: string;
  to_handle: string;
  /** The reader item it answered, while the reader keeps it. */
  reader_item_id: number | null;
  /** Sanitized HTML: made by us from the owner's text. */
  html: string;
  created_at: string;
}
