/**
 * Feed dates to ISO 8601 UTC: RFC 3339 / ISO 8601, RFC 822 / 2822 with named or numeric zones,
 * and the broken forms feeds really use (no zone → UTC, two-digit years, wrong day names,
 * "2024-01-05 10:00:00", dates without times, single-digit parts, trailing junk, JavaScript's
 * Date#toString). Anything else is null, never an invalid date. Pure.
 */

const MONTHS = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"];
const WEEKDAYS = /^(?:mon|tue|wed|thu|fri|sat|sun)[a-z]*\.?$/;

/** Offsets in minutes east of UTC for zone names seen in feeds. Ambiguous ones take the usual meaning. */
const ZONES: Record<string, number> = {
  z: 0,
  ut: 0,
  utc: 0,
  gmt: 0,
  wet: 0,
  est: -300,
  edt: -240,
  cst: -360,
  cdt: -300,
  mst: -420,
  mdt: -360,
  pst: -480,
  pdt: -420,
  akst: -540,
  akdt: -480,
  hst: -600,
  ast: -240,
  adt: -180,
  nst: -210,
  ndt: -150,
  bst: 60,
  west: 60,
  cet: 60,
  met: 60,
  cest: 120,
  mest: 120,
  eet: 120,
  eest: 180,
  msk: 180,
  ist: 330,
  sgt: 480,
  hkt: 480,
  awst: 480,
  jst: 540,
  kst: 540,
  acst: 570,
  acdt: 630,
  aest: 600,
  aedt: 660,
  nzst: 720,
  nzdt: 780,
};

/** "+0200", "+02:00", "-05", "GMT+2", "UTC-0330" → minutes east of UTC; null if not an offset. */
function numericZone(s: string): number | null {
  const m = /^(?:gmt|utc|ut)?([+-])(\d{1,2})(?::?(\d{2}))?$/.exec(s);
  if (!m) return null;
  const hours = Number(m[2]);
  const mins = m[3] ? Number(m[3]) : 0;
  if (hours > 14 || mins > 59) return null;
  return (m[1] === "-" ? -1 : 1) * (hours * 60 + mins);
}

function zoneOffset(token: string): number | null {
  const t = token.toLowerCase();
  if (t in ZONES) return ZONES[t];
  // RFC 2822 military zones other than Z are unreliable in practice: read them as UTC.
  if (/^[a-ik-y]$/.test(t)) return 0;
  return numericZone(t);
}

function fullYear(y: number, digits: number): number {
  if (digits >= 4) return y;
  if (digits === 3) return y + 1900;
  return y < 50 ? 2000 + y : 1900 + y;
}

const DAYS = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/** The instant as an ISO string, or null when a part is out of range or the year is implausible. */
function build(y: number, mo: number, d: number, h: number, mi: number, sec: number, ms: number, offset: number) {
  if (mo < 1 || mo > 12 || d < 1 || d > 31 || h > 24 || mi > 59 || sec > 60) return null;
  if (h === 24 && (mi > 0 || sec > 0)) return null;
  if (y < 1900 || y > 2999) return null;
  // Date.UTC rolls 31 April into May: reject days past the month's end.
  const leap = y % 4 === 0 && (y % 100 !== 0 || y % 400 === 0);
  if (d > (mo === 2 ? (leap ? 29 : 28) : DAYS[mo - 1])) return null;
  const t = Date.UTC(y, mo - 1, d, h, mi, Math.min(sec, 59), ms) - offset * 60_000;
  return Number.isFinite(t) ? new Date(t).toISOString() : null;
}

// 2024-01-05, 2024/1/5, with an optional T or space separated time, fraction and zone.
const ISO =
  /^(\d{4})[-/](\d{1,2})[-/](\d{1,2})(?:(?:t|\s+)(\d{1,2}):(\d{1,2})(?::(\d{1,2})(?:[.,](\d+))?)?)?\s*(z|[+-]\d{1,2}(?::?\d{2})?|[a-z]{1,5}(?:[+-]\d{1,4})?)?/i;

function parseIso(s: string): string | null {
  const m = ISO.exec(s);
  if (!m) return null;
  let offset = 0;
  if (m[8]) {
    const z = zoneOffset(m[8]);
    if (z !== null) offset = z;
  }
  const ms = m[7] ? Math.round(Number(`0.${m[7]}`) * 1000) : 0;
  return build(
    Number(m[1]),
    Number(m[2]),
    Number(m[3]),
    Number(m[4] ?? 0),
    Number(m[5] ?? 0),
    Number(m[6] ?? 0),
    Math.min(ms, 999),
    offset,
  );
}

/** RFC 822 and loose variants, token by token; unknown tokens (junk) are skipped. */
function parseLoose(s: string): string | null {
  const tokens = s
    .toLowerCase()
    // RFC 850 / cookie style "04-Jan-24".
    .replace(/\b(\d{1,2})-([a-z]{3,})-(\d{2,4})\b/, "$1 $2 $3")
    .replace(/[,()]/g, " ")
    .split(/\s+/)
    .filter(Boolean);
  let day: number | null = null;
  let month: number | null = null;
  let year: number | null = null;
  let h = 0;
  let mi = 0;
  let sec = 0;
  let hasTime = false;
  let offset: number | null = null;
  let pm: boolean | null = null;
  for (let tok of tokens) {
    if (WEEKDAYS.test(tok)) continue;
    const time = /^(\d{1,2}):(\d{1,2})(?::(\d{1,2})(?:\.\d+)?)?(.*)$/.exec(tok);
    if (time && !hasTime) {
      hasTime = true;
      h = Number(time[1]);
      mi = Number(time[2]);
      sec = Number(time[3] ?? 0);
      tok = time[4];
      if (!tok) continue;
    }
    if (tok === "am" || tok === "pm") {
      pm = tok === "pm";
      continue;
    }
    if (/^[a-z]{3,}\.?$/.test(tok) && month === null) {
      const idx = MONTHS.indexOf(tok.slice(0, 3));
      if (idx >= 0) {
        month = idx + 1;
        continue;
      }
    }
    if (/^\d+$/.test(tok)) {
      const n = Number(tok);
      if (tok.length >= 3 && year === null) year = fullYear(n, tok.length);
      else if (day === null && tok.length <= 2) day = n;
      else if (year === null) year = fullYear(n, tok.length);
      continue;
    }
    if (offset === null && (hasTime || year !== null)) {
      const z = zoneOffset(tok);
      if (z !== null) offset = z;
    }
  }
  if (day === null || month === null || year === null) return null;
  if (pm !== null) {
    if (h > 12) return null;
    if (pm && h < 12) h += 12;
    if (!pm && h === 12) h = 0;
  }
  return build(year, month, day, h, mi, sec, 0, offset ?? 0);
}

// The well-formed RFC 822 date most feeds use: "Mon, 05 Jan 2024 10:00:00 GMT" (or +0200).
const RFC822 = /^(?:[A-Za-z]{3}, )?(\d{1,2}) ([A-Za-z]{3}) (\d{4}) (\d{2}):(\d{2}):(\d{2}) (GMT|UT|UTC|Z|[+-]\d{4})$/;
const MONTH_INDEX: Record<string, number> = {};
MONTHS.forEach((m, i) => {
  MONTH_INDEX[m] = i + 1;
  MONTH_INDEX[m[0].toUpperCase() + m.slice(1)] = i + 1;
});

function parseRfc822(m: RegExpExecArray): string | null {
  const month = MONTH_INDEX[m[2]];
  if (!month) return null;
  const z = m[7];
  const offset =
    z[0] === "+" || z[0] === "-" ? (z[0] === "-" ? -1 : 1) * (Number(z.slice(1, 3)) * 60 + Number(z.slice(3))) : 0;
  return build(Number(m[3]), month, Number(m[1]), Number(m[4]), Number(m[5]), Number(m[6]), 0, offset);
}

/** A feed date as an ISO 8601 UTC string ("2024-01-05T10:00:00.000Z"), or null when unreadable. */
export function parseDate(raw: string | Date | null | undefined): string | null {
  if (raw == null) return null;
  if (raw instanceof Date) return Number.isNaN(raw.getTime()) ? null : raw.toISOString();
  const s = String(raw).trim();
  if (!s) return null;
  if (/^\d{4}[-/]\d/.test(s)) return parseIso(s);
  const rfc = RFC822.exec(s);
  return (rfc && parseRfc822(rfc)) ?? parseLoose(s);
}
