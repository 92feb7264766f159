/** Table types: lists, subscribers, subscriptions and audience settings (audience). */
import type { Generated } from "kysely";

// ---- Owned audience (issue 4): lists, subscribers, subscriptions (consents) ----
export type SubscriptionStatus = "pending" | "confirmed" | "unsubscribed";

export interface ListsTable {
  id: Generated<number>;
  slug: string;
  name: string;
  /** Shown at signup and kept with each consent as shown. */
  promise: string;
  is_public: number;
  created_at: string;
}

export interface SubscribersTable {
  id: Generated<number>;
  /** Null once erased. */
  email: string | null;
  name: string;
  created_at: string;
  erased_at: string | null;
}

export interface SubscriptionsTable {
  id: Generated<number>;
  subscriber_id: number;
  list_id: number;
  status: SubscriptionStatus;
  promise_shown: string;
  /** "form", "added by OWNER", "imported from FILE on DATE" */
  source: string;
  source_page: string;
  requested_at: string;
  confirmed_at: string | null;
  unsubscribed_at: string | null;
}

export interface AudienceSettingsTable {
  id: number;
  /** 1: clicks on digest links are counted per subscriber (and every list's promise says so). */
  per_subscriber_clicks: Generated<number>;
}

// ---- New-post email clicks (issue 12): per send and link, counted per link, like digest entries ----
export interface PostEmailLinksTable {
  id: Generated<number>;
  /** The send (mail_sends.id); null only while the send is being created. */
  send_id: number | null;
  /** Where the link leads (the post's link as written, made absolute). */
  url: string;
  clicks: Generated<number>;
  created_at: string;
}

/** Opens of a send whose owner turned open counting on for it (off by default: no pixel). */
export interface PostEmailOpensTable {
  id: Generated<number>;
  /** The send; null only while the send is being created. */
  send_id: number | null;
  opens: Generated<number>;
  created_at: string;
}
