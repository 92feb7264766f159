/** Event times for people and machines: in the event's zone, with the zone named. Pure. */
import { offsetMs, zoneLabel } from "../lib/time.ts";

const pad = (n: number) => String(n).padStart(2, "0");

/** A UTC instant as local ISO 8601 with the zone's offset: "2026-05-12T18:00:00+02:00" (schema.org, dt-start). */
export function isoWithOffset(iso: string, tz: string): string {
  const ms = Date.parse(iso);
  const off = offsetMs(ms, tz);
  const local = new Date(ms + off).toISOString().slice(0, 19);
  const mins = Math.abs(off) / 60_000;
  return `${local}${off < 0 ? "-" : "+"}${pad(Math.floor(mins / 60))}:${pad(mins % 60)}`;
}

function formatter(lang: string, tz: string): Intl.DateTimeFormat {
  try {
    return new Intl.DateTimeFormat(lang || "en", { dateStyle: "full", timeStyle: "short", timeZone: tz });
  } catch {
    return new Intl.DateTimeFormat("en", { dateStyle: "full", timeStyle: "short", timeZone: tz });
  }
}

/** "Tuesday, 12 May 2026, 18:00–19:30" in the event's zone and the site's language. */
export function formatRange(startIso: string, endIso: string, tz: string, lang: string): string {
  return formatter(lang, tz).formatRange(new Date(startIso), new Date(endIso));
}

/** "Europe/Paris, UTC+02:00" at the event's start ("UTC" alone for UTC). */
export function zoneName(tz: string, startIso: string): string {
  if (tz === "UTC" || tz === "Etc/UTC") return "UTC";
  return zoneLabel(tz, new Date(startIso)).replace(/ \((UTC[^)]*)\)$/, ", $1");
}

/** The full "when" line: the range and the zone. */
export function whenLine(ev: { starts_at: string; ends_at: string; time_zone: string }, lang: string): string {
  return `${formatRange(ev.starts_at, ev.ends_at, ev.time_zone, lang)} (${zoneName(ev.time_zone, ev.starts_at)})`;
}
