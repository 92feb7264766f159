/** Classifying Webmention sources: the link check, the kind, the author and the text. */
import assert from "node:assert/strict";
import { test } from "node:test";
import { classifyMention, linksTo } from "./classify.ts";

const TARGET = "https://my.example/posts/hello";
const SOURCE = "https://them.example/2026/12/a-reply";

const entry = (props: string, extra = "") =>
  `<html><body>${extra}<article class="h-entry">${props}
<a class="u-url" href="/2026/12/a-reply">permalink</a>
<time class="dt-published" datetime="2026-12-04T10:00:00Z">4 Dec</time></article></body></html>`;

test("linksTo: an exact link to the target (relative ones resolved, fragments ignored); a similar URL is not one", () => {
  assert.equal(linksTo(`<p><a href="${TARGET}#comments">you</a></p>`, SOURCE, TARGET), true);
  assert.equal(linksTo('<a href="https://my.example/posts/hello">x</a>', SOURCE, `${TARGET}#top`), true);
  assert.equal(linksTo('<a href="/posts/hello">x</a>', "https://my.example/elsewhere", TARGET), true);
  assert.equal(linksTo(`<img src="${TARGET}">`, SOURCE, TARGET), true);
  assert.equal(linksTo('<a href="https://my.example/posts/hello-again">x</a>', SOURCE, TARGET), false);
  assert.equal(linksTo(`<!-- <a href="${TARGET}">x</a> --><p>${TARGET}</p>`, SOURCE, TARGET), false);
});

test("a reply (in-reply-to as a URL or an h-cite) with its author's h-card, text, url and date", () => {
  for (const reply of [
    `<a class="u-in-reply-to" href="${TARGET}">re</a>`,
    `<div class="u-in-reply-to h-cite"><a class="u-url p-name" href="${TARGET}">Hello</a></div>`,
  ]) {
    const m = classifyMention(
      entry(
        `${reply}<div class="p-author h-card"><img class="u-photo" src="/me.jpg" alt=""><a class="p-name u-url" href="https://them.example/">Ana Lima</a></div>
<div class="e-content">Good point about <b>caches</b>.</div>`,
      ),
      SOURCE,
      TARGET,
    );
    assert.deepEqual(m, {
      kind: "reply",
      author: { name: "Ana Lima", photo: "https://them.example/me.jpg", url: "https://them.example/" },
      text: "Good point about caches.",
      url: SOURCE,
      published: "2026-12-04T10:00:00Z",
    });
  }
});

test("likes, reposts and bookmarks of the target; a reply to another page that links to us is a mention", () => {
  const kind = (props: string) => classifyMention(entry(props), SOURCE, TARGET).kind;
  assert.equal(kind(`<a class="u-like-of" href="${TARGET}">liked</a>`), "like");
  assert.equal(kind(`<a class="u-repost-of" href="${TARGET}">reposted</a>`), "repost");
  assert.equal(kind(`<a class="u-bookmark-of" href="${TARGET}">saved</a>`), "bookmark");
  assert.equal(
    kind(
      `<a class="u-in-reply-to" href="https://other.example/p">re</a><p class="e-content">see <a href="${TARGET}">this</a></p>`,
    ),
    "mention",
  );
  assert.equal(classifyMention(`<p>Read <a href="${TARGET}">this</a></p>`, SOURCE, TARGET).kind, "mention");
});

test("authorship falls back to rel=author, then the page's h-card; with none, the url is the source's", () => {
  const byRel = classifyMention(
    entry(`<a class="u-like-of" href="${TARGET}">x</a>`, '<a rel="author" href="/about">me</a>'),
    SOURCE,
    TARGET,
  );
  assert.deepEqual(byRel.author, { url: "https://them.example/about" });
  const byCard = classifyMention(
    `<div class="h-card"><a class="p-name u-url" href="https://them.example/">Bo</a></div><p><a href="${TARGET}">x</a></p>`,
    SOURCE,
    TARGET,
  );
  assert.deepEqual(byCard, {
    kind: "mention",
    author: { name: "Bo", photo: undefined, url: "https://them.example/" },
    text: undefined,
    url: SOURCE,
    published: undefined,
  });
});
