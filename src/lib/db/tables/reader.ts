/** Table types: folders, sources, items, saves, credits, citations and reader state (reader). */
import type { Generated } from "kysely";

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
  /** The feed's URL (unique): what we poll. A source of another kind: its own feed, else its `remote_id`. */
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
  /** feed (the reader polls `feed_url`), or the name of another module's source kind ("activitypub"). */
  kind: Generated<string>;
  /** The source's id in its kind (a fediverse actor's URI); null for feeds. */
  remote_id: string | null;
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
  /** The citing link's text, or the credited name ("" when neither says more than the URL). */
  label: Generated<string>;
}

/** A host the user dismissed on Discover: it is not suggested again. */
export interface DiscoverDismissedTable {
  /** A citations.target_host value. */
  host: string;
  dismissed_at: string;
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
