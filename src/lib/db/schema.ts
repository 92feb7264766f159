/**
 * Table types for Kysely. Timestamps are ISO 8601 UTC strings (`Date#toISOString()`),
 * which sort correctly as text on both SQLite and PostgreSQL. Booleans are 0/1 integers.
 */
import type { Generated } from "kysely";

export type Role = "owner" | "editor" | "author";
export type PostKind = "article" | "presentation" | "note" | "page";
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

export interface SettingsTable {
  key: string;
  /** JSON value. */
  value: string;
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
  jobs: JobsTable;
}
