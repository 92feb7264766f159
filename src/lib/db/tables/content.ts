/** Table types: posts, themes, revisions, redirects, media and the content version (content). */
import type { Generated } from "kysely";

/** `link` posts are published saves (issue 3): a bookmark with a blurb and a credit line. */
export type PostKind = "article" | "presentation" | "note" | "page" | "link" | "event" | "digest";

export type PostStatus = "draft" | "scheduled" | "published";

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
  /** Alt text of the cover image on this post (issue 12); "" when none was given. */
  cover_alt: Generated<string>;
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
  /**
   * The id feeds give the post, fixed for good (Atom id, RSS guid): a tag URI, or for posts
   * published before migration 013 their URL's path then. NULL (not yet published): derived
   * (content's postFeedId).
   */
  feed_id: Generated<string | null>;
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

/** The address of a deleted post: it answers 410 Gone until a post takes it again. */
export interface PostTombstonesTable {
  path: string;
  deleted_at: string;
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
  /** Alt text for the image, offered in its Markdown snippet (issue 12). */
  alt: Generated<string>;
}

/** One rolling autosave per post (issue 12): replaced by each autosave, deleted by a real save. */
export interface PostAutosavesTable {
  post_id: number;
  author_id: number | null;
  title: string;
  summary: string;
  body_md: string;
  saved_at: string;
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
  /** When the owner dismissed the admin home's first-run checklist; null: shown. */
  checklist_dismissed_at: string | null;
  /** JSON snapshot of the demo content removed (by module name), for undo; null: nothing to undo. */
  demo_removed: string | null;
}
