/**
 * The text each platform gets for a post, shaped to its limits. Pure.
 * - Bluesky: at most 300 graphemes (as Bluesky counts), the post's link last (a facet; the card
 *   carries title, description and thumbnail).
 * Articles and presentations (whose text is slides) lead with the title and the summary; notes
 * and link posts with their text.
 */

/** What shaping needs of a post. */
export interface PostForCopy {
  kind: string;
  title: string;
  summary: string;
  /** The body as plain text (notes). */
  text: string;
  /** The post's absolute URL. */
  url: string;
}

const segmenter = new Intl.Segmenter("en", { granularity: "grapheme" });

/** Graphemes in `s`, as Bluesky counts its 300. */
export function graphemes(s: string): number {
  let n = 0;
  for (const _ of segmenter.segment(s)) n++;
  return n;
}

/** `s` cut to at most `max` graphemes, at a word boundary when one is near, with "…". */
export function clip(s: string, max: number): string {
  if (graphemes(s) <= max) return s;
  const parts = [...segmenter.segment(s)].map((g) => g.segment);
  let cut = parts.slice(0, Math.max(0, max - 1)).join("");
  const space = cut.search(/\s\S*$/);
  if (space > cut.length * 0.6) cut = cut.slice(0, space);
  return `${cut.trimEnd()}…`;
}

const lead = (p: PostForCopy) => {
  const text =
    p.kind === "article" || p.kind === "presentation" || !p.text.trim()
      ? [p.title, p.summary].filter(Boolean).join("\n\n")
      : p.text;
  return text.replace(/\n{3,}/g, "\n\n").trim();
};

/** Bluesky's text: the lead clipped so that it and the link fit 300 graphemes. */
export function blueskyText(p: PostForCopy, max = 300): string {
  const tail = `\n\n${p.url}`;
  const room = max - graphemes(tail);
  return `${clip(lead(p), room)}${tail}`;
}

/** A theme's name as a hashtag: "Social web" → "#SocialWeb"; empty when nothing is left. Pure. */
export function hashtagOf(name: string): string {
  const words = name.normalize("NFC").match(/[\p{L}\p{N}]+/gu) ?? [];
  const tag = words.map((w) => w.charAt(0).toUpperCase() + w.slice(1)).join("");
  return tag ? `#${tag}` : "";
}

const URL_RE = /https?:\/\/\S+/g;

/** Length as Mastodon counts it: characters, every link as `urlLength`. Pure. */
export function mastodonLength(text: string, urlLength = 23): number {
  let n = 0;
  const bare = text.replace(URL_RE, () => {
    n += urlLength;
    return "";
  });
  return n + [...bare].length;
}

/**
 * Mastodon's text: the lead, the link, and the themes as hashtags, within the instance's limit
 * (links count as `urlLength`); the hashtags go first when room is short, then the lead is clipped.
 */
export function mastodonText(
  p: PostForCopy,
  themes: string[],
  limits: { maxCharacters: number; urlLength: number },
): string {
  const tags = [...new Set(themes.map(hashtagOf).filter(Boolean))].join(" ");
  const withTags = (lead: string, t: string) => [lead, p.url, t].filter(Boolean).join("\n\n");
  const fits = (s: string) => mastodonLength(s, limits.urlLength) <= limits.maxCharacters;
  const full = lead(p);
  for (const t of [tags, ""]) {
    if (fits(withTags(full, t))) return withTags(full, t);
  }
  const room = limits.maxCharacters - mastodonLength(withTags("", ""), limits.urlLength) - 2;
  return withTags(clipChars(full, Math.max(1, room)), "");
}

/** `s` cut to `max` characters (code points) with "…", at a word boundary when one is near. Pure. */
function clipChars(s: string, max: number): string {
  const chars = [...s];
  if (chars.length <= max) return s;
  let cut = chars.slice(0, max - 1).join("");
  const space = cut.search(/\s\S*$/);
  if (space > cut.length * 0.6) cut = cut.slice(0, space);
  return `${cut.trimEnd()}…`;
}

/** LinkedIn's commentary: the lead, within 3,000 characters (the article share carries the link). Pure. */
export function linkedinText(p: PostForCopy, max = 3000): string {
  return clipChars(lead(p), max);
}

/** The most posts a Bluesky thread of one copy may have. */
export const MAX_THREAD_PARTS = 10;

/** Bluesky's text when the owner asked for a thread: the whole lead and the link, split later. Pure. */
export function blueskyThreadText(p: PostForCopy): string {
  return `${lead(p)}\n\n${p.url}`;
}

/**
 * A text as a Bluesky thread: parts of at most `max` graphemes each, numbered " (i/n)" when there
 * are several, cut between paragraphs when one ends late enough, else between sentences, else
 * between words (a link is never cut). A word longer than a post is cut where it must. Pure.
 */
export function threadParts(text: string, max = 300): string[] {
  const whole = text.trim();
  if (graphemes(whole) <= max) return whole ? [whole] : [];
  const room = max - 8; // " (10/10)"
  const parts: string[] = [];
  let rest = whole;
  while (rest) {
    if (graphemes(rest) <= room) {
      parts.push(rest);
      break;
    }
    const head = [...segmenter.segment(rest)]
      .slice(0, room)
      .map((g) => g.segment)
      .join("");
    const at = [/\n\n(?=\S)/g, /[.!?…]\s+(?=\S)/g, /\s+(?=\S)/g]
      .map((re) => lastEnd(head, re))
      .find((i) => i !== undefined && i > head.length * 0.5);
    const cut = at ?? lastEnd(head, /\s+(?=\S)/g) ?? head.length;
    parts.push(rest.slice(0, cut > 0 ? cut : head.length).trim());
    rest = rest.slice(cut > 0 ? cut : head.length).trim();
  }
  return parts.length > 1 ? parts.map((p, i) => `${p} (${i + 1}/${parts.length})`) : parts;
}

/** Where the last match of `re` in `s` ends, or undefined. */
function lastEnd(s: string, re: RegExp): number | undefined {
  let end: number | undefined;
  for (const m of s.matchAll(re)) end = m.index + m[0].length;
  return end;
}
