/** Table types: digests, their sections, entries and clicks, and the schedule (digest). */
import type { Generated } from "kysely";

export interface DigestsTable {
  id: Generated<number>;
  title: string;
  intro_md: Generated<string>;
  closing_md: Generated<string>;
  status: "draft" | "sent";
  period_start: string;
  period_end: string;
  send_at: string | null;
  held: Generated<number>;
  is_private: Generated<number>;
  secret: string;
  post_id: number | null;
  send_id: number | null;
  /** JSON array of list ids it was sent to. */
  list_ids: Generated<string>;
  created_at: string;
  updated_at: string;
  sent_at: string | null;
}

export interface DigestSectionsTable {
  id: Generated<number>;
  digest_id: number;
  title: string;
  kind: "theme" | "own" | "manual";
  theme_id: number | null;
  position: number;
}

export interface DigestEntriesTable {
  id: Generated<number>;
  digest_id: number;
  section_id: number;
  position: number;
  save_id: number | null;
  post_id: number | null;
  url: string;
  title: string;
  blurb_md: Generated<string>;
  /** JSON [{name, url}]. */
  credits: Generated<string>;
  theme_name: Generated<string>;
  source_name: Generated<string>;
  clicks: Generated<number>;
  removed_at: string | null;
}

export interface DigestClicksTable {
  id: Generated<number>;
  entry_id: number;
  subscriber_id: number | null;
  created_at: string;
}

export interface DigestSettingsTable {
  id: number;
  /** The schedule as JSON (validated when read). */
  schedule: Generated<string>;
}
