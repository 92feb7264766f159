import assert from "node:assert/strict";
import { test } from "node:test";
import { BUSY_PERMILLE, HOLD_MS, HOLD_VIEWS, lineOf, linesOf, writeDue } from "./count-batch.ts";

test("views survive the trip as bytes: any text, tabs and newlines in a field made spaces", () => {
  const enc = new TextEncoder();
  const a = lineOf({ at: 1, peer: "192.0.2.1", ua: "Müller\tBrowser", path: "/posts/über", search: "?q=a\nb" });
  const b = lineOf({ at: 2, peer: "::1", ua: "X", path: "/", search: "", referer: "https://a.example/✓" });
  const bytes = enc.encode(a + b);
  // Split across two chunks at a line's end, as the counter does.
  const cut = enc.encode(a).length;
  assert.deepEqual(linesOf([bytes.subarray(0, cut), bytes.subarray(cut)]), [
    "1\t192.0.2.1\t\t\tMüller Browser\t/posts/über\t?q=a b\t",
    "2\t::1\t\t\tX\t/\t\thttps://a.example/✓",
  ]);
  assert.deepEqual(linesOf([]), []);
});

test("held views are written at once unless serving is busy; then up to a limit of views or time", () => {
  const now = 1_000_000;
  const calm = { views: 10, since: now, flushWanted: false, busyPermille: 100 };
  assert.equal(writeDue(calm, now), true);
  assert.equal(writeDue({ ...calm, views: 0 }, now), false, "nothing to write");
  const busy = { ...calm, busyPermille: BUSY_PERMILLE + 1 };
  assert.equal(writeDue(busy, now), false, "busy: held back");
  assert.equal(writeDue(busy, now + HOLD_MS - 1), false);
  assert.equal(writeDue(busy, now + HOLD_MS), true, "held long enough");
  assert.equal(writeDue({ ...busy, views: HOLD_VIEWS }, now), true, "held enough views");
  assert.equal(writeDue({ ...busy, flushWanted: true }, now), true, "someone waits for them");
});
