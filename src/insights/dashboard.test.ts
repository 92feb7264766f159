import assert from "node:assert/strict";
import { test } from "node:test";
import { contentOf } from "./dashboard.ts";

test("what led to an outcome: its post, else the last post read (not the form's page), else the last page", () => {
  const o = (pages: string[], slug: string | null = null, post_kind: string | null = null) => ({
    slug,
    post_kind,
    pages: JSON.stringify(pages),
    entry_path: pages[0] ?? "",
  });
  assert.equal(contentOf(o(["/", "/posts/pricing", "/work-with-me"])), "/posts/pricing");
  assert.equal(contentOf(o(["/", "/about"])), "/about");
  assert.equal(contentOf(o(["/"], "seminar", "article")), "/posts/seminar");
  assert.equal(contentOf(o(["/"], "about", "page")), "/about", "a page's path");
  assert.equal(contentOf(o([])), "(elsewhere)");
});
