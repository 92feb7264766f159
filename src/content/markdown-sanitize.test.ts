/**
 * The allowlist for authors' Markdown (authors are not fully trusted with raw HTML): exact output
 * for event handlers, inline styles, script URLs, frames, forms and SVG, so that loosening the
 * allowlist fails here rather than relying on the Content-Security-Policy (issue 13).
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import { renderMarkdown } from "./markdown.ts";

const cases: [string, string][] = [
  ['<p onclick="alert(1)">x</p>', "<p>x</p>"],
  ['<img src="x.png" onerror="alert(1)" alt="a">', '<img loading="lazy" src="x.png" alt="a" />'],
  ['<a href="javascript:alert(1)">j</a>', "<p><a>j</a></p>\n"],
  ['<a href="JaVaScRiPt:alert(1)" onmouseover="x()">j</a>', "<p><a>j</a></p>\n"],
  ['<a href="data:text/html,&lt;script&gt;">d</a>', "<p><a>d</a></p>\n"],
  ['<p style="color:red;background:url(javascript:x)">s</p>', "<p>s</p>"],
  ['<iframe src="https://e.example"></iframe>', ""],
  ['<form action="/x"><input name="a"><button formaction="/y">b</button></form>', "b"],
  ['<svg onload="alert(1)"><circle/></svg>', "<p></p>\n"],
  ["<script>alert(1)</script>", ""],
  ['<object data="x.swf"></object><embed src="x.swf">', "<p></p>\n"],
  ['<math><mi xlink:href="javascript:x">m</mi></math>', "<p>m</p>\n"],
];

for (const [input, expected] of cases) {
  test(`author HTML ${input.slice(0, 40)} → ${JSON.stringify(expected)}`, () => {
    assert.equal(renderMarkdown(input).html, expected);
  });
}
