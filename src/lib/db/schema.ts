/**
 * Table types for Kysely: one file per owner in tables/ (the module whose stores write the table;
 * scripts/check-modules.ts holds the same map). Timestamps are ISO 8601 UTC strings
 * (`Date#toISOString()`), which sort correctly as text on both SQLite and PostgreSQL. Booleans are
 * 0/1 integers.
 */

import type {
  AudienceSettingsTable,
  ListsTable,
  PostEmailLinksTable,
  PostEmailOpensTable,
  SubscribersTable,
  SubscriptionsTable,
} from "./tables/audience.ts";
import type {
  LoginFailuresTable,
  PasswordResetsTable,
  SessionsTable,
  SetupTokensTable,
  UsersTable,
} from "./tables/auth.ts";
import type { BackupSettingsTable } from "./tables/backup.ts";
import type {
  ContentStateTable,
  MediaTable,
  PostAutosavesTable,
  PostsTable,
  PostThemesTable,
  PostTombstonesTable,
  RedirectsTable,
  RevisionsTable,
  ThemesTable,
} from "./tables/content.ts";
import type {
  ConversationBlocksTable,
  ConversationItemsTable,
  ConversationPostSettingsTable,
  ConversationSettingsTable,
  WebmentionsInTable,
  WebmentionsOutTable,
} from "./tables/conversation.ts";
import type {
  DigestClicksTable,
  DigestEntriesTable,
  DigestSectionsTable,
  DigestSettingsTable,
  DigestsTable,
} from "./tables/digest.ts";
import type { EventsTable, RegistrationsTable } from "./tables/events.ts";
import type {
  FediBlocksTable,
  FediFollowersTable,
  FediFollowingTable,
  FediKeysTable,
  FediKvTable,
  FediNotesTable,
  FediPinsTable,
  FediSettingsTable,
} from "./tables/fediverse.ts";
import type { InquiriesTable, InquirySettingsTable } from "./tables/inquiries.ts";
import type {
  InsightDailyTable,
  InsightExperimentsTable,
  InsightOutcomesTable,
  InsightSaltsTable,
  InsightSettingsTable,
  InsightViewsTable,
} from "./tables/insights.ts";
import type { JobsTable, PageInvalidationsTable, RateCountersTable, SettingsTable } from "./tables/lib.ts";
import type { MailSendsTable, OutboxTable, SuppressionsTable } from "./tables/mail.ts";
import type {
  CitationsTable,
  DiscoverDismissedTable,
  FoldersTable,
  ItemsTable,
  ReaderStateTable,
  ReaderUndoTable,
  SaveCreditsTable,
  SavesTable,
  SavesTrashTable,
  SaveThemesTable,
  SourcesTable,
} from "./tables/reader.ts";
import type { SyndAccountsTable, SyndCopiesTable, SyndSettingsTable } from "./tables/syndication.ts";

export type * from "./tables/audience.ts";
export type * from "./tables/auth.ts";
export type * from "./tables/backup.ts";
export type * from "./tables/content.ts";
export type * from "./tables/conversation.ts";
export type * from "./tables/digest.ts";
export type * from "./tables/events.ts";
export type * from "./tables/fediverse.ts";
export type * from "./tables/inquiries.ts";
export type * from "./tables/insights.ts";
export type * from "./tables/lib.ts";
export type * from "./tables/mail.ts";
export type * from "./tables/reader.ts";
export type * from "./tables/syndication.ts";

export interface Database {
  users: UsersTable;
  sessions: SessionsTable;
  setup_tokens: SetupTokensTable;
  login_failures: LoginFailuresTable;
  password_resets: PasswordResetsTable;
  themes: ThemesTable;
  posts: PostsTable;
  post_themes: PostThemesTable;
  revisions: RevisionsTable;
  redirects: RedirectsTable;
  media: MediaTable;
  post_autosaves: PostAutosavesTable;
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
  discover_dismissed: DiscoverDismissedTable;
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
  post_email_links: PostEmailLinksTable;
  post_email_opens: PostEmailOpensTable;
  events: EventsTable;
  registrations: RegistrationsTable;
  inquiries: InquiriesTable;
  inquiry_settings: InquirySettingsTable;
  digests: DigestsTable;
  digest_sections: DigestSectionsTable;
  digest_entries: DigestEntriesTable;
  digest_clicks: DigestClicksTable;
  digest_settings: DigestSettingsTable;
  backup_settings: BackupSettingsTable;
  conversation_items: ConversationItemsTable;
  webmentions_in: WebmentionsInTable;
  webmentions_out: WebmentionsOutTable;
  conversation_blocks: ConversationBlocksTable;
  conversation_settings: ConversationSettingsTable;
  conversation_post_settings: ConversationPostSettingsTable;
  page_invalidations: PageInvalidationsTable;
  post_tombstones: PostTombstonesTable;
  fedi_kv: FediKvTable;
  fedi_keys: FediKeysTable;
  fedi_settings: FediSettingsTable;
  fedi_followers: FediFollowersTable;
  fedi_following: FediFollowingTable;
  fedi_blocks: FediBlocksTable;
  fedi_pins: FediPinsTable;
  fedi_notes: FediNotesTable;
  synd_accounts: SyndAccountsTable;
  synd_copies: SyndCopiesTable;
  synd_settings: SyndSettingsTable;
  insight_salts: InsightSaltsTable;
  insight_views: InsightViewsTable;
  insight_daily: InsightDailyTable;
  insight_outcomes: InsightOutcomesTable;
  insight_experiments: InsightExperimentsTable;
  insight_settings: InsightSettingsTable;
}
