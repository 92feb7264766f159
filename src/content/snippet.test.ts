import assert from "node:assert/strict";
import { test } from "node:test";
import { textSnippet } from "./snippet.ts";

test("the snippet is a window around the first match, with matches marked", () => {
  const text = `${"filler ".repeat(40)}the producers of the album credited Session musicians. ${"tail ".repeat(40)}`;
  const s = textSnippet(text, ["producer", "musician"], "[", "]", 12);
  assert.match(s, /^… /);
  assert.match(s, / …$/);
  assert.match(s, /\[producers\]/);
  assert.match(s, /\[musicians\]\./);
  assert.equal(s.replace(/^… | …$/g, "").split(" ").length, 12);
});

test("no match gives the opening words; empty text gives nothing", () => {
  assert.equal(textSnippet("one two three", ["zebra"], "[", "]", 2), "one two …");
  assert.equal(textSnippet("", ["x"], "[", "]"), "");
});

test("matches are marked by stem as the index stems them: 'notes' marks note and noted, never 'not'", () => {
  const s = textSnippet("I do not keep notes; a note noted is happiness, happy or not.", ["notes", "happy"], "[", "]");
  assert.equal(s, "I do not keep [notes]; a [note] [noted] is [happiness], [happy] or not.");
  // The last word typed may also be the start of a word.
  assert.equal(textSnippet("Columnar stores", ["colum"], "[", "]", 24, "colum"), "[Columnar] stores");
});
