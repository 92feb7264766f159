/**
 * Test support: check that sanitized HTML is inert the way a browser would read it, by parsing it
 * with a real HTML parser (linkedom) and walking every element. Used by the sanitizer and feed
 * tests; the XSS fixture (testdata/xss.xml) is also loaded in Chromium by the reader's browser tests.
 */
import assert from "node:assert/strict";
import { parseHTML } from "linkedom";

const ALLOWED = new Set(
  (
    "a abbr b bdi bdo blockquote br caption cite code col colgroup dd del details dfn div dl dt em figcaption " +
    "figure h1 h2 h3 h4 h5 h6 hr i iframe img ins kbd li mark ol p picture pre q rp rt ruby s samp small source " +
    "span strong sub summary sup table tbody td tfoot th thead time tr u ul var wbr audio video"
  ).split(" "),
);
const URL_ATTRS = new Set(["href", "src", "cite", "poster", "action", "formaction", "srcset", "data", "xlink:href"]);

/** Every URL in an attribute value (srcset lists several). */
function urlsOf(name: string, value: string): string[] {
  if (name !== "srcset") return [value];
  return value.split(",").map((c) => c.trim().split(/\s+/)[0]);
}

/**
 * Assert that `html` holds only allowlisted elements, no event handler or style attribute, no
 * URL other than http(s), mailto (links) and non-SVG data: images, and iframes only to YouTube or
 * Vimeo players with a sandbox. `where` names the field in failure messages.
 */
export function assertInert(html: string, where = "html"): void {
  const { document } = parseHTML(`<!doctype html><html><body><div id="root">${html}</div></body></html>`);
  const root = document.getElementById("root");
  assert.ok(root, `${where}: the HTML broke out of its container`);
  assert.equal(document.body.childNodes.length, 1, `${where}: the HTML closed its container early`);
  for (const el of root.querySelectorAll("*")) {
    const tag = el.localName;
    assert.ok(ALLOWED.has(tag), `${where}: <${tag}> is not allowed: ${html.slice(0, 300)}`);
    assert.equal(el.namespaceURI, "http://www.w3.org/1999/xhtml", `${where}: foreign element <${tag}>`);
    for (const { name, value } of el.attributes) {
      assert.ok(!/^on/i.test(name), `${where}: <${tag} ${name}> event handler survived`);
      assert.notEqual(name, "style", `${where}: style attribute survived`);
      if (!URL_ATTRS.has(name)) continue;
      for (const url of urlsOf(name, value)) {
        const ok =
          /^https?:\/\//i.test(url) ||
          (tag === "a" && /^mailto:/i.test(url)) ||
          (tag === "img" && /^data:image\/(?!svg)/i.test(url));
        assert.ok(ok, `${where}: <${tag} ${name}="${url}"> is not an allowed URL`);
      }
    }
    if (tag === "iframe") {
      assert.match(
        el.getAttribute("src") ?? "",
        /^https:\/\/(?:(?:www\.)?youtube(?:-nocookie)?\.com\/embed\/|player\.vimeo\.com\/video\/)/,
      );
      assert.equal(el.getAttribute("sandbox"), "allow-scripts allow-same-origin allow-presentation");
      assert.equal(el.childNodes.length, 0, `${where}: iframe with content`);
    }
  }
  assert.doesNotMatch(html, /<(?:script|style|svg|math|iframe(?![^>]*sandbox))/i, `${where}: raw payload in output`);
}
