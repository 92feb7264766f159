/** testdata/xss.xml: every payload must come out inert (the reader's browser tests load it in Chromium too). */
import assert from "node:assert/strict";
import fs from "node:fs";
import { test } from "node:test";
import { fileURLToPath } from "node:url";
import { parseFeed } from "./parse.ts";
import { assertInert } from "./testing.ts";

const bytes = fs.readFileSync(fileURLToPath(new URL("./testdata/xss.xml", import.meta.url)));

for (const base of ["https://xss.example/feed.xml", undefined]) {
  test(`every payload in xss.xml is inert (${base ? "with" : "without"} a document URL)`, () => {
    const feed = parseFeed(bytes, { url: base });
    assert.equal(feed.items.length, 8);
    let checked = 0;
    for (const item of feed.items) {
      for (const field of ["summary", "content"] as const) {
        const html = item[field];
        if (html === null) continue;
        assertInert(html, `${item.id} ${field}`);
        // Inside tags (escaped text has no raw "<"): no handler, no script URL.
        assert.doesNotMatch(html, /<[^>]*\son[a-z]+\s*=/i, `${item.id} ${field}: handler attribute`);
        assert.doesNotMatch(
          html,
          /<[^>]*=\s*"\s*(?:javascript|vbscript|data:text)/i,
          `${item.id} ${field}: script URL`,
        );
        checked++;
      }
      for (const text of [item.title, ...item.categories, ...item.authors.map((a) => a.name ?? "")]) {
        assert.doesNotMatch(text, /[<>]/, `${item.id}: markup left in plain text ${JSON.stringify(text)}`);
      }
      for (const url of [item.link, item.comments, item.via, item.image, ...item.enclosures.map((e) => e.url)]) {
        if (url !== null) assert.match(url, /^https?:\/\//, `${item.id}: ${url}`);
      }
    }
    assert.ok(checked >= 8, "the payload fields were all there to check");
    assert.equal(feed.title, "XSS feed");
    assert.equal(feed.link, null);
    assert.equal(feed.image, null);
    assert.equal(feed.description, null);
    const urls = feed.items.find((i) => i.id === "xss-urls")!;
    assert.deepEqual(urls.enclosures, []);
    assert.equal(urls.via, null);
    assert.equal(urls.image, null);
    assert.equal(feed.items[0].link, null);
    assert.equal(feed.items[0].comments, null);
  });
}

test("what is safe in xss.xml survives: text, allowed links, YouTube and Vimeo players, inline PNG", () => {
  const feed = parseFeed(bytes, { url: "https://xss.example/feed.xml" });
  const byId = (id: string) => feed.items.find((i) => i.id === id)!;
  assert.equal(byId("xss-script").summary, "<p>before</p><p>after</p>");
  assert.match(byId("xss-handlers").content ?? "", /<div>hover me<\/div>/);
  assert.match(byId("xss-handlers").content ?? "", /<img src="https:\/\/xss\.example\/fine\.png" alt="fine"/);
  const frames = byId("xss-frames").content ?? "";
  assert.equal((frames.match(/<iframe /g) ?? []).length, 2);
  assert.match(frames, /src="https:\/\/www\.youtube\.com\/embed\/dQw4w9WgXcQ"/);
  assert.match(frames, /src="https:\/\/player\.vimeo\.com\/video\/76979871"/);
  assert.doesNotMatch(frames, /allow="/);
  assert.match(byId("xss-urls").content ?? "", /src="data:image\/png;base64,iVBORw0KGgo="/);
  assert.match(byId("xss-encoded").content ?? "", /^&lt;script&gt;alert\('entity in cdata'\)&lt;\/script&gt;/);
  assert.match(byId("xss-confusion").content ?? "", /<p>stray end tags<\/p>$/);
});
