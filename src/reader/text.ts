/**
 * Text helpers for untrusted HTML: character references (the HTML 4 named set, which covers what
 * feeds use, plus numeric ones with the HTML spec's windows-1252 fix-ups), HTML → plain text,
 * plain text → HTML, and the tag reader the sanitizer tokenizes with. Pure.
 */

// HTML 4 Latin-1 entities, in code point order from U+00A0.
const LATIN1 =
  "nbsp iexcl cent pound curren yen brvbar sect uml copy ordf laquo not shy reg macr deg plusmn sup2 sup3 acute " +
  "micro para middot cedil sup1 ordm raquo frac14 frac12 frac34 iquest Agrave Aacute Acirc Atilde Auml Aring AElig " +
  "Ccedil Egrave Eacute Ecirc Euml Igrave Iacute Icirc Iuml ETH Ntilde Ograve Oacute Ocirc Otilde Ouml times Oslash " +
  "Ugrave Uacute Ucirc Uuml Yacute THORN szlig agrave aacute acirc atilde auml aring aelig ccedil egrave eacute ecirc " +
  "euml igrave iacute icirc iuml eth ntilde ograve oacute ocirc otilde ouml divide oslash ugrave uacute ucirc uuml " +
  "yacute thorn yuml";
const GREEK_UPPER = "Alpha Beta Gamma Delta Epsilon Zeta Eta Theta Iota Kappa Lambda Mu Nu Xi Omicron Pi Rho";
const GREEK_UPPER2 = "Sigma Tau Upsilon Phi Chi Psi Omega";
const GREEK_LOWER =
  "alpha beta gamma delta epsilon zeta eta theta iota kappa lambda mu nu xi omicron pi rho sigmaf sigma tau upsilon " +
  "phi chi psi omega";
// The rest of HTML 4 (special and symbol sets), plus apos and a few HTML5 names seen in XSS payloads.
const OTHERS =
  "quot:34 amp:38 apos:39 lt:60 gt:62 OElig:338 oelig:339 Scaron:352 scaron:353 Yuml:376 fnof:402 circ:710 tilde:732 " +
  "thetasym:977 upsih:978 piv:982 ensp:8194 emsp:8195 thinsp:8201 zwnj:8204 zwj:8205 lrm:8206 rlm:8207 ndash:8211 " +
  "mdash:8212 lsquo:8216 rsquo:8217 sbquo:8218 ldquo:8220 rdquo:8221 bdquo:8222 dagger:8224 Dagger:8225 bull:8226 " +
  "hellip:8230 permil:8240 prime:8242 Prime:8243 lsaquo:8249 rsaquo:8250 oline:8254 frasl:8260 euro:8364 image:8465 " +
  "weierp:8472 real:8476 trade:8482 alefsym:8501 larr:8592 uarr:8593 rarr:8594 darr:8595 harr:8596 crarr:8629 " +
  "lArr:8656 uArr:8657 rArr:8658 dArr:8659 hArr:8660 forall:8704 part:8706 exist:8707 empty:8709 nabla:8711 " +
  "isin:8712 notin:8713 ni:8715 prod:8719 sum:8721 minus:8722 lowast:8727 radic:8730 prop:8733 infin:8734 ang:8736 " +
  "and:8743 or:8744 cap:8745 cup:8746 int:8747 there4:8756 sim:8764 cong:8773 asymp:8776 ne:8800 equiv:8801 le:8804 " +
  "ge:8805 sub:8834 sup:8835 nsub:8836 sube:8838 supe:8839 oplus:8853 otimes:8855 perp:8869 sdot:8901 lceil:8968 " +
  "rceil:8969 lfloor:8970 rfloor:8971 lang:10216 rang:10217 loz:9674 spades:9824 clubs:9827 hearts:9829 diams:9830 " +
  "Tab:9 NewLine:10 excl:33 num:35 dollar:36 percnt:37 lpar:40 rpar:41 ast:42 plus:43 comma:44 period:46 sol:47 " +
  "colon:58 semi:59 equals:61 quest:63 commat:64 lsqb:91 bsol:92 rsqb:93 Hat:94 lowbar:95 grave:96 lcub:123 " +
  "verbar:124 rcub:125";

function buildEntities(): Map<string, string> {
  const map = new Map<string, string>();
  const runs: [string, number][] = [
    [LATIN1, 0xa0],
    [GREEK_UPPER, 913],
    [GREEK_UPPER2, 931],
    [GREEK_LOWER, 945],
  ];
  for (const [names, start] of runs) {
    for (const [i, name] of names.split(" ").entries()) map.set(name, String.fromCodePoint(start + i));
  }
  for (const pair of OTHERS.split(" ")) {
    const [name, code] = pair.split(":");
    map.set(name, String.fromCodePoint(Number(code)));
  }
  return map;
}

const ENTITIES = buildEntities();

// Numeric references to C1 controls mean windows-1252 characters (HTML spec); old feeds use them.
const C1 = [
  0x20ac, 0x81, 0x201a, 0x192, 0x201e, 0x2026, 0x2020, 0x2021, 0x2c6, 0x2030, 0x160, 0x2039, 0x152, 0x8d, 0x17d, 0x8f,
  0x90, 0x2018, 0x2019, 0x201c, 0x201d, 0x2022, 0x2013, 0x2014, 0x2dc, 0x2122, 0x161, 0x203a, 0x153, 0x9d, 0x17e, 0x178,
];

function fromCodePoint(cp: number): string {
  if (cp === 0 || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) return "\ufffd";
  if (cp >= 0x80 && cp <= 0x9f) return String.fromCodePoint(C1[cp - 0x80]);
  return String.fromCodePoint(cp);
}

/**
 * Decode character references (`&eacute;`, `&#233;`, `&#xE9;`); they need their `;`. Unknown
 * names stay as written, so a caller that re-escapes `&` shows exactly the string it checked.
 */
export function decodeEntities(s: string): string {
  let amp = s.indexOf("&");
  if (amp < 0) return s;
  let out = "";
  let from = 0;
  while (amp >= 0) {
    const semi = s.indexOf(";", amp + 2);
    if (semi < 0) break;
    let decoded: string | undefined;
    if (semi - amp <= 33) {
      const ref = s.slice(amp + 1, semi);
      if (ref.charCodeAt(0) === 35) {
        const hex = ref.charCodeAt(1) === 120 || ref.charCodeAt(1) === 88;
        const digits = ref.slice(hex ? 2 : 1);
        if (hex ? /^[0-9a-fA-F]{1,6}$/.test(digits) : /^\d{1,7}$/.test(digits)) {
          decoded = fromCodePoint(Number.parseInt(digits, hex ? 16 : 10));
        }
      } else {
        decoded = ENTITIES.get(ref);
      }
    }
    if (decoded !== undefined) {
      out += s.slice(from, amp) + decoded;
      from = semi + 1;
      amp = s.indexOf("&", from);
    } else {
      amp = s.indexOf("&", amp + 1);
    }
  }
  return from === 0 ? s : out + s.slice(from);
}

const ESCAPES: Record<string, string> = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" };

/** Escape text for HTML text or a double-quoted attribute. */
export function escapeHtml(s: string): string {
  return /[&<>"']/.test(s) ? s.replace(/[&<>"']/g, (c) => ESCAPES[c]) : s;
}

const BREAKING = /^(?:br|p|div|li|dt|dd|tr|td|th|h[1-6]|blockquote|pre|section|article|figure|figcaption|hr)$/i;

/**
 * HTML (or text that may hold tags and references) as one line of plain text: script and style
 * content dropped, tags removed, references decoded, whitespace collapsed. Used for titles.
 */
export function toPlainText(html: string): string {
  let s = html.includes("\0") ? html.replaceAll("\0", "") : html;
  if (s.includes("<")) {
    s = s
      .replace(/<!--[\s\S]*?(?:-->|$)/g, "")
      .replace(/<(script|style|template|noscript|textarea|title)\b[^>]*>[\s\S]*?(?:<\/\1\s*>|$)/gi, " ")
      .replace(/<\/?([A-Za-z][A-Za-z0-9-]*)\b[^>]*>/g, (_m, name: string) => (BREAKING.test(name) ? " " : ""));
  }
  return decodeEntities(s)
    .replace(/[\s\u00a0]+/g, " ")
    .trim();
}

/** Plain text as HTML: escaped, blank lines become paragraphs and single newlines <br>. */
export function textToHtml(text: string): string {
  const paras = text
    .replace(/\r\n?/g, "\n")
    .split(/\n[ \t]*\n+/)
    .map((p) => p.trim())
    .filter(Boolean);
  return paras.map((p) => `<p>${escapeHtml(p).replace(/\n/g, "<br>")}</p>`).join("\n");
}

// ---- Reading tags the way the HTML tokenizer does (for the sanitizer) ----

/** HTML's ASCII whitespace. */
export function isHtmlSpace(c: number): boolean {
  return c === 32 || c === 9 || c === 10 || c === 12 || c === 13;
}

/** A tag as read by readTag. */
export interface Tag {
  name: string;
  /** The name was written in lowercase. */
  exact: boolean;
  /** Null when the tag has no attributes (or they were not wanted). */
  attrs: Map<string, string> | null;
  selfClosing: boolean;
  /** Index just after the tag's `>`. */
  end: number;
}

/**
 * The tag last read by readTag. One shared record instead of an object per tag (a feed has tens
 * of thousands of tags): read what you need before the next call.
 */
export const tag: Tag = { name: "", exact: true, attrs: null, selfClosing: false, end: 0 };

/**
 * Read a tag from `i` (just after `<` or `</`) into `tag`, as the HTML tokenizer does: name up
 * to space, `/` or `>`; attributes with double-, single- or unquoted values; the first of a
 * repeated attribute wins. False when the input ends inside the tag (a browser drops it too).
 */
export function readTag(s: string, i: number, wantAttrs: boolean): boolean {
  const n = s.length;
  let j = i;
  while (j < n) {
    const c = s.charCodeAt(j);
    if (isHtmlSpace(c) || c === 47 || c === 62) break;
    j++;
  }
  const raw = s.slice(i, j);
  const name = raw.toLowerCase();
  tag.name = name;
  // V8 returns the same string when nothing changed, so this is a cheap identity check.
  tag.exact = name === raw;
  tag.attrs = null;
  tag.selfClosing = false;
  let attrs: Map<string, string> | null = null;
  let selfClosing = false;
  while (j < n) {
    let c = s.charCodeAt(j);
    if (isHtmlSpace(c)) {
      j++;
      continue;
    }
    if (c === 62) {
      tag.attrs = attrs;
      tag.selfClosing = selfClosing;
      tag.end = j + 1;
      return true;
    }
    if (c === 47) {
      selfClosing = s.charCodeAt(j + 1) === 62;
      j++;
      continue;
    }
    selfClosing = false;
    const start = j++;
    while (j < n) {
      c = s.charCodeAt(j);
      if (isHtmlSpace(c) || c === 47 || c === 62 || c === 61) break;
      j++;
    }
    const attrName = s.slice(start, j);
    while (j < n && isHtmlSpace(s.charCodeAt(j))) j++;
    let value = "";
    if (s.charCodeAt(j) === 61) {
      j++;
      while (j < n && isHtmlSpace(s.charCodeAt(j))) j++;
      c = s.charCodeAt(j);
      if (c === 34 || c === 39) {
        const close = s.indexOf(c === 34 ? '"' : "'", j + 1);
        if (close < 0) return false;
        value = s.slice(j + 1, close);
        j = close + 1;
      } else {
        const start2 = j;
        while (j < n) {
          c = s.charCodeAt(j);
          if (isHtmlSpace(c) || c === 62) break;
          j++;
        }
        value = s.slice(start2, j);
      }
    }
    if (wantAttrs) {
      attrs ??= new Map();
      const key = attrName.toLowerCase();
      if (!attrs.has(key)) attrs.set(key, value);
    }
  }
  return false;
}

const closers = new Map<string, RegExp>();

/** Index just after `</name ...>` from `i`, or the end of input (content skipped either way). */
export function skipContent(s: string, i: number, name: string): number {
  if (name === "plaintext") return s.length;
  let re = closers.get(name);
  if (!re) {
    re = new RegExp(`</${name}(?=[\\t\\n\\f\\r />])`, "gi");
    closers.set(name, re);
  }
  re.lastIndex = i;
  const m = re.exec(s);
  if (!m) return s.length;
  return readTag(s, m.index + 2, false) ? tag.end : s.length;
}
