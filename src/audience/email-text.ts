/**
 * The plain-text part of an email from sanitized HTML (pure): paragraphs separated by blank
 * lines, link addresses kept after their text ("the guide (https://...)"), images as their alt
 * text, list items with dashes, table cells separated by " | ", and no stray spaces where inline
 * tags were. Relative URLs are made absolute against `baseUrl`.
 */
const decode = (s: string) =>
  s
    .replace(/&nbsp;/g, " ")
    .replace(/&lt;/g, "<")
    .replace(/&gt;/g, ">")
    .replace(/&quot;/g, '"')
    .replace(/&#39;|&#x27;/g, "'")
    .replace(/&#(\d+);/g, (_m, n: string) => String.fromCodePoint(Number(n)))
    .replace(/&amp;/g, "&");

const attr = (tag: string, name: string) => new RegExp(`\\s${name}="([^"]*)"`).exec(tag)?.[1];

function absolute(href: string, baseUrl: string): string {
  try {
    return new URL(decode(href), baseUrl).href;
  } catch {
    return decode(href);
  }
}

/** Plain text for an email from HTML. */
export function emailText(html: string, baseUrl: string): string {
  const text = html
    .replace(/<(script|style)[^>]*>[\s\S]*?<\/\1>/gi, "")
    .replace(/<a\b[^>]*>([\s\S]*?)<\/a>/gi, (m, inner: string) => {
      const href = attr(m.slice(0, m.indexOf(">") + 1), "href");
      const label = decode(inner.replace(/<[^>]+>/g, "")).trim();
      if (!href || href.startsWith("#")) return inner;
      const url = absolute(href, baseUrl);
      return label && label !== url ? `${inner} (${url})` : url;
    })
    .replace(/<img\b[^>]*>/gi, (tag) => {
      const alt = decode(attr(tag, "alt") ?? "").trim();
      return alt ? `[image: ${alt}]` : "";
    })
    .replace(/<li\b[^>]*>/gi, "\n- ")
    .replace(/<\/t[dh]>\s*<t[dh]\b[^>]*>/gi, " | ")
    .replace(/<tr\b[^>]*>/gi, "\n")
    .replace(/<\/(li|tr|t[dh])>|<t[dh]\b[^>]*>|<\/?(thead|tbody|ul|ol)\b[^>]*>/gi, "")
    .replace(/<br\s*\/?>/gi, "\n")
    .replace(/<\/(p|div|h[1-6]|blockquote|pre|table|figure|section)>/gi, "\n\n")
    .replace(/<\/?(a|em|strong|b|i|code|span|sup|sub|mark|small|abbr|cite|q|s|u|del|ins)\b[^>]*>/gi, "")
    .replace(/<[^>]+>/g, "\n");
  return decode(text)
    .split("\n")
    .map((line) => line.replace(/[ \t]+/g, " ").trimEnd())
    .join("\n")
    .replace(/\n[ \t]+(?=\S)/g, (m) => (m.includes("- ") ? m : "\n"))
    .replace(/\n{3,}/g, "\n\n")
    .trim();
}
