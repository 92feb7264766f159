/** parseFeed over the fixtures in testdata/: every format, encodings, URLs, dates, dedupe, and bad input. */
import assert from "node:assert/strict";
import fs from "node:fs";
import { test } from "node:test";
import { fileURLToPath } from "node:url";
import { type ParseFeedOptions, parseFeed } from "./parse.ts";
import { FeedParseError } from "./types.ts";

const fixture = (name: string) => fs.readFileSync(fileURLToPath(new URL(`./testdata/${name}`, import.meta.url)));
const parse = (name: string, opts: ParseFeedOptions = {}) => parseFeed(fixture(name), opts);
const parseText = (text: string, opts: ParseFeedOptions = {}) => parseFeed(new TextEncoder().encode(text), opts);

function rejects(bytes: Uint8Array | string, message: RegExp, opts: ParseFeedOptions = {}) {
  const input = typeof bytes === "string" ? new TextEncoder().encode(bytes) : bytes;
  assert.throws(
    () => parseFeed(input, opts),
    (err: unknown) => err instanceof FeedParseError && message.test(err.message),
  );
}

test("encodings: ISO-8859-1 by prolog, windows-1251 by HTTP charset, Shift_JIS, UTF-8 and UTF-16 with BOM", () => {
  const latin1 = parse("latin1-prolog.xml");
  assert.equal(latin1.title, "Café crème à Noël");
  assert.equal(latin1.description, "Déjà vu, naïve façade, Ñandú, Øre, ¿qué? 25 °C, ½ £");
  assert.equal(latin1.items[0].title, "Brûlée et jalapeño");
  assert.equal(latin1.items[0].summary, "Crème brûlée, and a dash as an entity: — fine.");
  const cp1251 = parse("windows-1251.xml", { contentType: "text/xml; charset=windows-1251" });
  assert.equal(cp1251.title, "Новости дня");
  assert.equal(cp1251.items[0].title, "Москва и Санкт-Петербург");
  assert.equal(parse("shift_jis.xml").items[0].title, "こんにちは、世界");
  const bom = parse("utf8-bom.xml");
  assert.equal(bom.format, "atom");
  assert.equal(bom.title, "Ünïcödé ✓ with BOM");
  assert.equal(bom.items[0].title, "Emoji 🎉 and “quotes”");
  assert.equal(parse("utf16-bom.xml").items[0].title, "Ωμέγα");
});

test("xml:base on the feed, on entries (absolute and relative) and on content resolves every URL", () => {
  const feed = parse("xml-base.xml", { url: "https://fetched.example/feeds/atom.xml" });
  assert.equal(feed.link, "https://base.example/blog/");
  assert.equal(feed.image, "https://base.example/blog/img/logo.png");
  assert.equal(feed.language, "en-GB");
  assert.equal(feed.description, "Relative everything");
  assert.deepEqual(feed.authors, [
    { name: "Base Writer", email: "writer@base.example", url: "https://base.example/blog/about/" },
  ]);
  const [one, two, three] = feed.items;
  assert.equal(one.link, "https://base.example/blog/posts/one");
  assert.equal(
    one.summary,
    '<a href="https://base.example/blog/two" rel="noopener noreferrer">next</a> and <img src="https://base.example/pic.png" alt="pic" loading="lazy" decoding="async">',
  );
  assert.deepEqual(one.authors, feed.authors, "entries without authors inherit the feed's");
  assert.equal(two.link, "https://other.example/archive/2024/march/two");
  assert.deepEqual(two.enclosures, [
    { url: "https://other.example/archive/2024/audio/two.mp3", type: "audio/mpeg", length: 1234 },
  ]);
  assert.equal(two.comments, "https://other.example/archive/2024/march/two#comments");
  assert.equal(
    two.content,
    '<p>See <a href="https://other.example/archive/2023/old" rel="noopener noreferrer">last year</a>.</p>',
  );
  assert.equal(three.link, "https://base.example/blog/sub/three");
  assert.match(three.content ?? "", /href="https:\/\/base\.example\/blog\/sub\/deeper\/four"/);
  assert.match(three.content ?? "", /src="https:\/\/base\.example\/blog\/sub\/deeper\/five\.png"/);
  assert.equal(feed.isPodcast, true, "an audio enclosure makes it a podcast");
});

test("relative URLs resolve against the document URL (or --base), and tracking parameters go", () => {
  const feed = parse("relative-urls.xml", { url: "https://rel.example/feeds/main.xml" });
  assert.equal(feed.link, "https://rel.example/");
  assert.equal(feed.image, "https://rel.example/logo.png");
  const [item] = feed.items;
  assert.equal(item.link, "https://rel.example/posts/relative?id=7");
  assert.equal(item.comments, "https://rel.example/posts/relative#comments");
  assert.deepEqual(item.enclosures, [
    { url: "https://rel.example/feeds/media/file.mp3", type: "audio/mpeg", length: 42 },
  ]);
  assert.equal(
    item.content,
    '<p><a href="https://rel.example/up" rel="noopener noreferrer">up</a> <a href="https://cdn.example/x" rel="noopener noreferrer">cdn</a> <img src="https://rel.example/feeds/img/a.png" alt="a" loading="lazy" decoding="async"> <a href="https://rel.example/feeds/main.xml#frag" rel="noopener noreferrer">frag</a></p>',
  );
  // base overrides url; without either, relative URLs cannot be made absolute and are left out.
  assert.equal(
    parse("relative-urls.xml", { url: "https://a.example/", base: "https://b.example/x/" }).link,
    "https://b.example/",
  );
  const bare = parse("relative-urls.xml");
  assert.equal(bare.link, null);
  assert.equal(bare.items[0].link, null);
  assert.deepEqual(bare.items[0].enclosures, []);
});

test("titles are plain text: HTML stripped, entities decoded (twice-encoded too), CDATA read, whitespace collapsed", () => {
  const feed = parse("html-titles.xml");
  assert.equal(feed.title, "My Bold Blog & Friends");
  assert.deepEqual(
    feed.items.map((i) => i.title),
    [
      "Escaped emphasis in a title",
      "CDATA italic and script",
      "Double-encoded & and ’quote’ and été",
      "Spaces and newlines collapse",
      "Windows-1252 in numeric refs: “smart” – dash",
    ],
  );
});

test("duplicate GUIDs: the first is kept; items without ids dedupe by link, then by a hash of title and content", () => {
  const feed = parse("duplicate-guids.xml");
  assert.deepEqual(
    feed.items.map((i) => [i.title, i.dedupeKey.startsWith("sha256:") ? "hash" : i.dedupeKey]),
    [
      ["First version", "same-guid"],
      ["Link only", "https://dupes.example/b"],
      ["No id, no link", "hash"],
      ["No id, no link", "hash"],
    ],
  );
  assert.notEqual(feed.items[2].dedupeKey, feed.items[3].dedupeKey);
  assert.match(feed.items[2].dedupeKey, /^sha256:[0-9a-f]{64}$/);
  assert.equal(feed.items[0].id, "same-guid");
  assert.equal(feed.items[1].id, null);
});

test("missing dates stay null; broken dates are read where possible, else null", () => {
  const undated = parse("missing-dates.xml");
  assert.equal(undated.updated, null);
  assert.deepEqual(
    undated.items.map((i) => [i.published, i.updated]),
    [
      [null, null],
      [null, null],
    ],
  );
  const broken = parse("broken-dates.xml");
  assert.equal(broken.updated, "2024-01-07T10:00:00.000Z");
  assert.deepEqual(
    broken.items.map((i) => [i.id, i.published]),
    [
      ["d1", "2024-01-05T10:00:00.000Z"],
      ["d2", "2024-01-05T17:00:00.000Z"],
      ["d3", "2024-01-05T10:00:00.000Z"],
      ["d4", "2024-01-05T10:00:00.000Z"],
      ["d5", "2024-01-05T00:00:00.000Z"],
      ["d6", "2024-01-05T14:05:03.000Z"],
      ["d7", "2024-01-05T10:00:00.000Z"],
      ["d8", "2024-01-05T09:00:00.500Z"],
      ["d9", null],
      ["d10", null],
      ["d11", "2024-01-05T09:00:00.000Z"],
    ],
  );
});

test("RSS 1.0 (RDF) with Dublin Core", () => {
  const feed = parse("rdf.xml");
  assert.equal(feed.format, "rdf");
  assert.equal(feed.title, "An RSS 1.0 feed");
  assert.equal(feed.language, "de");
  assert.equal(feed.updated, "2024-02-01T07:00:00.000Z");
  assert.equal(feed.image, "https://rdf.example/logo.gif");
  const [first, second] = feed.items;
  assert.equal(first.id, "https://rdf.example/1");
  assert.equal(first.link, "https://rdf.example/1");
  assert.deepEqual(first.authors, [{ name: "Ada Lovelace", email: null, url: null }]);
  assert.deepEqual(first.categories, ["math"]);
  assert.equal(first.published, "2024-02-01T07:00:00.000Z");
  assert.equal(first.summary, "Summary of the first");
  assert.equal(first.content, "<p>Full <strong>content</strong></p>");
  assert.equal(second.published, "2024-01-31T00:00:00.000Z");
  assert.equal(second.content, null);
});

test("podcasts: enclosures, itunes:duration in seconds, itunes:image, TTL, authors", () => {
  const feed = parse("podcast.xml");
  assert.equal(feed.isPodcast, true);
  assert.equal(feed.ttlMinutes, 60);
  assert.equal(feed.image, "https://pod.example/cover.jpg");
  assert.equal(feed.language, "en-us");
  assert.equal(feed.updated, "2024-01-05T10:00:00.000Z");
  assert.deepEqual(feed.authors, [{ name: "Pod Hosts", email: null, url: null }]);
  assert.deepEqual(
    feed.items.map((i) => i.durationSeconds),
    [3723, 3723, 3723],
  );
  const [ep3, ep2, ep1] = feed.items;
  assert.deepEqual(ep3.enclosures, [{ url: "https://cdn.pod.example/ep3.mp3", type: "audio/mpeg", length: 12345678 }]);
  assert.equal(ep3.image, "https://pod.example/ep3.jpg");
  assert.deepEqual(ep3.authors, [{ name: "Guest Star", email: null, url: null }]);
  assert.equal(ep3.comments, "https://pod.example/3#comments");
  assert.equal(
    ep3.summary,
    '<p>Show notes with a <a href="https://pod.example/links" rel="noopener noreferrer">link</a>.</p>',
  );
  assert.equal(ep2.enclosures[0].length, null, 'length="0" means unknown');
  assert.equal(ep1.enclosures[0].length, null);
  assert.equal(ep1.link, null);
});

test("Atom 0.3: modified and issued, escaped HTML titles and content, text summaries", () => {
  const feed = parse("atom03.xml");
  assert.equal(feed.format, "atom");
  assert.equal(feed.title, "Un vieux flux Atom 0.3");
  assert.equal(feed.link, "https://atom03.example/");
  assert.equal(feed.updated, "2004-05-01T10:00:00.000Z");
  assert.equal(feed.language, "fr");
  const [one, two] = feed.items;
  assert.equal(one.title, "Premier billet");
  assert.equal(one.published, "2004-05-01T08:00:00.000Z");
  assert.equal(one.updated, "2004-05-02T10:00:00.000Z");
  assert.equal(one.content, "<p>Bonjour <b>le monde</b></p>");
  assert.deepEqual(one.authors, [{ name: "Jean Ancien", email: "jean@atom03.example", url: null }]);
  assert.equal(two.summary, "<p>Texte brut &lt;pas du HTML&gt;</p>", "a text summary is escaped, not parsed");
});

test("JSON Feed 1.0: author (singular), content_text, attachments, numeric ids", () => {
  const feed = parse("jsonfeed-1.0.json");
  assert.equal(feed.format, "json");
  assert.equal(feed.link, "https://json10.example/");
  assert.equal(feed.image, "https://json10.example/icon.png");
  assert.deepEqual(feed.authors, [{ name: "Solo Author", email: null, url: "https://json10.example/about" }]);
  const [one, two] = feed.items;
  assert.equal(one.title, "Title with <angle> brackets is plain text");
  assert.equal(one.content, '<p>Hello <a href="https://json10.example/world" rel="noopener noreferrer">world</a></p>');
  assert.equal(one.summary, "<p>A plain summary</p>");
  assert.equal(one.published, "2024-01-05T15:00:00.000Z");
  assert.equal(one.updated, "2024-01-06T10:00:00.000Z");
  assert.deepEqual(one.categories, ["json", "feeds"]);
  assert.deepEqual(one.authors, [{ name: "Item Author", email: null, url: null }]);
  assert.equal(two.id, "2");
  assert.equal(two.link, "https://json10.example/2");
  assert.equal(two.content, "<p>Line one</p>\n<p>Line &lt;two&gt;</p>");
  assert.deepEqual(two.enclosures, [{ url: "https://json10.example/2.mp3", type: "audio/mpeg", length: 5000 }]);
  assert.equal(two.durationSeconds, 300);
  assert.equal(feed.isPodcast, true);
});

test("JSON Feed 1.1: authors inherited, HTML sanitized, tracking removed, bad dates null", () => {
  const feed = parse("jsonfeed-1.1.json", { url: "https://json11.example/feed.json" });
  assert.equal(feed.language, "en");
  const [one, two] = feed.items;
  assert.equal(one.link, "https://json11.example/posts/1");
  assert.equal(one.content, "<p>Content</p>");
  assert.equal(one.image, "https://json11.example/1.jpg");
  assert.equal(one.published, "2024-02-10T08:30:00.000Z");
  assert.deepEqual(one.authors, [{ name: "Feed Author", email: null, url: "https://json11.example/me" }]);
  assert.deepEqual(two.authors, [{ name: "Guest", email: null, url: null }]);
  assert.equal(two.published, null);
  assert.equal(feed.isPodcast, false);
});

test("RSS 0.91 with a doctype and a managingEditor in the 'email (Name)' form", () => {
  const feed = parse("rss091.xml");
  assert.equal(feed.format, "rss");
  assert.equal(feed.title, "RSS 0.91 & a doctype");
  assert.deepEqual(feed.authors, [{ name: "The Editor", email: "editor@rss091.example", url: null }]);
  assert.equal(feed.items[0].summary, "Old description");
});

test("authors in their usual RSS spellings are normalized", () => {
  const feed = parseText(`<rss version="2.0" xmlns:dc="http://purl.org/dc/elements/1.1/"><channel><title>a</title>
    <item><title>1</title><author>jane@x.example (Jane Doe)</author><dc:creator>Jane Doe</dc:creator></item>
    <item><title>2</title><dc:creator>Bob &lt;bob@x.example&gt;</dc:creator></item>
    <item><title>3</title><author>noreply@blogger.com (Blogger Person)</author></item>
    <item><title>4</title><author>only@mail.example</author></item>
  </channel></rss>`);
  assert.deepEqual(
    feed.items.map((i) => i.authors),
    [
      [{ name: "Jane Doe", email: "jane@x.example", url: null }],
      [{ name: "Bob", email: "bob@x.example", url: null }],
      [{ name: "Blogger Person", email: null, url: null }],
      [{ name: null, email: "only@mail.example", url: null }],
    ],
  );
});

test("Atom link rel=via becomes via, in Atom and in RSS items", () => {
  const atom = parseText(`<feed xmlns="http://www.w3.org/2005/Atom"><title>a</title><id>f</id>
    <entry><id>e</id><title>t</title><updated>2024-01-01T00:00:00Z</updated>
    <link href="https://me.example/1"/><link rel="via" href="https://source.example/post?utm_source=x"/></entry></feed>`);
  assert.equal(atom.items[0].via, "https://source.example/post");
  assert.equal(atom.items[0].published, "2024-01-01T00:00:00.000Z", "updated stands in for published");
  const rss = parseText(`<rss version="2.0" xmlns:atom="http://www.w3.org/2005/Atom"><channel><title>a</title>
    <item><title>t</title><atom:link rel="via" href="https://source.example/"/></item></channel></rss>`);
  assert.equal(rss.items[0].via, "https://source.example/");
});

test("an HTML page is reported as such, naming the feed it links to", () => {
  rejects(
    fixture("html-page.html"),
    /^this is an HTML page, not a feed; it links to a feed at https:\/\/html\.example\/blog\/feed\.xml$/,
    {
      url: "https://html.example/",
    },
  );
  rejects("<html><body>hi</body></html>", /^this is an HTML page, not a feed$/);
  rejects("\n<!-- hi -->\n<html lang=en>", /HTML page/);
});

test("invalid XML names what is wrong and where; empty and unknown documents are refused", () => {
  rejects(fixture("invalid.xml"), /^invalid XML on line 9: <\/channel> closes <item>, which was opened on line 6$/);
  rejects(
    fixture("truncated.xml"),
    /^invalid XML on line 6: the document ends before <title> \(opened on line 6\) is closed; it may be cut off$/,
  );
  rejects("<rss><channel><!-- unclosed", /invalid XML on line 1: a comment \(<!--\) is never closed/);
  rejects("", /^the document is empty$/);
  rejects("  \n\t ", /empty/);
  rejects("just some text", /neither XML nor JSON/);
  rejects('<?xml version="1.0"?><note><to>x</to></note>', /not a feed: the root element is <note>/);
  rejects("{not json", /^invalid JSON/);
  rejects('{"title": "x", "items": []}', /JSON, but not a JSON Feed/);
  rejects('<rss version="2.0"><item><title>no channel</title></item></rss>', /not a valid RSS feed/);
});

test("NUL characters never reach the output (PostgreSQL cannot store them)", () => {
  const feed = parseText(
    '<rss version="2.0"><channel><title>a\u0000b</title><item><title>c\u0000</title><guid>g\u0000</guid></item></channel></rss>',
  );
  assert.equal(feed.title, "ab");
  assert.equal(feed.items[0].title, "c");
  assert.equal(feed.items[0].id, "g");
});

test("lenient where a feed is still readable: unescaped ampersands, <br> in raw HTML, junk after the root", () => {
  const feed = parseText(`<rss version="2.0"><channel><title>Tom & Jerry</title>
    <item><title>a</title><description>line<br>break</description></item></channel></rss>
    <!-- generated in 0.1s --> trailing junk <b>`);
  assert.equal(feed.title, "Tom & Jerry");
  assert.equal(feed.items[0].summary, "line<br>break");
});
