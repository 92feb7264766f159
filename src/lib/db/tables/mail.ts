/** Table types: sends, the outbox and suppressions (mail). */
import type { Generated } from "kysely";

// ---- Email delivery (issue 4): sends, outbox, suppressions ----
export type SendStatus = "sending" | "done" | "cancelled";

export type OutboxStatus = "queued" | "sending" | "sent" | "failed" | "suppressed";

export interface MailSendsTable {
  id: Generated<number>;
  /** "post" (new-post email), "test", ... */
  kind: string;
  subject: string;
  /**
   * The template: JSON lists of literal parts and slot references (`{"slot": name}`) filled from
   * each outbox row's vars (mail/template.ts; migration 008 converted the older `{{name}}` form).
   */
  html: string;
  text: string;
  post_id: number | null;
  /** JSON array of list ids. */
  list_ids: string;
  status: SendStatus;
  total: number;
  created_by: number | null;
  created_at: string;
  started_at: string | null;
  finished_at: string | null;
}

export interface OutboxTable {
  id: Generated<number>;
  send_id: number | null;
  /** 0 transactional, 10 bulk; lower is sent first. */
  priority: number;
  to_email: string;
  subscriber_id: number | null;
  list_id: number | null;
  /** Stable per row: a resend after a crash carries the same Message-ID. */
  message_id: string;
  /** A transactional row's own message, stored like a send's template; null on bulk rows. */
  subject: string | null;
  html: string | null;
  text: string | null;
  /** JSON array of {filename, contentType, content (base64)}. */
  attachments: Generated<string>;
  /** JSON object of per-recipient values (unsubscribe_url, preferences_url, ..., reply_to, list_id). */
  vars: string;
  status: Generated<OutboxStatus>;
  attempts: Generated<number>;
  next_attempt_at: string;
  lease_until: string | null;
  last_response: string | null;
  sent_at: string | null;
  created_at: string;
  /** A row still unsent at this time is dropped at claim time (a link in it stopped working); null: never. */
  expires_at: string | null;
  /** The sender's key for withdrawing what still waits (e.g. a user's reset mail); null on most rows. */
  topic: string | null;
}

export interface SuppressionsTable {
  email: string;
  /** "bounce", "complaint", "smtp-5xx", "manual" */
  reason: string;
  detail: string;
  created_at: string;
}
