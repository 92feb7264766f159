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
