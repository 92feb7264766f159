import assert from "node:assert/strict";
import { test } from "node:test";
import type { SourceItem } from "../../lib/module.ts";
import { feedItemOf, firstWords, kindItemRows } from "./kind-items.ts";

const base: SourceItem = {
  id: "https://social.example/@alice/1",
  url: "https://social.example/@alice/1",
  title: "",
  html: '<p>Hello <a href="/tags/x">#x</a> <img src=x onerror="alert(1)"><script>alert(2)</script></p>',
  authors: [{ name: "Alice", url: "https://social.example/@alice" }],
  published: "2026-03-01T10:00:00.000Z",
  updated: null,
  categories: ["x"],
  attachments: [
    { url: "https://media.example/a.png", type: "image/png" },
    { url: "javascript:alert(1)", type: null },
  ],
};

test("a note becomes a feed item: sanitized, titled by its first words, media as enclosures", () => {
  const f = feedItemOf(base);
  assert.equal(f.title, "Hello #x");
  assert.doesNotMatch(f.content ?? "", /script|onerror/);
  assert.match(f.content ?? "", /href="https:\/\/social\.example\/tags\/x"/);
  assert.deepEqual(f.enclosures, [{ url: "https://media.example/a.png", type: "image/png", length: null }]);
  assert.equal(f.dedupeKey, base.id);
  assert.equal(feedItemOf({ ...base, title: "An article" }).title, "An article");
});

test("a boost says who boosted it and whose it is, and is another item than the post", () => {
  const f = feedItemOf({ ...base, boostedBy: { name: "@bob@other.example", url: "https://other.example/@bob" } });
  assert.match(
    f.content ?? "",
    /^<p>Boosted by <a href="https:\/\/other\.example\/@bob"[^>]*>@bob@other\.example<\/a>; originally by <a href="https:\/\/social\.example\/@alice"[^>]*>Alice<\/a>\.<\/p>/,
  );
  assert.equal(f.dedupeKey, `boost:${base.id}`);
  assert.equal(f.title, "Hello #x");
});

test("rows: each id once, the made-up title not indexed twice; long text cut at a word", () => {
  const rows = kindItemRows([base, base], "2026-03-02T00:00:00.000Z");
  assert.equal(rows.length, 1);
  assert.equal(rows[0].text, "Hello #x");
  assert.equal(rows[0].fetched_at, "2026-03-02T00:00:00.000Z");
  assert.equal(firstWords(`${"word ".repeat(30)}end`), `${"word ".repeat(16).trim()}…`);
});
