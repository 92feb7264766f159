/**
 * A fast structural check of an XML document before it is parsed: the XML parser underneath is
 * lenient and would turn a truncated or mismatched document into a feed with items silently
 * missing. This walks the tags once (skipping comments, CDATA, the doctype and processing
 * instructions), checks that every element is closed by its own end tag, and returns the root
 * element's name. It stays lenient where a feed is still readable: unescaped `&` and `<` in text,
 * unclosed HTML void tags (<br>, <img>) in unescaped descriptions, junk after the root. Pure.
 */
import { FeedParseError } from "./types.ts";

const HTML_VOID = new Set(["br", "img", "hr", "input", "meta", "wbr", "area", "col", "embed", "param", "source"]);

// Attributes up to the closing `>`, quotes respected.
const TAG_REST = /[^>"']*(?:(?:"[^"]*"|'[^']*')[^>"']*)*>/y;

function lineOf(text: string, index: number): number {
  let line = 1;
  for (let i = text.indexOf("\n"); i >= 0 && i < index; i = text.indexOf("\n", i + 1)) line++;
  return line;
}

function fail(text: string, index: number, what: string): never {
  throw new FeedParseError(`invalid XML on line ${lineOf(text, index)}: ${what}`);
}

function isNameStart(c: number): boolean {
  return (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || c === 95 || c === 58 || c > 127;
}

/** Check the element structure of `text` from `start`; returns the root element's qualified name. */
export function checkXml(text: string, start = 0): string {
  const names: string[] = [];
  const starts: number[] = [];
  let root: string | null = null;
  let i = start;
  for (;;) {
    const lt = text.indexOf("<", i);
    if (lt < 0) break;
    const c = text.charCodeAt(lt + 1);
    if (c === 33) {
      if (text.startsWith("<!--", lt)) {
        const end = text.indexOf("-->", lt + 4);
        if (end < 0) fail(text, lt, "a comment (<!--) is never closed");
        i = end + 3;
      } else if (text.startsWith("<![CDATA[", lt)) {
        const end = text.indexOf("]]>", lt + 9);
        if (end < 0) fail(text, lt, "a CDATA section is never closed");
        i = end + 3;
      } else {
        // <!DOCTYPE ...>, possibly with an internal subset in [...].
        const gt = text.indexOf(">", lt);
        const bracket = text.indexOf("[", lt);
        if (gt < 0) fail(text, lt, "a declaration (<!...) is never closed");
        if (bracket >= 0 && bracket < gt) {
          const end = text.indexOf("]", bracket);
          const gt2 = end < 0 ? -1 : text.indexOf(">", end);
          if (gt2 < 0) fail(text, lt, "the doctype is never closed");
          i = gt2 + 1;
        } else i = gt + 1;
      }
      continue;
    }
    if (c === 63) {
      const end = text.indexOf("?>", lt + 2);
      if (end < 0) fail(text, lt, "a processing instruction (<?) is never closed");
      i = end + 2;
      continue;
    }
    if (c === 47) {
      const gt = text.indexOf(">", lt);
      if (gt < 0) fail(text, lt, "the document ends inside an end tag");
      const name = text.slice(lt + 2, gt).trim();
      // Unescaped HTML in a description may leave <br> or <img> open: close them quietly.
      while (names.length && names[names.length - 1] !== name && HTML_VOID.has(names[names.length - 1].toLowerCase())) {
        names.pop();
        starts.pop();
      }
      if (!names.length) fail(text, lt, `</${name}> has no start tag`);
      const open = names.pop()!;
      const openedAt = starts.pop()!;
      if (open !== name) {
        fail(text, lt, `</${name}> closes <${open}>, which was opened on line ${lineOf(text, openedAt)}`);
      }
      if (!names.length) return root!;
      i = gt + 1;
      continue;
    }
    if (!isNameStart(c)) {
      i = lt + 1;
      continue;
    }
    let j = lt + 1;
    for (; j < text.length; j++) {
      const d = text.charCodeAt(j);
      if (d === 32 || d === 62 || d === 47 || d === 9 || d === 10 || d === 13) break;
    }
    const name = text.slice(lt + 1, j);
    TAG_REST.lastIndex = j;
    if (!TAG_REST.test(text)) fail(text, lt, `the tag <${name}> is never closed`);
    const end = TAG_REST.lastIndex;
    root ??= name;
    if (text.charCodeAt(end - 2) === 47) {
      if (!names.length) return root;
    } else {
      names.push(name);
      starts.push(lt);
    }
    i = end;
  }
  if (!root) throw new FeedParseError("invalid XML: there is no root element");
  const last = names.length - 1;
  fail(
    text,
    text.length,
    `the document ends before <${names[last]}> (opened on line ${lineOf(text, starts[last])}) is closed; it may be cut off`,
  );
}
