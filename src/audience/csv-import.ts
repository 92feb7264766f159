/**
 * CSV files of subscribers → rows to import (pure). Recognises the exports of Substack
 * (`email, active_subscription, expiry, email_disabled, created_at`), Mailchimp (`Email Address,
 * First Name, Last Name, ... OPTIN_TIME, CONFIRM_TIME`, with `UNSUB_TIME` or `CLEAN_TIME` in its
 * unsubscribed and cleaned files), Ghost (`id, email, name, note, subscribed_to_emails, ...,
 * created_at, deleted_at`), our own export (`email, name, status, source, requested_at,
 * confirmed_at`) and a plain `email[,name]` file with or without a header line. Headers are
 * matched without regard to case; a BOM and CRLF line ends are fine.
 *
 * Every row ends up in exactly one place: `rows` (to import), `bad` (with the reason),
 * `duplicates` (the address came earlier in the file) or `notSubscribed` (the file itself says
 * the reader is not subscribed there: importing them would be mailing people who said no).
 */
import { parse } from "csv-parse/sync";
import { ValidationError } from "../lib/errors.ts";
import { normalizeEmail } from "../mail/index.ts";

export type ImportFormat = "substack" | "mailchimp" | "ghost" | "liner" | "plain";

export interface ImportRow {
  /** Line of the file (1-based; the last line of a record that spans lines). */
  line: number;
  email: string;
  name: string;
  /** When the file says they subscribed or confirmed (UTC ISO), or null. */
  confirmedAt: string | null;
}

export interface RowNote {
  line: number;
  reason: string;
}

export interface ParsedImport {
  format: ImportFormat;
  /** Data rows in the file (header excluded, blank lines skipped). */
  total: number;
  rows: ImportRow[];
  bad: RowNote[];
  duplicates: (RowNote & { email: string })[];
  notSubscribed: (RowNote & { email: string })[];
}

export const formatNames: Record<ImportFormat, string> = {
  substack: "Substack export",
  mailchimp: "Mailchimp export",
  ghost: "Ghost members export",
  liner: "Liner Notes export",
  plain: "list of addresses",
};

const EMAIL_HEADERS = ["email", "email address", "e-mail", "e-mail address", "email_address"];
const TIME_COLUMNS: Record<ImportFormat, string[]> = {
  mailchimp: ["confirm_time", "optin_time"],
  ghost: ["created_at"],
  substack: ["created_at"],
  liner: ["confirmed_at", "requested_at"],
  plain: ["confirmed_at", "subscribed_at", "created_at"],
};

function detect(h: string[]): ImportFormat {
  const has = (...names: string[]) => names.some((n) => h.includes(n));
  if (has("email address", "optin_time", "confirm_time", "leid", "euid")) return "mailchimp";
  if (has("subscribed_to_emails", "complimentary_plan")) return "ghost";
  if (has("active_subscription", "email_disabled", "stripe_connected_customer_id", "expiry")) return "substack";
  if (has("status") && has("confirmed_at")) return "liner";
  return "plain";
}

/** Mailchimp writes "2023-04-21 11:16:57" (UTC); the others ISO 8601. Null when empty. */
export function parseTime(raw: string): string | null | undefined {
  const s = raw.trim();
  if (!s) return null;
  const iso = /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}(:\d{2})?$/.test(s) ? `${s.replace(" ", "T")}Z` : s;
  const t = Date.parse(iso);
  return Number.isNaN(t) ? undefined : new Date(t).toISOString();
}

/** Our export protects cells from spreadsheet formulas with a leading "'": take it off again. */
const unprotect = (s: string) => (/^'[=+\-@\t\r]/.test(s) ? s.slice(1) : s);
const truthy = (s: string | undefined) => /^(true|yes|1)$/i.test((s ?? "").trim());
const falsy = (s: string | undefined) => /^(false|no|0)$/i.test((s ?? "").trim());

/** Read records with the line each ends on; a file that is not CSV is a ValidationError. */
function records(text: string): { record: string[]; line: number }[] {
  try {
    const out = parse(text, {
      bom: true,
      info: true,
      relax_column_count: true,
      skip_empty_lines: true,
      trim: true,
    }) as unknown as { record: string[]; info: { lines: number } }[];
    return out
      .map((r) => ({ record: r.record.map(unprotect), line: r.info.lines }))
      .filter((r) => r.record.some((v) => v !== ""));
  } catch (err) {
    const e = err as { lines?: number };
    const where = e.lines ? ` (it breaks near line ${e.lines})` : "";
    // The parser's own message quotes the bytes it choked on, which for a binary file is noise.
    throw new ValidationError(
      `The file is not a CSV file we can read${where}. Export it again as CSV (comma-separated, UTF-8).`,
      { field: "file", cause: err },
    );
  }
}

/** Parse a subscribers CSV. Throws ValidationError when the file has no email column at all. */
export function parseSubscriberCsv(text: string): ParsedImport {
  const recs = records(text);
  if (recs.length === 0) throw new ValidationError("The file is empty.", { field: "file" });
  const first = recs[0].record.map((v) => v.toLowerCase());
  let header: string[];
  let data: typeof recs;
  if (first.some((v) => EMAIL_HEADERS.includes(v))) {
    header = first;
    data = recs.slice(1);
  } else if (first[0]?.includes("@")) {
    header = ["email", "name"]; // a plain list without a header line
    data = recs;
  } else {
    throw new ValidationError(
      `The file has no email column: its first line should name one ("email" or "Email Address"); it has ${first
        .slice(0, 8)
        .map((v) => JSON.stringify(v))
        .join(", ")}.`,
      { field: "file" },
    );
  }
  const format = detect(header);
  const col = (name: string) => header.indexOf(name);
  const emailCol = header.findIndex((v) => EMAIL_HEADERS.includes(v));
  const timeCols = TIME_COLUMNS[format].map(col).filter((i) => i >= 0);
  const out: ParsedImport = { format, total: data.length, rows: [], bad: [], duplicates: [], notSubscribed: [] };
  const seen = new Map<string, number>();
  for (const { record, line } of data) {
    const cell = (name: string) => {
      const i = col(name);
      return i >= 0 ? (record[i] ?? "") : "";
    };
    const raw = record[emailCol] ?? "";
    if (!raw) {
      out.bad.push({ line, reason: "no email address" });
      continue;
    }
    let email: string;
    try {
      email = normalizeEmail(raw);
    } catch (err) {
      out.bad.push({ line, reason: (err as Error).message });
      continue;
    }
    // The first time column with a value (Mailchimp: CONFIRM_TIME, else OPTIN_TIME).
    const timeCol = timeCols.find((i) => record[i]);
    const confirmedAt = timeCol === undefined ? null : parseTime(record[timeCol]);
    if (confirmedAt === undefined) {
      const name = header[timeCol as number];
      out.bad.push({ line, reason: `${name} ${JSON.stringify(record[timeCol as number])} is not a date` });
      continue;
    }
    const firstLine = seen.get(email);
    if (firstLine !== undefined) {
      out.duplicates.push({ line, email, reason: `${email} is already on line ${firstLine}` });
      continue;
    }
    seen.set(email, line);
    const no = notSubscribedReason(format, cell);
    if (no) {
      out.notSubscribed.push({ line, email, reason: no });
      continue;
    }
    const name =
      col("name") >= 0
        ? cell("name")
        : [cell("first name") || cell("fname"), cell("last name") || cell("lname")].filter(Boolean).join(" ");
    out.rows.push({ line, email, name: name.replace(/\s+/g, " ").slice(0, 200), confirmedAt });
  }
  return out;
}

/** Why the file itself says this reader is not subscribed, or "". */
function notSubscribedReason(format: ImportFormat, cell: (name: string) => string): string {
  switch (format) {
    case "mailchimp":
      if (cell("unsub_time")) return `unsubscribed in Mailchimp (${cell("unsub_time")})`;
      if (cell("clean_time")) return `cleaned by Mailchimp (the address bounced, ${cell("clean_time")})`;
      return "";
    case "ghost":
      if (cell("deleted_at")) return "deleted in Ghost";
      return falsy(cell("subscribed_to_emails")) ? "not subscribed to emails in Ghost" : "";
    case "substack":
      return truthy(cell("email_disabled")) ? "emails disabled in Substack" : "";
    case "liner": {
      const status = cell("status").toLowerCase();
      return status && status !== "confirmed" ? `${status} in the file` : "";
    }
    default:
      return "";
  }
}
