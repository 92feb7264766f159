/**
 * Text rewrites before feedsmith parses an XML feed, for what it does not keep:
 *
 * - Empty-but-present text elements (`<description></description>`, `<title/>`) are dropped by
 *   feedsmith; they are filled with the EMPTY marker so the mappers can keep them as "" (present,
 *   empty) rather than null (absent).
 * - Atom 0.3 `mode="base64"` content is decoded and re-encoded as `mode="escaped"`, which
 *   feedsmith reads; a feed-level `<info>` stands in for a missing `<tagline>` (feedsmith
 *   ignores `<info>`).
 *
 * Pure and linear: plain regular expressions over the text, no entity expansion.
 */

/** Stands for "the element was present but empty" (a private-use character no feed contains). */
export const EMPTY = "\uE000";

const EMPTY_ELEMENT =
  /<((?:[\w-]+:)?(?:title|description|summary|subtitle|tagline|encoded))(\s[^<>]*?)?(?:\/>|>(?:\s|<!\[CDATA\[\s*\]\]>)*<\/\1\s*>)/g;

/** Fill empty text elements with the EMPTY marker. */
export function markEmptyElements(text: string): string {
  return text.replace(EMPTY_ELEMENT, (_m, name: string, attrs: string | undefined) => {
    return `<${name}${attrs ?? ""}>${EMPTY}</${name}>`;
  });
}

const ATOM03_NS = "http://purl.org/atom/ns#";
const BASE64_ELEMENT =
  /<((?:[\w-]+:)?(?:title|tagline|info|summary|content|copyright))(\s[^<>]*?)\smode\s*=\s*(["'])base64\3([^<>]*)>([^<]*)<\/\1\s*>/g;

const escapeXml = (s: string) => s.replaceAll("&", "&amp;").replaceAll("<", "&lt;").replaceAll(">", "&gt;");

/** Whether the document is Atom 0.3 (its namespace, or version="0.3" on <feed>). */
export function isAtom03(text: string): boolean {
  return text.includes(ATOM03_NS) || /<feed\s[^>]*version\s*=\s*["']0\.3["']/.test(text.slice(0, 4096));
}

/** Atom 0.3 rewrites: base64 content decoded, <info> as the tagline when there is none. */
export function prepareAtom03(text: string): string {
  let out = text.replace(BASE64_ELEMENT, (_m, name: string, before: string, _q, after: string, data: string) => {
    const decoded = Buffer.from(data.replace(/\s+/g, ""), "base64").toString("utf8");
    return `<${name}${before} mode="escaped"${after}>${escapeXml(decoded)}</${name}>`;
  });
  const firstEntry = out.search(/<(?:[\w-]+:)?entry[\s>]/);
  const head = firstEntry < 0 ? out : out.slice(0, firstEntry);
  if (!/<(?:[\w-]+:)?tagline[\s>/]/.test(head)) {
    const info = /<((?:[\w-]+:)?)info(\s[^<>]*)?>([\s\S]*?)<\/\1info\s*>/.exec(head);
    if (info) {
      const tagline = `<${info[1]}tagline${info[2] ?? ""}>${info[3]}</${info[1]}tagline>`;
      out = out.slice(0, info.index) + tagline + out.slice(info.index + info[0].length);
    }
  }
  return out;
}
