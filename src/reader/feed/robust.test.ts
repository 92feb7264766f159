/**
 * Feed parsing robustness (issue 12, item 6), through parseFeed over hand-written fixtures:
 * Atom 0.3 with every content mode, nested xml:base, HTML entities decoded exactly once,
 * double-encoded descriptions, CDF, empty-but-present elements, and a "billion laughs" DTD.
 */
import assert from "node:assert/strict";
import fs from "node:fs";
import { test } from "node:test";
import { fileURLToPath } from "node:url";
import { type ParseFeedOptions, parseFeed } from "./parse.ts";

const fixture = (name: string) => fs.readFileSync(fileURLToPath(new URL(`./testdata/${name}`, import.meta.url)));
const parse = (name: string, opts: ParseFeedOptions = {}) => parseFeed(fixture(name), opts);

test("Atom 0.3: tagline, info, modified, issued, created, and content modes escaped, base64 and xml", () => {
  assert.equal(parse("atom03.xml").description, "Encore utilisé", "<tagline> is the description");
  const feed = parse("atom03-modes.xml");
  assert.equal(feed.format, "atom");
  assert.equal(feed.title, "Old Movable Type", "an escaped HTML title is decoded once, then its tags dropped");
  assert.equal(feed.description, "An Atom 0.3 feed of Old Movable Type.", "<info> stands in for a missing tagline");
  assert.equal(feed.updated, "2004-06-01T12:00:00.000Z");
  const [escaped, base64, xml] = feed.items;
  assert.equal(escaped.published, "2004-06-01T14:00:00.000Z", "<issued> wins over <created>");
  assert.equal(escaped.updated, "2004-06-01T15:00:00.000Z");
  assert.equal(escaped.content, "<p>Escaped <em>HTML</em></p>");
  assert.equal(
    base64.content,
    '<p>Decoded from <a href="https://mt.example/b64" rel="noopener noreferrer">base64</a> – ok</p>',
  );
  assert.equal(xml.published, "2004-06-03T08:00:00.000Z", "<created> when there is no <issued>");
  assert.equal(xml.content, "<p>Inline <strong>XHTML</strong></p>");
  assert.deepEqual(xml.authors, [{ name: "Mo Vable", email: null, url: null }]);
});

test("nested xml:base: each level resolves against its parent's, inside XHTML content too", () => {
  const [entry] = parse("xml-base-nested.xml", { url: "https://fetched.example/feed" }).items;
  assert.equal(entry.link, "https://nest.example/a/b/entry.html");
  const hrefs = [...(entry.content ?? "").matchAll(/(?:href|src)="([^"]+)"/g)].map((m) => m[1]);
  assert.deepEqual(hrefs, [
    "https://nest.example/a/b/c/d/e.html",
    "https://nest.example/a/b/c/f.html",
    "https://nest.example/root/g.png",
    "https://elsewhere.example/x/h",
  ]);
});

test("HTML entities in RSS titles and descriptions are decoded once, never twice", () => {
  const feed = parse("html-entities.xml");
  assert.equal(feed.title, "Ann’s Notes");
  assert.equal(feed.description, "Café & more");
  const [one, two] = feed.items;
  assert.equal(one.title, "It’s, it’s, it’s here", "a title is plain text: &nbsp; is a space");
  assert.equal(one.summary, "Don’t “quote” me\u00a0…");
  assert.equal(two.title, "Show &rsquo; literally, and <b>", "escaped references stay text");
  assert.equal(two.summary, "Write &amp;lt;p&amp;gt; to start a paragraph.");
});

test("double-encoded HTML in an RSS description is decoded once more; single-encoded and CDATA are left alone", () => {
  const [twice, once, cdata] = parse("double-encoded.xml").items;
  assert.equal(
    twice.summary,
    '<p>Hello <a href="https://double.example/world" rel="noopener noreferrer">world</a> &amp; all</p>',
  );
  assert.equal(once.summary, "<p>Once <b>bold</b> and &lt;code&gt; as text</p>");
  assert.equal(cdata.summary, "<p>In CDATA</p>");
});

test("CDF: channel, logo, items (also in sub-channels) with LASTMOD dates and abstracts", () => {
  const feed = parse("cdf.cdf", { url: "https://cdf.example/channel.cdf" });
  assert.equal(feed.format, "cdf");
  assert.equal(feed.title, "Active Desktop News");
  assert.equal(feed.description, "Headlines & stories, pushed daily");
  assert.equal(feed.link, "https://cdf.example/index.html");
  assert.equal(feed.image, "https://cdf.example/img/logo.gif");
  assert.equal(feed.updated, "1998-11-05T22:12:00.000Z");
  assert.deepEqual(
    feed.items.map((i) => [i.title, i.link, i.published]),
    [
      ["First story", "https://cdf.example/news/first.html", "1998-11-05T10:00:00.000Z"],
      ["The match", "https://cdf.example/sports/match.html", "1998-11-04T18:30:00.000Z"],
      ["", "https://other.example/page.html", null],
    ],
  );
  assert.equal(feed.items[0].summary, "<p>The first &lt;b&gt;story&lt;/b&gt;</p>", "an abstract is text");
  assert.equal(feed.items[1].summary, "<p>A &lt;close&gt; one</p>");
});

test("empty-but-present elements are kept as empty strings; absent ones stay null", () => {
  const feed = parse("empty-elements.xml");
  assert.equal(feed.description, "");
  const [empty, absent] = feed.items;
  assert.equal(empty.title, "");
  assert.equal(empty.summary, "");
  assert.equal(empty.content, "");
  assert.equal(absent.summary, null);
  assert.equal(absent.content, null);
});

test("a DOCTYPE with entity declarations is ignored: a billion-laughs document stays small and fast", () => {
  const bytes = fixture("billion-laughs.xml");
  const started = performance.now();
  const feed = parseFeed(bytes);
  const ms = performance.now() - started;
  // An expanded document would take minutes; the bound is loose so a busy CI machine never trips it.
  assert.ok(ms < 5000, `parsing took ${Math.round(ms)} ms`);
  const size = JSON.stringify(feed).length;
  assert.ok(size < 2 * bytes.length, `the parsed feed is ${size} characters from ${bytes.length} bytes`);
  assert.equal(feed.items.length, 1);
  assert.equal(feed.items[0].title, "Still one item &lol9;", "the reference is left as it is, not expanded");
  assert.doesNotMatch(JSON.stringify(feed), /lollol/);
});
