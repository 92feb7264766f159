/**
 * Allowlist sanitizing of untrusted HTML (feed items, fetched pages) before it is stored or shown.
 *
 * The input is tokenized the way a browser's HTML tokenizer would (tags, attributes with quoted or
 * bare values, comments, raw-text elements) and the output is *re-serialized* from scratch: text
 * is escaped, and only allowlisted elements with allowlisted, checked attributes are written. So
 * whatever the input does, the output holds no script, style, event handler, form, object, foreign
 * (SVG/MathML) content or raw-text element, and no URL other than http(s), mailto on links and
 * non-SVG data: images. This is a dedicated tokenizer rather than sanitize-html because it runs
 * on every item of every poll: it is several times faster (see bench/parse.ts), which keeps
 * normalization within 2× of raw feed parsing.
 *
 * Also: iframes only for YouTube and Vimeo players (sandboxed, lazy); tracking pixels and
 * tracking parameters removed; relative URLs resolved; links get rel="noopener noreferrer";
 * images load lazily. Pure.
 */
import { cleanSrcset, parseUrl, safeUrl } from "./feed/urls.ts";
import { decodeEntities, readTag, skipContent, tag } from "./text.ts";

export { stripTracking } from "./feed/urls.ts";
export { toPlainText } from "./text.ts";

type Attrs = Map<string, string>;
const NO_ATTRS: Attrs = new Map();

// Elements whose content a browser does not parse as markup, or that we drop whole (foreign content).
const SKIP_CONTENT = ["script", "style", "textarea", "title", "xmp", "noscript", "noembed", "noframes", "template"];
SKIP_CONTENT.push("iframe", "svg", "math", "plaintext");

/**
 * Allowed elements, with the attributes each may keep beyond title, lang and dir after a colon
 * (a, img, audio, video and source have their own rules in elementAttrs).
 */
const TAGS = new Map(
  (
    "a abbr b bdi bdo blockquote:cite br caption cite code col:span colgroup:span dd del:cite,datetime " +
    "details:open dfn div dl dt em figcaption figure h1 h2 h3 h4 h5 h6 hr i img ins:cite,datetime kbd li:value " +
    "mark ol:start,reversed,type p picture pre q:cite rp rt ruby s samp small source span strong sub summary sup " +
    "table tbody td:colspan,rowspan,headers tfoot th:colspan,rowspan,headers,scope,abbr thead time:datetime tr u " +
    "ul var wbr audio video"
  )
    .split(" ")
    .map((entry) => {
      const [name, attrs] = entry.split(":");
      return [name, attrs ? attrs.split(",") : []] as const;
    }),
);

const GLOBAL_ATTRS = ["title", "lang", "dir"];
const NUMBER_ATTRS = new Set(["span", "value", "start", "colspan", "rowspan", "width", "height"]);
const BOOLEAN_ATTRS = new Set(["open", "reversed"]);
const URL_ATTRS = new Set(["cite"]);

// Opening one of these closes an open <p>, as the HTML parser does.
const CLOSES_P = ["p", "div", "ul", "ol", "dl", "table", "blockquote", "pre", "figure", "hr", "details"];
CLOSES_P.push("h1", "h2", "h3", "h4", "h5", "h6");
const VOID = ["br", "col", "hr", "img", "source", "wbr"];

interface Spec {
  /** Drop the element and everything in it. */
  skip: boolean;
  /** Its own attributes beyond title, lang, dir (allowed elements). */
  attrs: string[];
  isVoid: boolean;
  closesP: boolean;
  /** Written as is when it has no attributes (elements with required or added attributes are not). */
  plain: boolean;
}

/** One lookup per tag: every element we keep or skip whole (others are unwrapped). */
const SPECS = new Map<string, Spec>();
for (const [name, attrs] of TAGS) {
  const plain = !["a", "img", "audio", "video", "source"].includes(name);
  SPECS.set(name, { skip: false, attrs, isVoid: VOID.includes(name), closesP: CLOSES_P.includes(name), plain });
}
for (const name of SKIP_CONTENT)
  SPECS.set(name, { skip: true, attrs: [], isVoid: false, closesP: false, plain: false });

// rel values worth keeping (credits and semantics); the rest are dropped.
const KEPT_REL = new Set(["via", "nofollow", "ugc", "sponsored", "tag", "author", "bookmark", "external", "license"]);

const MAX_DEPTH = 200;

function escapeAttr(s: string): string {
  return /[&"<>]/.test(s)
    ? s.replace(/[&"<>]/g, (c) => (c === "&" ? "&amp;" : c === '"' ? "&quot;" : c === "<" ? "&lt;" : "&gt;"))
    : s;
}

// `&` that does not start a character reference, `<`, and NUL (browsers drop or replace it).
// ">" needs no escaping in HTML text.
// biome-ignore lint/suspicious/noControlCharactersInRegex: NUL is matched on purpose.
const NEEDS_ESCAPE = /[&<\u0000]/;
// biome-ignore lint/suspicious/noControlCharactersInRegex: NUL is matched on purpose.
const TEXT_ESCAPE = /&(?!#\d{1,7};|#[xX][0-9a-fA-F]{1,6};|[A-Za-z][A-Za-z0-9]{1,31};)|[<\u0000]/g;

/** Text for HTML output: references kept as written (they decode to text, never to markup). */
function escapeText(s: string): string {
  if (!NEEDS_ESCAPE.test(s)) return s;
  return s.replace(TEXT_ESCAPE, (c) => (c === "&" ? "&amp;" : c === "<" ? "&lt;" : ""));
}

/** A whole number (or percentage for width/height) or null. */
function numberAttr(v: string): string | null {
  const m = /^\s*(\d{1,5})(%?)/.exec(v);
  return m ? m[1] + m[2] : null;
}

/** Common attributes (title, lang, dir) and the tag's own simple attributes, serialized. */
function simpleAttrs(name: string, attrs: Attrs, base: string | null): string {
  if (attrs.size === 0) return "";
  let out = "";
  for (const list of [GLOBAL_ATTRS, SPECS.get(name)?.attrs ?? []]) {
    for (const a of list) {
      const raw = attrs.get(a);
      if (raw === undefined) continue;
      if (BOOLEAN_ATTRS.has(a)) out += ` ${a}`;
      else if (NUMBER_ATTRS.has(a)) {
        const n = numberAttr(raw);
        if (n) out += ` ${a}="${n}"`;
      } else if (URL_ATTRS.has(a)) {
        const u = safeUrl(raw, base, "cite");
        if (u) out += ` ${a}="${escapeAttr(u)}"`;
      } else if (a === "dir") {
        const d = raw.trim().toLowerCase();
        if (d === "ltr" || d === "rtl" || d === "auto") out += ` dir="${d}"`;
      } else if (a === "lang") {
        const l = raw.trim();
        if (/^[A-Za-z]{1,8}(?:-[A-Za-z0-9]{1,8})*$/.test(l)) out += ` lang="${l}"`;
      } else {
        out += ` ${a}="${escapeAttr(decodeEntities(raw).slice(0, 1000))}"`;
      }
    }
  }
  return out;
}

function sizeAttrs(attrs: Attrs): string {
  let out = "";
  for (const a of ["width", "height"]) {
    const n = numberAttr(attrs.get(a) ?? "");
    if (n) out += ` ${a}="${n}"`;
  }
  return out;
}

/** A tracking pixel by its size: both sides at most 1, or either side 0. */
function isPixel(attrs: Attrs): boolean {
  const w = numberAttr(attrs.get("width") ?? "");
  const h = numberAttr(attrs.get("height") ?? "");
  if (w === "0" || h === "0") return true;
  return w !== null && h !== null && !w.endsWith("%") && !h.endsWith("%") && Number(w) <= 1 && Number(h) <= 1;
}

/** The attributes to write for an allowed element, or null to leave the element out. */
function elementAttrs(name: string, attrs: Attrs, base: string | null): string | null {
  switch (name) {
    case "a": {
      const raw = attrs.get("href");
      let out = "";
      if (raw !== undefined) {
        const href = safeUrl(raw, base, "link");
        // FeedBurner "flare" share links wrap tracking images: drop the link, keep its content.
        if (href && /^https?:\/\/feeds\.feedburner\.com\/~ff\//.test(href)) return null;
        if (href) out += ` href="${escapeAttr(href)}"`;
      }
      const rawRel = attrs.get("rel");
      let rel = "noopener noreferrer";
      if (rawRel) {
        const kept = rawRel
          .toLowerCase()
          .split(/\s+/)
          .filter((r) => KEPT_REL.has(r));
        if (kept.length) rel = `${[...new Set(kept)].join(" ")} ${rel}`;
      }
      return `${out}${simpleAttrs(name, attrs, base)} rel="${rel}"`;
    }
    case "img": {
      if (isPixel(attrs)) return null;
      let raw = attrs.get("src");
      // Lazy-loading plugins put the real image in data-src and a placeholder in src.
      const lazy = attrs.get("data-src") ?? attrs.get("data-lazy-src") ?? attrs.get("data-original");
      if (lazy && (!raw || /^\s*data:/i.test(raw))) raw = lazy;
      const src = raw === undefined ? null : safeUrl(raw, base, "image");
      if (!src) return null;
      let out = ` src="${escapeAttr(src)}"`;
      const set = attrs.get("srcset") ?? attrs.get("data-srcset");
      const cleanSet = set ? cleanSrcset(set, base) : null;
      if (cleanSet) out += ` srcset="${escapeAttr(cleanSet)}"`;
      for (const a of ["alt", "sizes"]) {
        const v = attrs.get(a);
        if (v !== undefined) out += ` ${a}="${escapeAttr(decodeEntities(v).slice(0, 1000))}"`;
      }
      return `${out}${sizeAttrs(attrs)}${simpleAttrs(name, attrs, base)} loading="lazy" decoding="async"`;
    }
    case "video":
    case "audio": {
      let out = "";
      const src = attrs.get("src");
      const safe = src === undefined ? null : safeUrl(src, base, "media");
      if (safe) out += ` src="${escapeAttr(safe)}"`;
      const poster = name === "video" ? attrs.get("poster") : undefined;
      const safePoster = poster === undefined ? null : safeUrl(poster, base, "image");
      if (safePoster) out += ` poster="${escapeAttr(safePoster)}"`;
      if (name === "video") out += sizeAttrs(attrs);
      return `${out}${simpleAttrs(name, attrs, base)} controls preload="none"`;
    }
    case "source": {
      let out = "";
      const src = attrs.get("src");
      const safe = src === undefined ? null : safeUrl(src, base, "media");
      if (safe) out += ` src="${escapeAttr(safe)}"`;
      const set = attrs.get("srcset");
      const cleanSet = set ? cleanSrcset(set, base) : null;
      if (cleanSet) out += ` srcset="${escapeAttr(cleanSet)}"`;
      if (!safe && !cleanSet) return null;
      for (const a of ["type", "media", "sizes"]) {
        const v = attrs.get(a);
        if (v !== undefined) out += ` ${a}="${escapeAttr(decodeEntities(v).slice(0, 300))}"`;
      }
      return out;
    }
    default:
      return simpleAttrs(name, attrs, base);
  }
}

const YOUTUBE = new Set(["youtube.com", "www.youtube.com", "youtube-nocookie.com", "www.youtube-nocookie.com"]);

/** A YouTube or Vimeo player iframe, sandboxed and lazy; anything else is dropped. */
function iframe(attrs: Attrs, base: string | null): string {
  let raw = decodeEntities(attrs.get("src") ?? "").trim();
  if (raw.startsWith("//")) raw = `https:${raw}`;
  const u = parseUrl(raw, base);
  if (!u || (u.protocol !== "https:" && u.protocol !== "http:")) return "";
  const host = u.hostname.toLowerCase();
  const ok =
    (YOUTUBE.has(host) && u.pathname.startsWith("/embed/")) ||
    (host === "player.vimeo.com" && u.pathname.startsWith("/video/"));
  if (!ok) return "";
  u.protocol = "https:";
  const title = attrs.get("title");
  return (
    `<iframe src="${escapeAttr(u.href)}"${sizeAttrs(attrs)}` +
    (title ? ` title="${escapeAttr(decodeEntities(title).slice(0, 300))}"` : "") +
    (attrs.has("allowfullscreen") ? " allowfullscreen" : "") +
    ` sandbox="allow-scripts allow-same-origin allow-presentation" loading="lazy"></iframe>`
  );
}

function isAlpha(c: number): boolean {
  return (c >= 97 && c <= 122) || (c >= 65 && c <= 90);
}

/**
 * Sanitize untrusted HTML with the allowlist above; relative URLs are resolved against `baseUrl`
 * (without one they are dropped). Returns "" for empty input.
 */
export function sanitizeHtml(html: string, baseUrl: string | null): string {
  if (!html) return "";
  if (!html.includes("<")) return escapeText(html).trim();
  // NUL is never kept (PostgreSQL cannot store it); dropping it first leaves "&" and ">" as the
  // only characters in text that may need escaping.
  const s = html.includes("\0") ? html.replaceAll("\0", "") : html;
  const n = s.length;
  const stack: string[] = [];
  // xml:base (XHTML content in Atom) nests: bases[k] is the base inside stack[k]. Only tracked when
  // the input has one, so plain HTML pays nothing.
  const hasXmlBase = s.includes("xml:base");
  const bases: (string | null)[] = [];
  const baseNow = () => (bases.length ? bases[bases.length - 1] : baseUrl);
  // Output is the input with replacements: s[run, ...) is still to be copied as is, so text and
  // plain tags that come out unchanged cost no string building.
  let out = "";
  let run = 0;
  let stop = n;
  const put = (text: string, from: number, to: number) => {
    out += s.slice(run, from) + text;
    run = to;
  };
  const closeTo = (depth: number) => {
    let closes = "";
    while (stack.length > depth) closes += `</${stack.pop()}>`;
    if (hasXmlBase) bases.length = Math.min(bases.length, stack.length);
    return closes;
  };
  let i = 0;
  // The next "&" at or after i, found with indexOf and kept until passed: text between tags needs
  // escaping only when it holds one ("<" ends the text, and ">" is allowed in HTML text).
  let amp = -1;
  while (i < n) {
    const lt = s.indexOf("<", i);
    const textEnd = lt < 0 ? n : lt;
    if (textEnd > i) {
      if (amp < i) {
        amp = s.indexOf("&", i);
        if (amp < 0) amp = n;
      }
      if (amp < textEnd) {
        const text = s.slice(i, textEnd);
        const escaped = escapeText(text);
        if (escaped !== text) put(escaped, i, textEnd);
      }
    }
    if (lt < 0) break;
    const c = s.charCodeAt(lt + 1);
    if (isAlpha(c)) {
      if (!readTag(s, lt + 1, true)) {
        stop = lt;
        break;
      }
      i = tag.end;
      const name = tag.name;
      const spec = SPECS.get(name);
      let base = hasXmlBase ? baseNow() : baseUrl;
      const xmlBase = hasXmlBase ? tag.attrs?.get("xml:base") : undefined;
      if (xmlBase !== undefined) base = parseUrl(decodeEntities(xmlBase), base)?.href ?? base;
      if (!spec) {
        put("", lt, i);
        continue;
      }
      if (spec.skip) {
        const frame = name === "iframe" ? iframe(tag.attrs ?? NO_ATTRS, base) : "";
        // A self-closed <svg/> or <math/> has no content to skip.
        if (!(tag.selfClosing && (name === "svg" || name === "math"))) i = skipContent(s, i, name);
        put(frame, lt, i);
        continue;
      }
      const attrs =
        stack.length >= MAX_DEPTH
          ? null
          : tag.attrs === null && spec.plain
            ? ""
            : elementAttrs(name, tag.attrs ?? NO_ATTRS, base);
      if (attrs === null) {
        put("", lt, i);
        continue;
      }
      // The implied end tags of the HTML parser, for the common cases (<p>, <li>, cells).
      let closes = "";
      const top = stack.length ? stack[stack.length - 1] : "";
      if (top === "p" && spec.closesP) closes = closeTo(stack.length - 1);
      else if (name === "li" && top === "li") closes = closeTo(stack.length - 1);
      else if ((name === "dt" || name === "dd") && (top === "dt" || top === "dd")) closes = closeTo(stack.length - 1);
      else if (name === "td" || name === "th" || name === "tr") {
        if (top === "td" || top === "th") closes = closeTo(stack.length - 1);
        if (name === "tr" && stack[stack.length - 1] === "tr") closes += closeTo(stack.length - 1);
      }
      if (closes || attrs || !tag.exact || i !== lt + 2 + name.length) {
        put(`${closes}<${name}${attrs}>`, lt, i);
      }
      if (!spec.isVoid) {
        stack.push(name);
        if (hasXmlBase) bases.push(base);
      }
    } else if (c === 47 && isAlpha(s.charCodeAt(lt + 2))) {
      if (!readTag(s, lt + 2, false)) {
        stop = lt;
        break;
      }
      i = tag.end;
      const name = tag.name;
      const at = stack.lastIndexOf(name);
      if (at >= 0 && at === stack.length - 1 && tag.exact && i === lt + 3 + name.length) {
        stack.pop();
        if (hasXmlBase) bases.length = Math.min(bases.length, stack.length);
      } else put(at >= 0 ? closeTo(at) : "", lt, i);
    } else if (c === 33 || c === 47 || c === 63) {
      // Comments, doctypes, CDATA and processing instructions: dropped.
      if (s.startsWith("<!--", lt)) {
        if (s.startsWith("<!-->", lt)) i = lt + 5;
        else if (s.startsWith("<!--->", lt)) i = lt + 6;
        else {
          COMMENT_END.lastIndex = lt + 4;
          const e = COMMENT_END.exec(s);
          i = e ? e.index + e[0].length : n;
        }
      } else {
        const e = s.indexOf(">", lt + 2);
        i = e < 0 ? n : e + 1;
      }
      put("", lt, i);
    } else {
      i = lt + 1;
      put("&lt;", lt, i);
    }
  }
  out += s.slice(run, stop) + closeTo(0);
  return out.trim();
}

const COMMENT_END = /--!?>/g;
