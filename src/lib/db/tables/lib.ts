/** Table types: site-wide settings, jobs and rate counters (lib). */
import type { Generated } from "kysely";

/** Site-wide settings only (`secret`, `admin_timezone`, `site`); modules keep their state in their own tables. */
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

/** An expiring counter (rate limits, click de-duplication); see src/lib/limits/. */
export interface RateCountersTable {
  /** `<purpose>:<hash of the subject>`. */
  key: string;
  /** Hits in the current window. */
  count: number;
  /** When the window ends; a row past it counts as absent. */
  expires_at: string;
}

/** One public page to drop from every process's page cache (a comment changed only that post). */
export interface PageInvalidationsTable {
  id: Generated<number>;
  /** The cache key (path) to drop. */
  path: string;
  at: string;
}
