import assert from "node:assert/strict";
import { test } from "node:test";
import { childBase, resolveLink, resolveUrl } from "./urls.ts";

test("resolveUrl makes URLs absolute and lets only http(s) through", () => {
  assert.equal(resolveUrl("../b?x=1#y", "https://a.example/dir/page"), "https://a.example/b?x=1#y");
  assert.equal(resolveUrl("//cdn.example/i.png", "http://a.example/"), "http://cdn.example/i.png");
  assert.equal(resolveUrl("  https://a.example/with space  ", null), "https://a.example/with%20space");
  assert.equal(resolveUrl("/relative", null), null);
  assert.equal(resolveUrl("javascript:alert(1)", "https://a.example/"), null);
  assert.equal(resolveUrl("mailto:x@a.example", "https://a.example/"), null);
  assert.equal(resolveUrl("", "https://a.example/"), null);
  assert.equal(resolveUrl(undefined, "https://a.example/"), null);
});

test("resolveLink also drops tracking parameters", () => {
  assert.equal(
    resolveLink("/p?utm_source=feedburner&utm_medium=feed&id=2", "https://a.example/"),
    "https://a.example/p?id=2",
  );
});

test("childBase chains xml:base values and ignores non-http ones", () => {
  assert.equal(childBase("sub/", "https://a.example/blog/"), "https://a.example/blog/sub/");
  assert.equal(childBase("https://b.example/x/", "https://a.example/"), "https://b.example/x/");
  assert.equal(childBase(undefined, "https://a.example/"), "https://a.example/");
  assert.equal(childBase("javascript:alert(1)//", "https://a.example/"), "https://a.example/");
  assert.equal(childBase("relative/", null), null);
});
