// test lanes: sqlite only
import assert from "node:assert/strict";
import { test } from "node:test";
import { blueskyText, graphemes, hashtagOf, mastodonLength, mastodonText, type PostForCopy } from "./shape.ts";

const article: PostForCopy = {
  kind: "article",
  title: "Owning your words",
  summary: "Why the copy on your own site is the one that counts.",
  text: "",
  url: "https://site.example/posts/owning",
};

test("Bluesky: 300 graphemes at most, the link last, emoji and accents counted as Bluesky counts them", () => {
  assert.equal(
    blueskyText(article),
    `Owning your words\n\nWhy the copy on your own site is the one that counts.\n\n${article.url}`,
  );
  const long = { ...article, summary: "👩‍👩‍👧 café ".repeat(80) };
  const text = blueskyText(long);
  assert.ok(graphemes(text) <= 300, `${graphemes(text)} graphemes`);
  assert.ok(text.endsWith(`…\n\n${article.url}`));
  assert.equal(graphemes("👩‍👩‍👧"), 1, "a family emoji is one grapheme");
  const note = { ...article, kind: "note", title: "", summary: "", text: "A short note." };
  assert.equal(blueskyText(note), `A short note.\n\n${article.url}`);
});

test("Mastodon: the instance's limit with links as 23, themes as hashtags, dropped before the text is clipped", () => {
  assert.equal(hashtagOf("Social web"), "#SocialWeb");
  assert.equal(hashtagOf("Ça va, l'été"), "#ÇaVaLÉté");
  assert.equal(hashtagOf("—"), "");
  assert.equal(mastodonLength(`abc ${article.url}`), 4 + 23);
  const limits = { maxCharacters: 500, urlLength: 23 };
  assert.equal(
    mastodonText(article, ["Social web", "Writing"], limits),
    `Owning your words\n\nWhy the copy on your own site is the one that counts.\n\n${article.url}\n\n#SocialWeb #Writing`,
  );
  const tight = mastodonText(article, ["Social web"], { maxCharacters: 100, urlLength: 23 });
  assert.doesNotMatch(tight, /#SocialWeb/, "no room for the hashtags");
  assert.ok(mastodonLength(tight) <= 100);
  const clipped = mastodonText({ ...article, summary: "word ".repeat(200) }, [], limits);
  assert.ok(mastodonLength(clipped) <= 500, `${mastodonLength(clipped)}`);
  assert.match(clipped, /…\n\nhttps:\/\/site\.example\/posts\/owning$/);
});

test("threadParts: a short text is one part; a long one splits between sentences, numbered, each within 300", async () => {
  const { threadParts } = await import("./shape.ts");
  assert.deepEqual(threadParts("Short."), ["Short."]);
  const url = "https://site.example/posts/a-rather-long-slug-that-must-stay-whole";
  const long = `${"One idea per sentence here. ".repeat(20)}${url}`;
  const parts = threadParts(long);
  assert.ok(parts.length >= 2);
  for (const [i, p] of parts.entries()) {
    assert.ok(graphemes(p) <= 300, `part ${i + 1} is ${graphemes(p)}`);
    assert.ok(p.endsWith(` (${i + 1}/${parts.length})`));
  }
  assert.match(parts[0], /here\. \(1\/\d\)$/, "cut after a sentence");
  assert.ok(
    parts.some((p) => p.includes(url)),
    "the link is never cut",
  );
  const word = "x".repeat(700);
  assert.equal(
    threadParts(word)
      .join("")
      .replace(/ \(\d\/\d\)/g, ""),
    word,
    "a word longer than a post is cut, not lost",
  );
});
