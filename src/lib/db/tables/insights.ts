/** Table types: insights (cookieless views, daily rollups, outcomes, experiments). */
import type { Generated } from "kysely";

/** Today's salt (deleted after its day): visitors can't be followed from one day to the next. */
export interface InsightSaltsTable {
  day: string;
  salt: string;
}

/** A counted page view: no address, no User-Agent; the visitor is a hash under the day's salt. */
export interface InsightViewsTable {
  id: Generated<number>;
  /** UTC day, YYYY-MM-DD. */
  day: string;
  at: string;
  visitor: string;
  path: string;
  source: string;
  referrer_host: string;
  utm_source: string;
  utm_medium: string;
  utm_campaign: string;
  /** email | digest | forward: our own emails' markers. */
  ref: string | null;
  /** mobile | tablet | desktop */
  device: string;
}

/** A day's counts by one dimension (total, path, source, device, ref, entry): kept forever. */
export interface InsightDailyTable {
  day: string;
  dim: string;
  key: string;
  views: number;
  visitors: number;
}

/** Something the writing led to, and the visit it came from. */
export interface InsightOutcomesTable {
  id: Generated<number>;
  kind: string;
  at: string;
  post_id: number | null;
  who: string;
  entry_path: string;
  source: string;
  /** JSON list of paths read before it. */
  pages: string;
  /** The reader's hash of that day, when it came from a reader's request (to find the visit). */
  visitor: string | null;
  /** When the visit was read into entry_path, source and pages. */
  attributed_at: string | null;
  value_cents: number | null;
  currency: string | null;
  note: string;
  created_at: string;
}

/** An experiment: a hypothesis tried on a channel for a while. */
export interface InsightExperimentsTable {
  id: Generated<number>;
  hypothesis: string;
  channel: string;
  starts_on: string;
  ends_on: string;
  stopped_on: string | null;
  created_at: string;
}

/** Insights' settings (on/off, retention days, the weekly email). */
export interface InsightSettingsTable {
  name: string;
  value: string;
}
