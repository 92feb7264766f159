/** Table types: conversation items, Webmentions in and out, blocklists and comment settings (conversation). */
import type { Generated } from "kysely";

export type ConversationKind = "comment" | "reply" | "like" | "repost" | "bookmark" | "mention";
export type ConversationVia = "site" | "webmention" | "activitypub" | "bluesky";
export type ConversationStatus = "pending" | "approved" | "spam";

export interface ConversationItemsTable {
  id: Generated<number>;
  post_id: number;
  parent_id: number | null;
  kind: ConversationKind;
  via: ConversationVia;
  status: ConversationStatus;
  status_note: Generated<string>;
  author_name: string;
  author_url: Generated<string>;
  author_photo: Generated<string>;
  author_email: Generated<string>;
  author_key: string;
  owner_reply: Generated<number>;
  text: Generated<string>;
  html: Generated<string>;
  source_url: Generated<string>;
  remote_id: string | null;
  notify_replies: Generated<number>;
  confirmed_at: string | null;
  published_at: string;
  received_at: string;
  updated_at: string;
}

export interface WebmentionsInTable {
  id: Generated<number>;
  source: string;
  target: string;
  post_id: number;
  status: "queued" | "verified" | "rejected" | "removed" | "failed";
  detail: Generated<string>;
  item_id: number | null;
  received_at: string;
  checked_at: string | null;
}

export type WebmentionOutStatus = "pending" | "sent" | "accepted" | "no-endpoint" | "failed";

export interface WebmentionsOutTable {
  id: Generated<number>;
  post_id: number;
  source: string;
  target: string;
  endpoint: Generated<string>;
  status: WebmentionOutStatus;
  detail: Generated<string>;
  attempts: Generated<number>;
  linked: Generated<number>;
  updated_at: string;
}

export interface ConversationBlocksTable {
  id: Generated<number>;
  kind: "word" | "domain" | "address";
  value: string;
  created_at: string;
}

export interface ConversationSettingsTable {
  id: number;
  comments: Generated<"on" | "off" | "closed">;
  close_after_days: Generated<number>;
  notified_at: string | null;
}

export interface ConversationPostSettingsTable {
  post_id: number;
  comments: "default" | "on" | "off";
  close_after_days: number | null;
}
