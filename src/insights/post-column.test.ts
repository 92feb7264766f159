import assert from "node:assert/strict";
import { test } from "node:test";
import { ledToCell } from "./post-column.ts";
import type { PostFigures } from "./post-figures.ts";

const figures = (sources: [string, number][], outcomes: Record<string, number> = {}): PostFigures => ({
  outcomes,
  worth: {},
  views: 10,
  visitors: sources.reduce((n, [, v]) => n + v, 0),
  entries: 1,
  deep: 0,
  forwards: 0,
  sources: sources.map(([key, visitors]) => ({ key, visitors })),
});
const text = (f: PostFigures) =>
  String(ledToCell(f))
    .replace(/<[^>]+>/g, " ")
    .replace(/\s+/g, " ")
    .trim();

test("the Led to cell: outcomes in words, then where readers came from, said only as the counts allow", () => {
  assert.equal(text(figures([])), "Nothing yet");
  assert.equal(text(figures([["mastodon", 1]])), "No outcomes 1 visitor, from mastodon");
  assert.equal(
    text(
      figures(
        [
          ["mastodon", 3],
          ["search", 1],
        ],
        { inquiry: 2 },
      ),
    ),
    "2 outcomes 2 inquiries 4 visitors, mostly from mastodon",
  );
  assert.equal(
    text(
      figures([
        ["bluesky", 1],
        ["search", 1],
      ]),
    ),
    "No outcomes 2 visitors, from bluesky and search",
  );
  assert.equal(
    text(
      figures([
        ["internal", 2],
        ["a", 1],
        ["b", 1],
      ]),
    ),
    "No outcomes 4 visitors, from your other pages, a and others",
  );
});
