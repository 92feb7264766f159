import assert from "node:assert/strict";
import { test } from "node:test";
import { createProgress, formatDuration, formatProgress } from "./progress.ts";

test("formatProgress shows count, percent, rate and ETA", () => {
  const line = formatProgress("Importing", { done: 2500, total: 10000, elapsedMs: 5000 }, 100);
  assert.match(line, /^Importing \[#{8}-{22}\] 2500\/10000 {2}25% 500\/s ETA 15s$/);
  assert.ok(line.length < 100);
  const start = formatProgress("x", { done: 0, total: 10, elapsedMs: 0 }, 80);
  assert.match(start, /0\/10 {3}0% 0\/s ETA --$/);
  // A narrow terminal drops the bar but keeps the numbers.
  assert.doesNotMatch(formatProgress("Importing", { done: 1, total: 2, elapsedMs: 1000 }, 40), /\[/);
});

test("formatDuration", () => {
  assert.equal(formatDuration(42.4), "42s");
  assert.equal(formatDuration(185), "3m05s");
  assert.equal(formatDuration(3720), "1h02m");
  assert.equal(formatDuration(Number.POSITIVE_INFINITY), "--");
});

function fakeStream(isTTY: boolean) {
  const writes: string[] = [];
  return { writes, stream: { isTTY, columns: 80, write: (s: string) => writes.push(s) } };
}

test("the bar draws on a TTY only, throttled, and erases itself", () => {
  let now = 0;
  const tty = fakeStream(true);
  const p = createProgress("Importing", 100, tty.stream, () => now);
  p.update(1);
  now = 50;
  p.update(2); // within 100 ms of the last draw: skipped
  now = 200;
  p.update(50);
  now = 210;
  p.update(100); // the last one always draws
  p.finish();
  assert.equal(tty.writes.length, 4);
  assert.match(tty.writes[1], /^\rImporting .* 50\/100 {2}50% 250\/s/);
  assert.match(tty.writes[2], /100\/100 100%/);
  assert.equal(tty.writes[3], "\r\x1b[K");

  const pipe = fakeStream(false);
  const q = createProgress("Importing", 100, pipe.stream, () => now);
  q.update(50);
  q.update(100);
  q.finish();
  assert.deepEqual(pipe.writes, []);
});
