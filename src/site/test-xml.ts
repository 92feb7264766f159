/**
 * Test helper: a small strict XML parser. Throws on anything not well-formed (unclosed or
 * mismatched tags, bad entities, unquoted attributes, text outside the root), so feed and sitemap
 * tests can assert both well-formedness and content.
 */
export interface XmlNode {
  name: string;
  attrs: Record<string, string>;
  children: (XmlNode | string)[];
}

function decode(s: string, where: number): string {
  const bad = /&(?!(?:amp|lt|gt|quot|apos|#\d+|#x[0-9a-fA-F]+);)/.exec(s);
  if (bad) throw new Error(`bad entity at ${where + bad.index}`);
  if (s.includes("<")) throw new Error(`"<" in text at ${where}`);
  return s.replace(/&(amp|lt|gt|quot|apos|#\d+|#x[0-9a-fA-F]+);/g, (_m, e: string) => {
    const named: Record<string, string> = { amp: "&", lt: "<", gt: ">", quot: '"', apos: "'" };
    if (named[e]) return named[e];
    return String.fromCodePoint(e[1] === "x" ? Number.parseInt(e.slice(2), 16) : Number(e.slice(1)));
  });
}

/** Parse a document; returns the root element. */
export function parseXml(src: string): XmlNode {
  let i = 0;
  const stack: XmlNode[] = [];
  let root: XmlNode | undefined;
  const text = (s: string) => {
    if (stack.length) stack[stack.length - 1].children.push(decode(s, i));
    else if (s.trim()) throw new Error(`text outside the root at ${i}`);
  };
  while (i < src.length) {
    const lt = src.indexOf("<", i);
    if (lt < 0) {
      text(src.slice(i));
      break;
    }
    if (lt > i) text(src.slice(i, lt));
    i = lt;
    const skip = (open: string, close: string) => {
      const end = src.indexOf(close, i + open.length);
      if (end < 0) throw new Error(`unterminated ${open} at ${i}`);
      const inner = src.slice(i + open.length, end);
      i = end + close.length;
      return inner;
    };
    if (src.startsWith("<![CDATA[", i)) {
      const inner = skip("<![CDATA[", "]]>");
      if (!stack.length) throw new Error("CDATA outside the root");
      stack[stack.length - 1].children.push(inner);
    } else if (src.startsWith("<!--", i)) skip("<!--", "-->");
    else if (src.startsWith("<?", i)) skip("<?", "?>");
    else if (src.startsWith("</", i)) {
      const m = /^<\/([\w:.-]+)\s*>/.exec(src.slice(i));
      if (!m) throw new Error(`bad end tag at ${i}`);
      const open = stack.pop();
      if (!open || open.name !== m[1]) throw new Error(`</${m[1]}> does not match <${open?.name}> at ${i}`);
      i += m[0].length;
    } else {
      const m = /^<([\w:.-]+)((?:\s+[\w:.-]+\s*=\s*(?:"[^"<]*"|'[^'<]*'))*)\s*(\/?)>/.exec(src.slice(i));
      if (!m) throw new Error(`bad start tag at ${i}: ${src.slice(i, i + 40)}`);
      const attrs: Record<string, string> = {};
      for (const a of m[2].matchAll(/([\w:.-]+)\s*=\s*(?:"([^"]*)"|'([^']*)')/g)) {
        if (a[1] in attrs) throw new Error(`duplicate attribute ${a[1]}`);
        attrs[a[1]] = decode(a[2] ?? a[3] ?? "", i);
      }
      const node: XmlNode = { name: m[1], attrs, children: [] };
      if (stack.length) stack[stack.length - 1].children.push(node);
      else if (root) throw new Error("second root element");
      else root = node;
      if (!m[3]) stack.push(node);
      i += m[0].length;
    }
  }
  if (stack.length) throw new Error(`unclosed <${stack[stack.length - 1].name}>`);
  if (!root) throw new Error("no root element");
  return root;
}

/** Child elements with a name (direct children only). */
export function childrenNamed(n: XmlNode, name: string): XmlNode[] {
  return n.children.filter((c): c is XmlNode => typeof c !== "string" && c.name === name);
}

/** Text content of an element. */
export function textOf(n: XmlNode | undefined): string {
  if (!n) return "";
  return n.children.map((c) => (typeof c === "string" ? c : textOf(c))).join("");
}
