/**
 * `<input type="datetime-local">` values are wall-clock times with no zone. The admin reads and
 * writes them in the owner's time zone (a setting), converting to UTC for storage. Pure.
 */

function parts(utcMs: number, tz: string): Record<string, number> {
  const out: Record<string, number> = {};
  const fmt = new Intl.DateTimeFormat("en-US", {
    timeZone: tz,
    hourCycle: "h23",
    year: "numeric",
    month: "2-digit",
    day: "2-digit",
    hour: "2-digit",
    minute: "2-digit",
    second: "2-digit",
  });
  for (const p of fmt.formatToParts(new Date(utcMs))) if (p.type !== "literal") out[p.type] = Number(p.value);
  return out;
}

/** Offset of `tz` from UTC at an instant, in milliseconds (positive east of Greenwich). */
export function offsetMs(utcMs: number, tz: string): number {
  const p = parts(utcMs, tz);
  const local = Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute, p.second);
  return local - Math.floor(utcMs / 1000) * 1000;
}

/** "2026-03-01T12:00" in `tz` → the instant, or null if the value is not a datetime-local. */
export function fromLocalInput(value: string, tz: string): Date | null {
  const m = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2}))?$/.exec(value.trim());
  if (!m) return null;
  const wall = Date.UTC(+m[1], +m[2] - 1, +m[3], +m[4], +m[5], +(m[6] ?? 0));
  // Date.UTC rolls 30 February over into March and 24:00 into the next day; those are typos.
  if (Number.isNaN(wall) || !sameWallClock(wall, m)) return null;
  // Two passes settle the offset across a DST change.
  let utc = wall - offsetMs(wall, tz);
  utc = wall - offsetMs(utc, tz);
  return new Date(utc);
}

/** Do the fields of `wall` (a UTC instant) read back as typed (no rolling over)? */
function sameWallClock(wall: number, m: RegExpExecArray): boolean {
  const d = new Date(wall);
  return (
    d.getUTCFullYear() === +m[1] &&
    d.getUTCMonth() === +m[2] - 1 &&
    d.getUTCDate() === +m[3] &&
    d.getUTCHours() === +m[4] &&
    d.getUTCMinutes() === +m[5]
  );
}

/** "2026-03-01" → midnight UTC of that day, or null for anything else (30 February included). */
export function parseDay(value: string): Date | null {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value.trim());
  if (!m) return null;
  const d = new Date(Date.UTC(+m[1], +m[2] - 1, +m[3]));
  return d.getUTCFullYear() === +m[1] && d.getUTCMonth() === +m[2] - 1 && d.getUTCDate() === +m[3] ? d : null;
}

const pad = (n: number) => String(n).padStart(2, "0");

/** An ISO instant as a datetime-local value in `tz` ("" for null). */
export function toLocalInput(iso: string | null | undefined, tz: string): string {
  if (!iso) return "";
  const p = parts(Date.parse(iso), tz);
  return `${p.year}-${pad(p.month)}-${pad(p.day)}T${pad(p.hour)}:${pad(p.minute)}`;
}

/** "Europe/Paris (UTC+01:00)" at the given instant. */
export function zoneLabel(tz: string, at: Date): string {
  const off = offsetMs(at.getTime(), tz) / 60_000;
  const sign = off < 0 ? "−" : "+";
  const abs = Math.abs(off);
  return `${tz} (UTC${sign}${pad(Math.floor(abs / 60))}:${pad(abs % 60)})`;
}
