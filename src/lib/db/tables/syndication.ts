/** Table types: the owner's accounts elsewhere and the copies sent to them (syndication). */
import type { Generated } from "kysely";

/** An account on another platform the owner connected. */
export interface SyndAccountsTable {
  id: Generated<number>;
  /** bluesky | mastodon | linkedin */
  platform: string;
  /** @handle, the Bluesky handle, or LinkedIn's member URN. */
  handle: string;
  /** The PDS, the Mastodon instance, or LinkedIn's API origin. */
  service_url: string;
  /** The credential (app password, access token), sealed with the site's secret (secrets.ts). */
  secret_sealed: string;
  /** Its last four characters, shown masked. */
  secret_hint: string;
  /** ok | error | revoked: from the last check or send. */
  status: Generated<string>;
  /** JSON list of the post kinds whose editor starts with this account ticked. */
  default_kinds: Generated<string>;
  last_error: string | null;
  checked_at: string | null;
  /** Backfeed: the newest notification seen (Mastodon's since_id, Bluesky's seenAt). */
  poll_cursor: string | null;
  /** Seconds between polls: doubles while nothing comes (5 min … 6 h), back to 5 min when something does. */
  poll_interval_s: Generated<number>;
  next_poll_at: string | null;
  created_at: string;
}

/** A post's copy on one account: one row per post and account (the idempotency record). */
export interface SyndCopiesTable {
  id: Generated<number>;
  post_id: number;
  account_id: number;
  /** queued | sending | sent | failed | off | deleted */
  status: string;
  /** The text that goes (or went) out, as the owner left it. */
  text: string;
  /** The copy's public URL, once sent. */
  url: string | null;
  /** Its id there (an at:// URI, a status id, a LinkedIn URN). */
  remote_id: string | null;
  last_error: string | null;
  attempts: Generated<number>;
  /** When it goes out, if not with the post. */
  send_at: string | null;
  sent_at: string | null;
  created_at: string;
  updated_at: string;
  /** Mastodon: the content warning (spoiler text) the owner set, if any. */
  content_warning: string | null;
  /** Bluesky: 1 when the owner asked for a long text to go as a thread. */
  as_thread: Generated<number>;
  /** Bluesky threads: the records after the first, space-separated at:// URIs. */
  remote_more: string | null;
}

/** Syndication's own settings: `share_links` ("1": readers see share links under posts). */
export interface SyndSettingsTable {
  name: string;
  value: string;
}
