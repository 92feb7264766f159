/**
 * The allowlist for authors' Markdown (authors are not fully trusted with raw HTML): exact output
 * for event handlers, inline styles, script and data: URLs, frames, forms, SVG and ids (prefixed
 * against DOM clobbering), so that loosening the allowlist fails here rather than relying on the
 * Content-Security-Policy (issue 13).
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import { renderMarkdown, rewritePostHtml } from "./markdown.ts";

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
  // data: URLs nowhere, images included.
  ["![px](data:image/png;base64,iVBORw0KGgo=)", '<p><img loading="lazy" alt="px" /></p>\n'],
  ['<img src="data:image/svg+xml,&lt;svg onload=alert(1)&gt;" alt="s">', '<img loading="lazy" alt="s" />'],
  [
    '<img srcset="data:image/png;base64,AA 1x, /b.png 2x" src="/a.png">',
    '<img loading="lazy" srcset="/b.png 2x" src="/a.png" />',
  ],
  ['<video poster="data:image/png;base64,AA" src="/v.mp4"></video>', '<p><video src="/v.mp4"></video></p>\n'],
  // DOM clobbering: ids are prefixed (names are not kept at all), and same-page links follow them.
  [
    '<img id="cookie" name="currentScript" src="a.png"><div id="__proto__">p</div>',
    '<p><img loading="lazy" id="user-content-cookie" src="a.png" /></p><div id="user-content-__proto__">p</div><p></p>\n',
  ],
  [
    '<h2 id="notes">Notes</h2>\n\nSee [the notes](#notes), [top](#top) and [the form](#subscribe).',
    '<h2 id="user-content-notes">Notes</h2>\n<p>See <a href="#user-content-notes">the notes</a>, <a href="#top">top</a> and <a href="#subscribe">the form</a>.</p>\n',
  ],
  [
    '<a href="#caf%C3%A9">first</a>\n\n<p id="café">later</p>',
    '<p><a href="#user-content-caf%C3%A9">first</a></p>\n<p id="user-content-café">later</p>',
  ],
  ['<p id="">empty</p>', "<p>empty</p>"],
];

for (const [input, expected] of cases) {
  test(`author HTML ${input.slice(0, 40)} → ${JSON.stringify(expected)}`, () => {
    assert.equal(renderMarkdown(input).html, expected);
  });
}

test("stored post HTML written out again (emails) keeps its prefixed ids as they are", () => {
  const stored = renderMarkdown('<h2 id="n">N</h2>\n\n[to N](#n)').html;
  assert.equal(
    rewritePostHtml(stored, (_tag, attrs) => attrs),
    '<h2 id="user-content-n">N</h2>\n<p><a href="#user-content-n">to N</a></p>\n',
  );
});
