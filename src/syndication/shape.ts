/**
 * The text each platform gets for a post, shaped to its limits. Pure.
 * - Bluesky: at most 300 graphemes (as Bluesky counts), the post's link last (a facet; the card
 *   carries title, description and thumbnail).
 * Articles lead with the title and the summary; notes and link posts with their text.
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
  const text = p.kind === "article" || !p.text.trim() ? [p.title, p.summary].filter(Boolean).join("\n\n") : p.text;
  return text.replace(/\n{3,}/g, "\n\n").trim();
};

/** Bluesky's text: the lead clipped so that it and the link fit 300 graphemes. */
export function blueskyText(p: PostForCopy, max = 300): string {
  const tail = `\n\n${p.url}`;
  const room = max - graphemes(tail);
  return `${clip(lead(p), room)}${tail}`;
}
