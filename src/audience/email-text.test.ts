import assert from "node:assert/strict";
import { test } from "node:test";
import { emailText } from "./email-text.ts";

test("emailText keeps link addresses, image alt text, lists, tables and paragraphs", () => {
  const html = `<h2>Start here</h2><p>Read <a href="/guide">the guide</a> and see the table at <a href="https://x.example/t">https://x.example/t</a>, from <em>home</em>.</p>
<p><img src="/m/a.webp" alt="A chart &amp; a key"></p><ul><li>one</li><li><strong>two</strong></li></ul>
<table><tr><th>a</th><th>b</th></tr><tr><td>1</td><td>2</td></tr></table><pre><code>x &lt; y</code></pre>`;
  assert.equal(
    emailText(html, "https://site.example"),
    "Start here\n\nRead the guide (https://site.example/guide) and see the table at https://x.example/t, from home.\n\n[image: A chart & a key]\n\n- one\n- two\n\na | b\n1 | 2\n\nx < y",
  );
});
