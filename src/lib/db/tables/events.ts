/** Table types: events and registrations (events). */
import type { Generated } from "kysely";

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
