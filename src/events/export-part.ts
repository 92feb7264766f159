/**
 * The events module's parts of the site export (`liner export all`): every event as iCalendar
 * (the VEVENTs of the public /events.ics, with drafts and online links, since it is the owner's
 * copy) and each event's registrants as CSV (the Registrants page's download).
 *
 * Registrants are other people's personal data, but they are the owner's records: the owner
 * already downloads them from the admin, needs them to run the event elsewhere, and an export
 * without them would not move the site. The export is the owner's alone (owner role, or shell
 * access), and an erased registration stays erased in it.
 */
import type { ExportPart } from "../lib/module.ts";
import { registrantsCsv } from "./registrants.ts";
import { calendarOf } from "./service.ts";
import { eventStore } from "./store.ts";

/** Every event, not the admin list's latest 1000. */
const ALL = Number.MAX_SAFE_INTEGER;

const calendar: ExportPart = {
  path: "events.ics",
  describe:
    "Every event (drafts too) as iCalendar: one VEVENT each with its title, start and end in its time zone, " +
    "venue or online link, summary and page. Calendar programs import it.",
  noun: ["event", "events"],
  async write(ctx, sink) {
    const events = (await eventStore(ctx.db).all(ALL)).reverse();
    await sink.file("events.ics", await calendarOf(ctx, events, true));
    return events.length;
  },
};

const registrants: ExportPart = {
  path: "registrants/",
  describe:
    "For each event with registrations, SLUG.csv: name, email, status (registered, waitlisted, cancelled), " +
    "the answer to the event's question, when they registered, were promoted from the waitlist or cancelled, " +
    "and the page they registered on.",
  noun: ["registration", "registrations"],
  async write(ctx, sink) {
    const store = eventStore(ctx.db);
    const events = await store.all(ALL);
    let count = 0;
    let done = 0;
    for (const ev of events) {
      const rows = await store.registrations(ev.post_id);
      if (rows.length) await sink.file(`registrants/${ev.slug}.csv`, registrantsCsv(ev, rows));
      count += rows.length;
      sink.progress(++done, events.length);
    }
    return count;
  },
};

/** The events module's export parts. */
export const eventExports: ExportPart[] = [calendar, registrants];
