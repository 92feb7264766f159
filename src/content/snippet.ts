/**
 * Search snippets made from a post's plain text: a window of words around the first match,
 * with matches marked. Pure. Used on SQLite, where FTS5's snippet() would mean running the
 * full-text match a second time for the page's rows.
 */
import { stemmer } from "stemmer";

/**
 * A word's Porter stem (the stemmer SQLite's index uses), so "producer" marks "producers" and
 * "notes" marks "note" but not "not".
 */
export function roughStem(word: string): string {
  return stemmer(word.toLowerCase());
}

/**
 * Up to `size` words of `text` around the first word matching a term (or starting with `prefix`);
 * matches are wrapped in `open`/`close` markers (escaped and turned into <mark> by the caller).
 */
export function textSnippet(
  text: string,
  terms: string[],
  open: string,
  close: string,
  size = 24,
  prefix?: string,
): string {
  const words = text.split(/\s+/u).filter(Boolean);
  if (words.length === 0) return "";
  const stems = new Set(terms.map(roughStem).filter((s) => s.length > 0));
  // Porter changes only a word's ending, so a stem's first letters start every word it matches.
  const heads = [...stems].map((s) => s.slice(0, 3));
  const list = prefix ? [...heads, prefix] : heads;
  // A word splits into leading punctuation, its letters and digits, and trailing punctuation.
  const parts = (w: string) => /^([^\p{L}\p{N}]*)(.*?)([^\p{L}\p{N}]*)$/su.exec(w) as RegExpExecArray;
  const isMatch = (w: string) => {
    // Most words are ruled out by the stems' first letters, without the regular expressions
    // (this runs for every word of every hit's text).
    const lower = w.toLowerCase();
    if (!list.some((s) => lower.includes(s))) return false;
    const core = parts(w)[2];
    if (prefix && core.toLowerCase().startsWith(prefix)) return true;
    return core.length > 0 && stems.has(roughStem(core));
  };
  const mark = (w: string) => {
    const [, lead, core, trail] = parts(w);
    return `${lead}${open}${core}${close}${trail}`;
  };
  const first = words.findIndex(isMatch);
  const start = first < 0 ? 0 : Math.max(0, Math.min(first - Math.floor(size / 3), words.length - size));
  const slice = words.slice(start, start + size).map((w) => (isMatch(w) ? mark(w) : w));
  return `${start > 0 ? "… " : ""}${slice.join(" ")}${start + size < words.length ? " …" : ""}`;
}
