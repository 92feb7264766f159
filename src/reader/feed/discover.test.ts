import assert from "node:assert/strict";
import fs from "node:fs";
import { test } from "node:test";
import { fileURLToPath } from "node:url";
import { COMMON_FEED_PATHS, commonFeedUrls, findFeedLinks } from "./discover.ts";

const page = fs.readFileSync(fileURLToPath(new URL("./testdata/html-page.html", import.meta.url)), "utf8");

test("finds announced feeds in document order, resolved against <base href>, without REST API links", () => {
  assert.deepEqual(findFeedLinks(page, "https://html.example/"), [
    { url: "https://html.example/blog/feed.xml", title: "Posts (RSS)", type: "application/rss+xml" },
    { url: "https://html.example/atom.xml", title: "Posts & notes (Atom)", type: "application/atom+xml" },
    { url: "https://html.example/blog/feed.json", title: null, type: "application/feed+json" },
  ]);
});

test("resolves against the page URL without <base>; attribute order, quoting and case do not matter", () => {
  const html = `<head>
    <LINK TYPE='application/rss+xml' REL='alternate' HREF='rss.xml'>
    <link rel=alternate type=application/atom+xml href=/atom.xml title="A">
    <link rel="alternate feed" type="application/rdf+xml; charset=utf-8" href="https://other.example/index.rdf">
    <link rel="alternate" type="application/json" href="/feed.json">
    <link rel="alternate" type="text/html" hreflang="fr" href="/fr/">
    <link rel="stylesheet" type="application/rss+xml" href="/not-a-feed.xml">
    <link rel="alternate" type="application/rss+xml" href="javascript:alert(1)">
    <link rel="alternate" type="application/rss+xml" href="rss.xml">
  </head>`;
  assert.deepEqual(findFeedLinks(html, "https://site.example/blog/post"), [
    { url: "https://site.example/blog/rss.xml", title: null, type: "application/rss+xml" },
    { url: "https://site.example/atom.xml", title: "A", type: "application/atom+xml" },
    { url: "https://other.example/index.rdf", title: null, type: "application/rdf+xml" },
    { url: "https://site.example/feed.json", title: null, type: "application/json" },
  ]);
});

test("a page without feed links gives none, and the common paths are offered instead", () => {
  assert.deepEqual(findFeedLinks("<html><head><title>x</title></head></html>", "https://a.example/"), []);
  for (const p of ["/feed", "/rss", "/rss.xml", "/atom.xml", "/feed.xml", "/index.xml", "/feed.json"]) {
    assert.ok(COMMON_FEED_PATHS.includes(p), p);
  }
  const urls = commonFeedUrls("https://a.example/some/page?x=1");
  assert.equal(urls[0], "https://a.example/feed");
  assert.ok(urls.every((u) => u.startsWith("https://a.example/")));
});
