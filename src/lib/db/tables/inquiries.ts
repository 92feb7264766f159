/** Table types: inquiries and the page's settings (inquiries). */
import type { Generated } from "kysely";

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
