// test lanes: sqlite only
import assert from "node:assert/strict";
import { test } from "node:test";
import { ValidationError } from "../../lib/errors.ts";
import { decodeCursor, encodeCursor } from "./cursor.ts";
import { authorNames, excerptOf, formatBytes, formatDuration, parseEnclosures } from "./format.ts";
import { inboxHref, parseInboxQuery, safeBack, withParams } from "./query.ts";
import { flattenFolders, folderAndDescendants, folderCounts } from "./tree.ts";

const folders = [
  { id: 1, name: "Tech", parent_id: null, position: 0 },
  { id: 2, name: "Web", parent_id: 1, position: 0 },
  { id: 3, name: "CSS", parent_id: 2, position: 0 },
  { id: 4, name: "Audio", parent_id: null, position: 1 },
  // A corrupt cycle must not loop forever.
  { id: 5, name: "Loop A", parent_id: 6, position: 0 },
  { id: 6, name: "Loop B", parent_id: 5, position: 0 },
];

test("folders include their sub-folders, cycles are cut", () => {
  assert.deepEqual(folderAndDescendants(folders, 1).sort(), [1, 2, 3]);
  assert.deepEqual(folderAndDescendants(folders, 3), [3]);
  assert.deepEqual(folderAndDescendants(folders, 5).sort(), [5, 6]);
  const flat = flattenFolders(folders.slice(0, 4));
  assert.deepEqual(
    flat.map((f) => `${f.depth}:${f.name}`),
    ["0:Tech", "1:Web", "2:CSS", "0:Audio"],
  );
  const counts = folderCounts(
    folders.slice(0, 4),
    [
      { id: 10, folder_id: 3 },
      { id: 11, folder_id: 1 },
      { id: 12, folder_id: null },
    ],
    new Map([
      [10, 2],
      [11, 5],
      [12, 7],
    ]),
  );
  assert.equal(counts.get(1), 7);
  assert.equal(counts.get(2), 2);
  assert.equal(counts.get(4), 0);
});

test("cursors round-trip and malformed ones are a 400 naming the parameter", () => {
  const c = { read: 1, date: "2026-01-01T10:00:00.000Z", id: 42 };
  assert.deepEqual(decodeCursor(encodeCursor(c)), c);
  for (const bad of ["", "abc", "x".repeat(500), Buffer.from("2|x|1").toString("base64url"), "a b"]) {
    assert.throws(
      () => decodeCursor(bad),
      (e) => e instanceof ValidationError && e.field === "after",
    );
  }
});

test("inbox query: views, folder or source, hrefs and safe back paths", () => {
  const q = parseInboxQuery((k) => ({ show: "unread", folder: "3" })[k]);
  assert.deepEqual(q, { view: "unread", folderId: 3 });
  assert.equal(inboxHref(q), "/admin/reader?show=unread&folder=3");
  assert.equal(inboxHref({ view: "all" }), "/admin/reader");
  assert.throws(
    () => parseInboxQuery((k) => ({ show: "everything" })[k]),
    /“show” must be one of all, unread, starred/,
  );
  assert.throws(() => parseInboxQuery((k) => ({ folder: "x" })[k]), /folder.*must be a number/);
  assert.throws(() => parseInboxQuery((k) => ({ folder: "1", source: "2" })[k]), /not both/);
  assert.equal(safeBack("/admin/reader?show=unread#item-3", "/x"), "/admin/reader?show=unread#item-3");
  assert.equal(safeBack("/admin/reader#item-3", "/x"), "/admin/reader#item-3");
  assert.equal(safeBack("https://evil.example/", "/x"), "/x");
  assert.equal(safeBack("//evil.example/admin/reader", "/x"), "/x");
  assert.equal(safeBack("/admin/readerx", "/x"), "/x");
  assert.equal(safeBack("/admin/posts", "/x"), "/x");
  assert.equal(
    withParams("/admin/reader?show=unread#item-3", { msg: "read" }),
    "/admin/reader?show=unread&msg=read#item-3",
  );
});

test("enclosures get a media kind; only http(s) URLs survive", () => {
  const list = parseEnclosures(
    JSON.stringify([
      { url: "https://cdn.example/ep1.mp3", type: "audio/mpeg", length: 24_000_000 },
      { url: "https://cdn.example/ep1.m4a", type: null, length: null },
      { url: "https://cdn.example/clip", type: "video/mp4", length: 0 },
      { url: "https://cdn.example/cover.jpg", type: "", length: null },
      { url: "https://cdn.example/notes.pdf", type: "application/pdf", length: 1000 },
      { url: "javascript:alert(1)", type: "audio/mpeg", length: 1 },
      { url: "data:audio/mpeg;base64,AAAA", type: "audio/mpeg", length: 1 },
      "nonsense",
    ]),
  );
  assert.deepEqual(
    list.map((e) => e.kind),
    ["audio", "audio", "video", "image", "file"],
  );
  assert.deepEqual(parseEnclosures("not json"), []);
  assert.equal(formatDuration(2520), "42 min");
  assert.equal(formatDuration(3900), "1 h 05 min");
  assert.equal(formatDuration(45), "45 s");
  assert.equal(formatDuration(null), "");
  assert.equal(formatBytes(24_000_000), "23 MB");
  assert.equal(formatBytes(1500), "1.5 KB");
  assert.equal(authorNames(JSON.stringify([{ name: "Ada" }, { email: "b@example.com" }, {}])), "Ada, b@example.com");
  assert.equal(authorNames("oops"), "");
  assert.equal(excerptOf("Title Title body text here", "Title"), "Title body text here");
  assert.match(excerptOf(`Head ${"word ".repeat(100)}`, "Head", 50), /^word( word)+…$/);
});
