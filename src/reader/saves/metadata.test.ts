import assert from "node:assert/strict";
import fs from "node:fs";
import { describe, test } from "node:test";
import { analyzePage, extractMetadata } from "./metadata.ts";

const fixture = (name: string) => fs.readFileSync(new URL(`./testdata/${name}`, import.meta.url), "utf8");

describe("extractMetadata", () => {
  test("OpenGraph wins over <title> and plain meta; canonical link resolved and stripped of utm_*", () => {
    const m = extractMetadata(fixture("opengraph.html"), "https://soundvision.example/features/tape-archive");
    assert.deepEqual(m, {
      title: "The Tape Archive That Saved a Scene",
      description: "How one basement of cassettes kept a city's music alive.",
      // article:author is a profile URL here, so the JSON-LD names are used.
      author: "Mara Okafor, Lee Chan",
      siteName: "Sound & Vision",
      canonicalUrl: "https://soundvision.example/features/tape-archive?page=2",
    });
  });

  test("plain pages: <title>, meta description and author; site name falls back to the host", () => {
    const m = extractMetadata(fixture("plain.html"), "https://www.ines.example/notes/slow");
    assert.deepEqual(m, {
      title: "Notes on Slow Software",
      description: "Why the tools we keep are the ones that wait for us.",
      author: "Ines Moreau",
      siteName: "ines.example",
      canonicalUrl: null,
    });
  });

  test("Twitter cards and JSON-LD @graph; broken JSON-LD blocks are skipped", () => {
    const m = extractMetadata(fixture("jsonld.html"), "https://fieldnotes.example/basics");
    assert.equal(m.title, "Field Recording Basics");
    assert.equal(m.description, "Microphones, wind and patience.");
    assert.equal(m.author, "Tomas Berg");
    assert.equal(m.siteName, "Field Notes");
    assert.equal(m.canonicalUrl, null);
  });

  test("rel=author link text and og:url as the canonical URL", () => {
    const m = extractMetadata(fixture("relauthor.html"), "https://www.zine.example/issue/7");
    assert.equal(m.title, "Issue 7");
    assert.equal(m.author, "Kai Lindqvist");
    assert.equal(m.siteName, "zine.example");
    assert.equal(m.canonicalUrl, "https://www.zine.example/issue/7");
  });

  test("non-HTML junk gives empty metadata, never throws", () => {
    const m = extractMetadata("\u0000\u0001 not html at all <<<", "https://x.example/");
    assert.equal(m.title, "");
    assert.equal(m.siteName, "x.example");
  });
});

describe("analyzePage", () => {
  test("extracts the article text without navigation, footer, scripts or styles", () => {
    const { metadata, text } = analyzePage(
      fixture("opengraph.html"),
      "https://soundvision.example/features/tape-archive",
    );
    assert.equal(metadata.title, "The Tape Archive That Saved a Scene");
    assert.match(text, /thousands of cassettes sit in labelled shoeboxes/);
    assert.match(text, /four thousand hours of music/);
    assert.match(text, /shoeboxes\. They hold/);
    assert.match(text, /fifteen years\.\n\nWhen the venue/, "paragraphs are separated");
    assert.doesNotMatch(text, /Subscribe|Cookie settings|ignored text|color: red/);
  });

  test("a short page falls back to its body text", () => {
    const { text } = analyzePage(fixture("jsonld.html"), "https://fieldnotes.example/basics");
    assert.match(text, /Bring a windscreen/);
    assert.doesNotMatch(text, /BlogPosting/);
  });
});
