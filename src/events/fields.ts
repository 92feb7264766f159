/**
 * The event fields of a post as typed in the editor (or in front matter): parsed and checked
 * into what `events` stores, each problem a ValidationError naming its form field. Pure.
 */

import { ValidationError } from "../lib/errors.ts";
import { fromLocalInput, toLocalInput } from "../lib/time.ts";

/** The editor's event fields as strings, exactly as typed (so an error loses nothing). */
export interface EventFormValues {
  eventStart: string;
  eventEnd: string;
  eventTimeZone: string;
  eventVenue: string;
  eventOnlineUrl: string;
  eventCapacity: string;
  eventQuestion: string;
}

export const eventFieldNames = [
  "eventStart",
  "eventEnd",
  "eventTimeZone",
  "eventVenue",
  "eventOnlineUrl",
  "eventCapacity",
  "eventQuestion",
] as const;

/** What `events` stores for a post (instants in UTC). */
export interface EventInput {
  startsAt: string;
  endsAt: string;
  timeZone: string;
  venue: string;
  onlineUrl: string;
  capacity: number | null;
  question: string;
}

/** The canonical IANA name of a zone ("europe/paris" → "Europe/Paris"), or null. */
export function canonicalZone(tz: string): string | null {
  const name = tz.trim();
  // Intl also takes offsets ("+01:00"); an event needs a named zone so DST is right.
  if (!name || /^[+-]/.test(name)) return null;
  try {
    return new Intl.DateTimeFormat("en", { timeZone: name }).resolvedOptions().timeZone;
  } catch {
    return null;
  }
}

/** Is `s` an absolute http(s) URL? */
export function isWebUrl(s: string): boolean {
  try {
    const u = new URL(s);
    return (u.protocol === "http:" || u.protocol === "https:") && u.hostname !== "";
  } catch {
    return false;
  }
}

/**
 * Check every typed field at once: the input, or null with a problem for each bad field (by form
 * field name, so the editor shows them all in one answer). The wall-clock times are read in the
 * event's zone; with a bad zone they are still checked (in UTC), so their problems show too.
 */
export function checkEventValues(v: EventFormValues): { input: EventInput | null; errors: Record<string, string> } {
  const errors: Record<string, string> = {};
  const fail = (field: string, message: string): null => {
    errors[field] ??= message;
    return null;
  };
  const zone = canonicalZone(v.eventTimeZone);
  if (!zone) {
    fail(
      "eventTimeZone",
      `“${v.eventTimeZone.trim()}” is not a time zone name (e.g. Europe/Berlin or America/New_York)`,
    );
  }
  const timeZone = zone ?? "UTC";
  const start = !v.eventStart.trim()
    ? fail("eventStart", "enter the start date and time")
    : (fromLocalInput(v.eventStart, timeZone) ?? fail("eventStart", "enter a date and time, e.g. 2026-05-12T18:00"));
  const end = !v.eventEnd.trim()
    ? fail("eventEnd", "enter the end date and time")
    : (fromLocalInput(v.eventEnd, timeZone) ?? fail("eventEnd", "enter a date and time, e.g. 2026-05-12T19:30"));
  if (start && end && end.getTime() <= start.getTime()) fail("eventEnd", "the end must be after the start");
  const venue = v.eventVenue.trim();
  const onlineUrl = v.eventOnlineUrl.trim();
  if (onlineUrl && !isWebUrl(onlineUrl)) fail("eventOnlineUrl", "enter a full http:// or https:// address");
  if (!venue && !onlineUrl) fail("eventVenue", "give a venue, an online link, or both");
  if (venue.length > 500) fail("eventVenue", "at most 500 characters");
  if (onlineUrl.length > 2000) fail("eventOnlineUrl", "at most 2000 characters");
  const cap = v.eventCapacity.trim();
  if (cap && (!/^\d{1,6}$/.test(cap) || Number(cap) < 1)) {
    fail("eventCapacity", "enter a whole number of places (1 or more), or leave it empty for no limit");
  }
  const question = v.eventQuestion.trim();
  if (question.length > 500) fail("eventQuestion", "at most 500 characters");
  if (!start || !end || Object.keys(errors).length) return { input: null, errors };
  return {
    input: {
      startsAt: start.toISOString(),
      endsAt: end.toISOString(),
      timeZone,
      venue,
      onlineUrl,
      capacity: cap ? Number(cap) : null,
      question,
    },
    errors,
  };
}

/** Check and convert the typed fields; throws a ValidationError naming the first bad field. */
export function parseEventFields(v: EventFormValues): EventInput {
  const { input, errors } = checkEventValues(v);
  if (input) return input;
  const [field, message] = Object.entries(errors)[0];
  throw new ValidationError(`${field}: ${message}`, { field });
}

/** The stored event as editor values (empty fields for a new event in the site's zone). */
export function eventFormValues(
  row:
    | {
        starts_at: string;
        ends_at: string;
        time_zone: string;
        venue: string;
        online_url: string;
        capacity: number | null;
        question: string;
      }
    | undefined,
  defaultZone: string,
): EventFormValues {
  if (!row) {
    return {
      eventStart: "",
      eventEnd: "",
      eventTimeZone: defaultZone,
      eventVenue: "",
      eventOnlineUrl: "",
      eventCapacity: "",
      eventQuestion: "",
    };
  }
  return {
    eventStart: toLocalInput(row.starts_at, row.time_zone),
    eventEnd: toLocalInput(row.ends_at, row.time_zone),
    eventTimeZone: row.time_zone,
    eventVenue: row.venue,
    eventOnlineUrl: row.online_url,
    eventCapacity: row.capacity === null ? "" : String(row.capacity),
    eventQuestion: row.question,
  };
}

/** The event fields of a submitted form (missing fields are empty). */
export function eventValuesFromForm(get: (name: string) => string): EventFormValues {
  const out = {} as EventFormValues;
  for (const name of eventFieldNames) out[name] = get(name);
  return out;
}
