import assert from "node:assert/strict";
import { test } from "node:test";
import { linkUrlsOfPost, targetsOf } from "./targets.ts";

test("targets: links leaving the site, a link post's bookmark and credit chain, no duplicates", () => {
  const post = {
    kind: "link",
    link_url: "https://saved.example/article",
    credits: JSON.stringify([
      { name: "A", url: "https://a.example/via" },
      { name: "B", url: "https://b.example/" },
    ]),
  };
  const html = `<p><a href="https://saved.example/article#top">again</a> <a href="/posts/x">ours</a>
<a href="https://site.example/posts/y">ours too</a> <a href="ftp://f.example/">ftp</a> <a href="https://c.example/p?q=1">c</a></p>`;
  assert.deepEqual(targetsOf(html, "https://site.example/posts/z", linkUrlsOfPost(post), ["https://site.example"]), [
    "https://saved.example/article",
    "https://a.example/via",
    "https://b.example/",
    "https://c.example/p?q=1",
  ]);
  assert.deepEqual(linkUrlsOfPost({ kind: "note", link_url: "https://x.example/", credits: "[]" }), []);
  assert.deepEqual(linkUrlsOfPost({ kind: "link", link_url: "https://x.example/", credits: "{bad" }), [
    "https://x.example/",
  ]);
});
