/**
 * Endpoint discovery against the cases of webmention.rocks' discovery tests 1-23 (written here
 * from their public descriptions: no network), plus the Link header parser on its own.
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import { discoverEndpoint, parseLinkHeader } from "./discover.ts";

const PAGE = "https://example.com/test/1?x=y";
const page = (body: string, head = "") =>
  `<!doctype html><html><head><title>t</title>${head}</head><body>${body}</body></html>`;

/** [case, Link header, HTML, expected endpoint] */
const cases: [string, string | null, string | null, string | undefined][] = [
  [
    "1 Link header, unquoted rel, relative URL",
    "</test/1/webmention?head=true>; rel=webmention",
    page(""),
    "https://example.com/test/1/webmention?head=true",
  ],
  [
    "2 Link header, unquoted rel, absolute URL",
    "<https://wm.example.net/ep>; rel=webmention",
    null,
    "https://wm.example.net/ep",
  ],
  [
    "3 <link>, relative URL",
    null,
    page("", '<link rel="webmention" href="/test/3/webmention">'),
    "https://example.com/test/3/webmention",
  ],
  [
    "4 <link>, absolute URL",
    null,
    page("", '<link rel="webmention" href="https://example.com/test/4/webmention">'),
    "https://example.com/test/4/webmention",
  ],
  [
    "5 <a>, relative URL",
    null,
    page('<a rel="webmention" href="/test/5/webmention">e</a>'),
    "https://example.com/test/5/webmention",
  ],
  [
    "6 <a>, absolute URL",
    null,
    page('<a rel="webmention" href="https://example.com/test/6/webmention">e</a>'),
    "https://example.com/test/6/webmention",
  ],
  [
    "7 header name and rel in strange casing",
    "</test/7/webmention>; REL=WebMention",
    page(""),
    "https://example.com/test/7/webmention",
  ],
  [
    "8 Link header, quoted rel",
    '</test/8/webmention>; rel="webmention"',
    page(""),
    "https://example.com/test/8/webmention",
  ],
  [
    "9 several rel values on <link>",
    null,
    page("", '<link rel="webmention somethingelse" href="/test/9/webmention">'),
    "https://example.com/test/9/webmention",
  ],
  [
    "10 several rel values in the Link header",
    '</test/10/webmention>; rel="webmention somethingelse"',
    page(""),
    "https://example.com/test/10/webmention",
  ],
  [
    "11 header, <link> and <a>: the header wins",
    "</test/11/webmention>; rel=webmention",
    page('<a rel="webmention" href="/test/11/a">e</a>', '<link rel="webmention" href="/test/11/link">'),
    "https://example.com/test/11/webmention",
  ],
  [
    "12 rel=not-webmention is not webmention",
    null,
    page('<link rel="not-webmention" href="/test/12/error"><a rel="webmention" href="/test/12/webmention">e</a>'),
    "https://example.com/test/12/webmention",
  ],
  [
    "13 an endpoint inside an HTML comment is ignored",
    null,
    page(
      '<!-- <a rel="webmention" href="/test/13/error">e</a> --><a rel="webmention" href="/test/13/webmention">e</a>',
    ),
    "https://example.com/test/13/webmention",
  ],
  [
    "14 an endpoint in escaped HTML is ignored",
    null,
    page(
      '<code>&lt;a rel="webmention" href="/test/14/error"&gt;&lt;/a&gt;</code><a rel="webmention" href="/test/14/webmention">e</a>',
    ),
    "https://example.com/test/14/webmention",
  ],
  ["15 an empty href is the page itself", null, page('<link rel="webmention" href="">'), PAGE],
  [
    "16 <a> before <link>: the first in the document",
    null,
    page('<a rel="webmention" href="/test/16/webmention">e</a><link rel="webmention" href="/test/16/error">'),
    "https://example.com/test/16/webmention",
  ],
  [
    "17 <link> before <a>: the first in the document",
    null,
    page('<link rel="webmention" href="/test/17/webmention"><a rel="webmention" href="/test/17/error">e</a>'),
    "https://example.com/test/17/webmention",
  ],
  [
    "18 several Link headers (joined)",
    '</test/18/error>; rel="other", </test/18/webmention>; rel="webmention"',
    null,
    "https://example.com/test/18/webmention",
  ],
  [
    "19 one Link header with several links",
    '<https://example.com/test/19/error>; rel="other", </test/19/webmention>; rel=webmention',
    null,
    "https://example.com/test/19/webmention",
  ],
  [
    "20 a <link> with no href is skipped",
    null,
    page('<link rel="webmention"><a rel="webmention" href="/test/20/webmention">e</a>'),
    "https://example.com/test/20/webmention",
  ],
  [
    "21 the endpoint's query string is kept",
    null,
    page('<link rel="webmention" href="/test/21/webmention?query=yes">'),
    "https://example.com/test/21/webmention?query=yes",
  ],
  [
    "22 relative to the page's path",
    null,
    page('<link rel="webmention" href="22/webmention">'),
    "https://example.com/test/22/webmention",
  ],
  ["none advertised", '</other>; rel="alternate"', page('<a href="/x">x</a>'), undefined],
  ["a non-http endpoint is no endpoint", null, page('<link rel="webmention" href="javascript:alert(1)">'), undefined],
];

for (const [name, header, html, expected] of cases) {
  test(`discovery ${name}`, () => {
    assert.equal(discoverEndpoint(PAGE, header, html), expected);
  });
}

test("discovery 23: a relative endpoint resolves against the URL after redirects", () => {
  const final = "https://example.com/test/23/page/redirected";
  assert.equal(
    discoverEndpoint(final, null, page('<link rel="webmention" href="webmention-endpoint">')),
    "https://example.com/test/23/page/webmention-endpoint",
  );
});

test("parseLinkHeader: commas and semicolons inside quotes or <…> do not split, other params are skipped", () => {
  assert.deepEqual(parseLinkHeader('<https://a.example/x,y>; title="a, b; c"; rel="webmention next", <b>;rel=prev'), [
    { href: "https://a.example/x,y", rels: ["webmention", "next"] },
    { href: "b", rels: ["prev"] },
  ]);
  assert.deepEqual(parseLinkHeader(""), []);
  assert.deepEqual(parseLinkHeader("garbage"), []);
});
