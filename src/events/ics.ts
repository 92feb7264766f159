/**
 * iCalendar (RFC 5545) for events: one event for a confirmation email, or every published event
 * for the site's feed. Times are written in UTC (`DTSTART:…Z`), which every client reads the
 * same way and needs no VTIMEZONE; the event's own zone travels as X-LINER-TIMEZONE for people
 * who want to know it. Pure.
 */

/** One event as a VEVENT. */
export interface IcsEvent {
  /** Stable across updates, so calendars replace the event instead of adding a second one. */
  uid: string;
  /** UTC ISO instants. */
  startsAt: string;
  endsAt: string;
  timeZone: string;
  summary: string;
  description: string;
  location: string;
  url: string;
  /** When the event was last changed (LAST-MODIFIED), UTC ISO. */
  updatedAt: string;
  /** CANCELLED for an event the reader no longer attends (a cancelled registration). */
  status?: "CONFIRMED" | "CANCELLED";
}

export interface IcsCalendar {
  /** PUBLISH for feeds and confirmations; CANCEL when a registration is withdrawn. */
  method: "PUBLISH" | "CANCEL";
  name: string;
  /** When the calendar was made (DTSTAMP of every event), UTC ISO. */
  stamp: string;
  events: IcsEvent[];
}

/** Escape a TEXT value: backslash, semicolon, comma and newlines (RFC 5545 §3.3.11). */
export function escapeText(s: string): string {
  return (
    [...s]
      // Other control characters (all but tab and line breaks) are not allowed in TEXT values.
      .filter((ch) => {
        const code = ch.charCodeAt(0);
        return !((code < 0x20 && ch !== "\t" && ch !== "\n" && ch !== "\r") || code === 0x7f);
      })
      .join("")
      .replace(/\\/g, "\\\\")
      .replace(/;/g, "\\;")
      .replace(/,/g, "\\,")
      .replace(/\r\n|\r|\n/g, "\\n")
  );
}

/**
 * Fold a content line at 75 octets (§3.1): continuation lines start with one space, and a
 * UTF-8 sequence is never split.
 */
export function foldLine(line: string): string {
  const bytes = Buffer.from(line, "utf8");
  if (bytes.length <= 75) return line;
  const parts: string[] = [];
  let start = 0;
  let limit = 75;
  while (start < bytes.length) {
    let end = Math.min(start + limit, bytes.length);
    // Step back over continuation bytes (10xxxxxx) so a character stays whole.
    while (end < bytes.length && end > start && (bytes[end] & 0xc0) === 0x80) end--;
    parts.push(bytes.subarray(start, end).toString("utf8"));
    start = end;
    limit = 74; // the leading space takes one octet
  }
  return parts.join("\r\n ");
}

/** "2026-05-12T16:00:00.000Z" → "20260512T160000Z". */
export function icsTime(iso: string): string {
  return `${new Date(iso).toISOString().slice(0, 19).replace(/[-:]/g, "")}Z`;
}

function vevent(e: IcsEvent, stamp: string): string[] {
  const lines = [
    "BEGIN:VEVENT",
    `UID:${escapeText(e.uid)}`,
    `DTSTAMP:${icsTime(stamp)}`,
    `DTSTART:${icsTime(e.startsAt)}`,
    `DTEND:${icsTime(e.endsAt)}`,
    `LAST-MODIFIED:${icsTime(e.updatedAt)}`,
    `SUMMARY:${escapeText(e.summary)}`,
  ];
  if (e.description) lines.push(`DESCRIPTION:${escapeText(e.description)}`);
  if (e.location) lines.push(`LOCATION:${escapeText(e.location)}`);
  // URL is a URI value, not TEXT: no escaping, and only http(s) reaches here.
  if (e.url) lines.push(`URL:${e.url}`);
  lines.push(`STATUS:${e.status ?? "CONFIRMED"}`, `X-LINER-TIMEZONE:${escapeText(e.timeZone)}`, "END:VEVENT");
  return lines;
}

/** The whole calendar, CRLF line endings, folded. */
export function renderCalendar(cal: IcsCalendar): string {
  const lines = [
    "BEGIN:VCALENDAR",
    "VERSION:2.0",
    "PRODID:-//Liner Notes//Events//EN",
    "CALSCALE:GREGORIAN",
    `METHOD:${cal.method}`,
    `X-WR-CALNAME:${escapeText(cal.name)}`,
    ...cal.events.flatMap((e) => vevent(e, cal.stamp)),
    "END:VCALENDAR",
  ];
  return `${lines.map(foldLine).join("\r\n")}\r\n`;
}
