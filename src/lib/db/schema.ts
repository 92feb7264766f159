/**
 * Table types for Kysely. Timestamps are ISO 8601 UTC strings (`Date#toISOString()`),
 * which sort correctly as text on both SQLite and PostgreSQL. Booleans are 0/1 integers.
 */
import type { Generated } from "kysely";

export type Role = "owner" | "editor" | "author";
/** `link` posts are published saves (issue 3): a bookmark with a blurb and a credit line. */
export type PostKind = "article" | "presentation" | "note" | "page" | "link" | "event" | "digest";
export type PostStatus = "draft" | "scheduled" | "published";

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

export interface ThemesTable {
  id: Generated<number>;
  slug: string;
  name: string;
  description: string;
  position: number;
  created_at: string;
}

export interface PostsTable {
  id: Generated<number>;
  kind: PostKind;
  status: PostStatus;
  slug: string;
  title: string;
  summary: string;
  body_md: string;
  /** Rendered at save time (sanitized article HTML, or the slide deck for presentations). */
  body_html: string;
  /** Plain text of the body, for search, snippets and related posts. */
  body_text: string;
  /** Extra rendered data as JSON (slide CSS for presentations, etc). */
  render_extra: string;
  cover_media_id: number | null;
  pdf_media_id: number | null;
  author_id: number | null;
  published_at: string | null;
  created_at: string;
  updated_at: string;
  word_count: number;
  /** For `link` posts: the URL bookmarked (u-bookmark-of). */
  link_url: string | null;
  /** For `link` posts: JSON array of credits `[{name, url}]`, nearest first (u-via). */
  credits: Generated<string>;
  /** For `link` posts: the save this post publishes. */
  save_id: number | null;
}

export interface PostThemesTable {
  post_id: number;
  theme_id: number;
}

export interface RevisionsTable {
  id: Generated<number>;
  post_id: number;
  kind: PostKind;
  slug: string;
  title: string;
  summary: string;
  body_md: string;
  /** JSON array of theme ids at the time of the save. */
  theme_ids: string;
  author_id: number | null;
  created_at: string;
  note: string;
}

export interface RedirectsTable {
  from_path: string;
  post_id: number;
  created_at: string;
}

export interface MediaTable {
  id: Generated<number>;
  /** Storage key: file name stem under data/media. */
  key: string;
  original_name: string;
  mime: string;
  bytes: number;
  width: number | null;
  height: number | null;
  /** JSON array of {width, file, mime} for responsive variants. */
  variants: string;
  uploader_id: number | null;
  created_at: string;
}

/** Site-wide settings only (`secret`, `admin_timezone`, `site`); modules keep their state in their own tables. */
export interface SettingsTable {
  key: string;
  /** JSON value. */
  value: string;
}

/**
 * Single-row tables (`content_state`, `reader_state`, `digest_settings`, `audience_settings`,
 * `inquiry_settings`) have `id` 1; a missing row means the column defaults.
 */
export interface ContentStateTable {
  id: number;
  /** Incremented by every change that affects public pages: other processes clear their page caches. */
  version: Generated<number>;
  /** When the demo content was first added; null: never. */
  demo_seeded_at: string | null;
}

export type JobStatus = "queued" | "running" | "done" | "failed";

export interface JobsTable {
  id: Generated<number>;
  kind: string;
  /** JSON payload. */
  payload: string;
  status: JobStatus;
  run_at: string;
  attempts: number;
  max_attempts: number;
  locked_by: string | null;
  locked_until: string | null;
  last_error: string | null;
  /** Optional de-duplication key: at most one queued/running job per key. */
  unique_key: string | null;
  created_at: string;
  updated_at: string;
}

/** An expiring counter (rate limits, click de-duplication); see src/lib/limits/. */
export interface RateCountersTable {
  /** `<purpose>:<hash of the subject>`. */
  key: string;
  /** Hits in the current window. */
  count: number;
  /** When the window ends; a row past it counts as absent. */
  expires_at: string;
}

// ---- Reader (issue 3): folders, sources, items, saves, citations ----

export interface FoldersTable {
  id: Generated<number>;
  name: string;
  /** Nested folders (OPML keeps nesting). */
  parent_id: number | null;
  position: number;
  created_at: string;
}

export interface SourcesTable {
  id: Generated<number>;
  folder_id: number | null;
  /** The feed's URL (unique): what we poll. */
  feed_url: string;
  /** The site's home page (feed's link), used for "already followed" checks and discover. */
  site_url: string;
  /** Host of site_url without "www.", lower case; joins discover's citations to followed sources. */
  site_host: string;
  title: string;
  /** A title the user gave; shown instead of `title` when not empty. */
  custom_title: string;
  description: string;
  image_url: string | null;
  /** rss | atom | rdf | json, from the last successful parse. */
  format: string;
  is_podcast: number;
  etag: string | null;
  last_modified: string | null;
  /** Minutes between polls, adapted to how often the feed publishes (15 … 1440). */
  interval_minutes: number;
  next_fetch_at: string;
  /** Lease so that several workers never poll one source at once (PostgreSQL). */
  lease_until: string | null;
  last_fetched_at: string | null;
  last_success_at: string | null;
  /** Consecutive failures; drives exponential backoff. Polling never stops for errors. */
  error_count: number;
  last_error: string | null;
  last_error_at: string | null;
  created_at: string;
}

export interface ItemsTable {
  id: Generated<number>;
  source_id: number;
  /** De-duplication key within the source: the entry id, else its URL, else a hash of title+content. */
  dedupe_key: string;
  url: string | null;
  title: string;
  /** JSON array of {name, email, url}. */
  authors: string;
  /** Sanitized HTML. */
  summary_html: string;
  /** Sanitized HTML. */
  content_html: string;
  /** Plain text of title, summary and content, for search. */
  text: string;
  /** JSON array of strings. */
  categories: string;
  /** JSON array of {url, type, length}. */
  enclosures: string;
  /** Podcast episode duration in seconds (itunes:duration). */
  duration_seconds: number | null;
  image_url: string | null;
  /** Atom link rel="via", when the entry gives one. */
  via_url: string | null;
  comments_url: string | null;
  published_at: string | null;
  updated_at: string | null;
  /** When we first stored it; inbox order falls back to this when the feed has no dates. */
  fetched_at: string;
  /** Sanitized readability extraction of the linked page ("fetch full text"), cached. */
  full_html: string | null;
  is_read: number;
  read_at: string | null;
  is_starred: number;
}

export interface SavesTable {
  id: Generated<number>;
  url: string;
  canonical_url: string | null;
  title: string;
  description: string;
  author_name: string;
  site_name: string;
  /** Markdown blurb and its rendered, sanitized HTML. */
  blurb_md: string;
  blurb_html: string;
  /** Extracted text of the saved page, for search. */
  page_text: string;
  /** The inbox item it was saved from, if any. */
  item_id: number | null;
  /** Publish as a link post on the public site. */
  publish: number;
  /** The link post, when published. */
  post_id: number | null;
  user_id: number | null;
  created_at: string;
  updated_at: string;
}

export interface SaveThemesTable {
  save_id: number;
  theme_id: number;
}

export interface SaveCreditsTable {
  id: Generated<number>;
  save_id: number;
  /** 0 = where the user read it (the source), 1 = the source's source, … */
  position: number;
  name: string;
  url: string;
}

export interface CitationsTable {
  id: Generated<number>;
  item_id: number;
  source_id: number;
  /** The cited URL (a link in the item, or a via credit). */
  target_url: string;
  /** Host of target_url without "www.", lower case: what discover ranks. */
  target_host: string;
  /** link | via */
  kind: string;
  /** The citing item's date (published, else fetched): the 90-day window. */
  cited_at: string;
}

export interface ReaderStateTable {
  id: number;
  /** The last item id whose citations are indexed. */
  citations_cursor: Generated<number>;
}

/** A deleted save kept for a week so that the delete can be undone. */
export interface SavesTrashTable {
  save_id: number;
  deleted_at: string;
  /** JSON {save, credits, themeIds}. */
  data: string;
}

/** A user's latest "mark all read", for undo. */
export interface ReaderUndoTable {
  user_id: number;
  token: string;
  read_at: string;
  /** JSON array of item ids. */
  item_ids: string;
}

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
}

export interface SuppressionsTable {
  email: string;
  /** "bounce", "complaint", "smtp-5xx", "manual" */
  reason: string;
  detail: string;
  created_at: string;
}

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

export interface EventsTable {
  post_id: number;
  /** UTC ISO 8601. */
  starts_at: string;
  ends_at: string;
  /** IANA zone the event is shown in, e.g. "Europe/Berlin". */
  time_zone: string;
  venue: string;
  online_url: string;
  /** Null: no limit. */
  capacity: number | null;
  /** An optional question asked at registration. */
  question: string;
}

export type RegistrationStatus = "registered" | "waitlisted" | "cancelled";

export interface RegistrationsTable {
  id: Generated<number>;
  event_id: number;
  email: string;
  name: string;
  answer: string;
  status: RegistrationStatus;
  source_page: string;
  created_at: string;
  promoted_at: string | null;
  cancelled_at: string | null;
  reminded_at: string | null;
}

export interface InquiriesTable {
  id: Generated<number>;
  name: string;
  email: string;
  topic: string;
  message: string;
  source_page: string;
  referrer: string;
  status: string;
  created_at: string;
}

export interface InquirySettingsTable {
  id: number;
  /** The "Work with me" page's intro; empty: the default text. */
  intro: Generated<string>;
}

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

export interface Database {
  users: UsersTable;
  sessions: SessionsTable;
  setup_tokens: SetupTokensTable;
  themes: ThemesTable;
  posts: PostsTable;
  post_themes: PostThemesTable;
  revisions: RevisionsTable;
  redirects: RedirectsTable;
  media: MediaTable;
  settings: SettingsTable;
  content_state: ContentStateTable;
  jobs: JobsTable;
  rate_counters: RateCountersTable;
  folders: FoldersTable;
  sources: SourcesTable;
  items: ItemsTable;
  saves: SavesTable;
  save_themes: SaveThemesTable;
  save_credits: SaveCreditsTable;
  citations: CitationsTable;
  reader_state: ReaderStateTable;
  saves_trash: SavesTrashTable;
  reader_undo: ReaderUndoTable;
  mail_sends: MailSendsTable;
  outbox: OutboxTable;
  suppressions: SuppressionsTable;
  lists: ListsTable;
  subscribers: SubscribersTable;
  subscriptions: SubscriptionsTable;
  audience_settings: AudienceSettingsTable;
  events: EventsTable;
  registrations: RegistrationsTable;
  inquiries: InquiriesTable;
  inquiry_settings: InquirySettingsTable;
  digests: DigestsTable;
  digest_sections: DigestSectionsTable;
  digest_entries: DigestEntriesTable;
  digest_clicks: DigestClicksTable;
  digest_settings: DigestSettingsTable;
}
