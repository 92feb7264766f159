/**
 * Atom 1.0, RSS 2.0 and JSON Feed 1.1 from plain data, plus the sitemap and robots.txt.
 * Pure functions: data in, string out. Content is full HTML with relative URLs made absolute.
 */

export interface FeedItem {
  /**
   * The entry's permanent id (Atom id, RSS guid, JSON Feed id): never the slug-bearing URL, so a
   * renamed post is not shown again by feed readers. Defaults to `url` (a permalink guid).
   */
  id?: string;
  /** Absolute URL of the post. */
  url: string;
  title: string;
  summary: string;
  /** Full HTML content; relative URLs are resolved against `url` by the feed builders. */
  html: string;
  published: string;
  updated: string;
  categories: string[];
  /** Absolute image URL. */
  image?: string;
  /**
   * Link posts: the page the post is about. The item's id and link stay our post's permalink;
   * this goes to JSON Feed's external_url and an Atom link rel="related" (RSS has the link in the content).
   */
  externalUrl?: string;
}

export interface FeedData {
  title: string;
  description: string;
  language: string;
  /** Absolute URL of the HTML page the feed mirrors. */
  homeUrl: string;
  /** Absolute URL of the feed without extension, e.g. https://x.org/feed */
  feedBase: string;
  author: { name: string; url: string; avatar?: string };
  items: FeedItem[];
  /** ISO time of the newest change (defaults to the newest item's update). */
  updated?: string;
}

/** Escape text for XML, dropping characters XML 1.0 cannot carry. */
export function xmlEscape(s: string): string {
  return stripInvalidXml(s)
    .replace(/&/g, "&amp;")
    .replace(/</g, "&lt;")
    .replace(/>/g, "&gt;")
    .replace(/"/g, "&quot;")
    .replace(/'/g, "&apos;");
}

function stripInvalidXml(s: string): string {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: removing the control characters XML forbids
  return s.replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/g, "");
}

/** Wrap text in CDATA, splitting any "]]>" inside it. */
export function cdata(s: string): string {
  return `<![CDATA[${stripInvalidXml(s).replaceAll("]]>", "]]]]><![CDATA[>")}]]>`;
}

function decodeAttr(v: string): string {
  return v
    .replace(/&amp;/g, "&")
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'");
}

function encodeAttr(v: string): string {
  return v.replace(/&/g, "&amp;").replace(/"/g, "&quot;");
}

function resolve(value: string, base: string): string {
  const v = decodeAttr(value.trim());
  if (/^[a-z][a-z0-9+.-]*:/i.test(v)) return value; // already absolute (https:, mailto:, data:)
  try {
    return encodeAttr(new URL(v, base).href);
  } catch {
    return value;
  }
}

/** Make relative src/href/poster/srcset URLs in HTML absolute against `base`. Pure. */
export function absolutizeUrls(htmlText: string, base: string): string {
  return htmlText
    .replace(
      /(\s(?:src|href|poster)=)("([^"]*)"|'([^']*)')/gi,
      (_m, attr: string, _q, dq?: string, sq?: string) => `${attr}"${resolve(dq ?? sq ?? "", base)}"`,
    )
    .replace(/(\ssrcset=)"([^"]*)"/gi, (_m, attr: string, set: string) => {
      const parts = set.split(",").map((part) => {
        const [u, ...rest] = part.trim().split(/\s+/);
        return [resolve(u ?? "", base), ...rest].join(" ");
      });
      return `${attr}"${parts.join(", ")}"`;
    });
}

/** A Marp deck as plain HTML for feed readers: the slides' sections separated by rules. Pure. */
export function deckToHtml(deckHtml: string): string {
  return deckHtml
    .replace(/<div class="marpit">|<\/div>\s*$/g, "")
    .replace(/<svg[^>]*>\s*<foreignObject[^>]*>/g, "")
    .replace(/<\/foreignObject>\s*<\/svg>/g, "\n<hr>\n")
    .replace(/\n<hr>\n\s*$/, "")
    .trim();
}

function newest(data: FeedData): string {
  return data.updated ?? data.items.reduce((m, i) => (i.updated > m ? i.updated : m), "1970-01-01T00:00:00.000Z");
}

/** Atom 1.0 (RFC 4287). */
export function atomFeed(data: FeedData): string {
  const items = data.items.map(
    (i) => `<entry>
<title>${xmlEscape(i.title)}</title>
<link rel="alternate" type="text/html" href="${xmlEscape(i.url)}"/>
${i.externalUrl ? `<link rel="related" type="text/html" href="${xmlEscape(i.externalUrl)}"/>` : ""}
<id>${xmlEscape(i.id ?? i.url)}</id>
<published>${i.published}</published>
<updated>${i.updated}</updated>
${i.categories.map((c) => `<category term="${xmlEscape(c)}"/>`).join("\n")}
${i.summary ? `<summary type="text">${xmlEscape(i.summary)}</summary>` : ""}
<content type="html" xml:base="${xmlEscape(i.url)}">${xmlEscape(absolutizeUrls(i.html, i.url))}</content>
</entry>`,
  );
  return `<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="${xmlEscape(data.language)}">
<title>${xmlEscape(data.title)}</title>
${data.description ? `<subtitle>${xmlEscape(data.description)}</subtitle>` : ""}
<link rel="alternate" type="text/html" href="${xmlEscape(data.homeUrl)}"/>
<link rel="self" type="application/atom+xml" href="${xmlEscape(`${data.feedBase}.atom`)}"/>
<id>${xmlEscape(`${data.feedBase}.atom`)}</id>
<updated>${newest(data)}</updated>
<author><name>${xmlEscape(data.author.name)}</name><uri>${xmlEscape(data.author.url)}</uri></author>
<generator>Liner Notes</generator>
${items.join("\n")}
</feed>
`;
}

/** RSS 2.0 with content:encoded for the full HTML. */
export function rssFeed(data: FeedData): string {
  const date = (iso: string) => new Date(iso).toUTCString();
  const items = data.items.map(
    (i) => `<item>
<title>${xmlEscape(i.title)}</title>
<link>${xmlEscape(i.url)}</link>
<guid isPermaLink="${i.id && i.id !== i.url ? "false" : "true"}">${xmlEscape(i.id ?? i.url)}</guid>
<pubDate>${date(i.published)}</pubDate>
${i.categories.map((c) => `<category>${xmlEscape(c)}</category>`).join("\n")}
<description>${xmlEscape(i.summary || i.title)}</description>
<content:encoded>${cdata(absolutizeUrls(i.html, i.url))}</content:encoded>
</item>`,
  );
  return `<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/" xmlns:atom="http://www.w3.org/2005/Atom">
<channel>
<title>${xmlEscape(data.title)}</title>
<link>${xmlEscape(data.homeUrl)}</link>
<description>${xmlEscape(data.description || data.title)}</description>
<language>${xmlEscape(data.language)}</language>
<lastBuildDate>${date(newest(data))}</lastBuildDate>
<generator>Liner Notes</generator>
<atom:link href="${xmlEscape(`${data.feedBase}.rss`)}" rel="self" type="application/rss+xml"/>
${items.join("\n")}
</channel>
</rss>
`;
}

/** JSON Feed 1.1. */
export function jsonFeed(data: FeedData): string {
  return JSON.stringify({
    version: "https://jsonfeed.org/version/1.1",
    title: data.title,
    home_page_url: data.homeUrl,
    feed_url: `${data.feedBase}.json`,
    ...(data.description ? { description: data.description } : {}),
    language: data.language,
    authors: [
      { name: data.author.name, url: data.author.url, ...(data.author.avatar ? { avatar: data.author.avatar } : {}) },
    ],
    items: data.items.map((i) => ({
      id: i.id ?? i.url,
      url: i.url,
      ...(i.externalUrl ? { external_url: i.externalUrl } : {}),
      title: i.title,
      content_html: absolutizeUrls(i.html, i.url),
      ...(i.summary ? { summary: i.summary } : {}),
      ...(i.image ? { image: i.image } : {}),
      date_published: i.published,
      date_modified: i.updated,
      ...(i.categories.length ? { tags: i.categories } : {}),
    })),
  });
}

export interface SitemapEntry {
  /** Absolute URL. */
  loc: string;
  lastmod?: string;
}

/** sitemap.xml (sitemaps.org 0.9). */
export function sitemap(entries: SitemapEntry[]): string {
  return `<?xml version="1.0" encoding="utf-8"?>
<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
${entries
  .map((e) => `<url><loc>${xmlEscape(e.loc)}</loc>${e.lastmod ? `<lastmod>${e.lastmod}</lastmod>` : ""}</url>`)
  .join("\n")}
</urlset>
`;
}

/** robots.txt: everything public except the admin, and where the sitemap is. */
export function robotsTxt(baseUrl: string): string {
  return `User-agent: *\nDisallow: /admin\nDisallow: /search\n\nSitemap: ${baseUrl}/sitemap.xml\n`;
}
