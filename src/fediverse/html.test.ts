// test lanes: sqlite only
import assert from "node:assert/strict";
import { test } from "node:test";
import { bioHtml } from "./actor.ts";
import { noteHtml } from "./inbox-items.ts";
import { deckHtml } from "./posts.ts";

test("the HTML we make for the fediverse escapes what it is given", () => {
  assert.equal(
    bioHtml("a < b && c\nnext\n\nSecond <script>"),
    "<p>a &lt; b &amp;&amp; c<br>next</p><p>Second &lt;script&gt;</p>",
  );
  assert.equal(
    deckHtml("Slides & <notes>", "/posts/deck", "https://x.example"),
    '<p>Slides &amp; &lt;notes&gt;</p><p><a href="https://x.example/posts/deck">View the slides</a></p>',
  );
  const html = noteHtml({
    html: "<p>Hi</p>",
    contentWarning: "<b>spoilers</b>",
    attachments: [{ url: 'https://i.example/a.png?"x', alt: "A <chart>", mediaType: null }],
  } as never);
  assert.equal(
    html,
    '<p><strong>Content warning: &lt;b&gt;spoilers&lt;/b&gt;</strong></p><p>Hi</p><p><a href="https://i.example/a.png?&quot;x">Image: A &lt;chart&gt;</a></p>',
  );
});
