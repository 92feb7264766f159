/** Pure helpers for showing items: enclosures by media kind, authors, durations, sizes, excerpts. */

export type MediaKind = "audio" | "video" | "image" | "file";

export interface Enclosure {
  url: string;
  type: string | null;
  length: number | null;
  kind: MediaKind;
}

const EXT: [RegExp, MediaKind][] = [
  [/\.(mp3|m4a|m4b|aac|oga|ogg|opus|wav|flac)$/i, "audio"],
  [/\.(mp4|m4v|webm|mov|ogv)$/i, "video"],
  [/\.(jpe?g|png|gif|webp|avif)$/i, "image"],
];

/** Only http(s) URLs are ever put in src or href; anything else is dropped. */
export function httpUrl(raw: unknown): string | null {
  if (typeof raw !== "string" || raw.length > 4000) return null;
  try {
    const u = new URL(raw);
    return u.protocol === "https:" || u.protocol === "http:" ? u.href : null;
  } catch {
    return null;
  }
}

/**
 * The URL to load media from inside the page. The CSP allows media and images over https only
 * (http would be mixed content on an https admin, and readable by anyone on the network), so
 * http URLs are tried over https, as browsers' mixed-content upgrade would; the download link
 * keeps the original URL.
 */
export function embedUrl(url: string): string {
  return url.startsWith("http:") ? `https:${url.slice(5)}` : url;
}

function kindOf(type: string | null, url: string): MediaKind {
  const major = type?.split("/")[0].toLowerCase();
  if (major === "audio" || major === "video" || major === "image") return major;
  const path = new URL(url).pathname;
  for (const [re, kind] of EXT) if (re.test(path)) return kind;
  return "file";
}

/** The item's enclosures (stored as JSON), each with its media kind; bad entries are skipped. */
export function parseEnclosures(json: string): Enclosure[] {
  let raw: unknown;
  try {
    raw = JSON.parse(json);
  } catch {
    return [];
  }
  if (!Array.isArray(raw)) return [];
  const out: Enclosure[] = [];
  for (const e of raw.slice(0, 20)) {
    const url = httpUrl(e?.url);
    if (!url) continue;
    const type = typeof e.type === "string" && e.type ? e.type : null;
    const length = typeof e.length === "number" && e.length > 0 ? e.length : null;
    out.push({ url, type, length, kind: kindOf(type, url) });
  }
  return out;
}

/** Author names from the stored JSON ("" when none). */
export function authorNames(json: string): string {
  try {
    const list = JSON.parse(json) as { name?: unknown; email?: unknown }[];
    if (!Array.isArray(list)) return "";
    return list
      .map((a) => (typeof a?.name === "string" && a.name) || (typeof a?.email === "string" && a.email) || "")
      .filter(Boolean)
      .join(", ");
  } catch {
    return "";
  }
}

/** "42 min", "1 h 05 min", "45 s". */
export function formatDuration(seconds: number | null): string {
  if (seconds === null || !Number.isFinite(seconds) || seconds <= 0) return "";
  const s = Math.round(seconds);
  if (s < 60) return `${s} s`;
  const h = Math.floor(s / 3600);
  const m = Math.round((s % 3600) / 60);
  if (!h) return `${m} min`;
  return `${h} h ${String(m).padStart(2, "0")} min`;
}

/** "24.3 MB". */
export function formatBytes(n: number | null): string {
  if (!n) return "";
  if (n < 1024) return `${n} B`;
  const units = ["KB", "MB", "GB"];
  let v = n / 1024;
  let i = 0;
  while (v >= 1024 && i < units.length - 1) {
    v /= 1024;
    i++;
  }
  return `${v < 10 ? v.toFixed(1) : Math.round(v)} ${units[i]}`;
}

/** A list excerpt: the item's text without its leading title, cut at a word near `max`. */
export function excerptOf(text: string, title: string, max = 220): string {
  let t = text.replace(/\s+/g, " ").trim();
  const head = title.replace(/\s+/g, " ").trim();
  if (head && t.startsWith(head)) t = t.slice(head.length).trim();
  if (t.length <= max) return t;
  const cut = t.slice(0, max);
  const space = cut.lastIndexOf(" ");
  return `${(space > max * 0.6 ? cut.slice(0, space) : cut).trim()}…`;
}
