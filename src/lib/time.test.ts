import assert from "node:assert/strict";
import { test } from "node:test";
import { fromLocalInput, parseDay, toLocalInput } from "./time.ts";

test("fromLocalInput reads a wall-clock time in a zone, across a DST change", () => {
  assert.equal(fromLocalInput("2026-03-01T12:00", "Europe/Berlin")?.toISOString(), "2026-03-01T11:00:00.000Z");
  assert.equal(fromLocalInput("2026-07-01T12:00", "Europe/Berlin")?.toISOString(), "2026-07-01T10:00:00.000Z");
  assert.equal(toLocalInput("2026-07-01T10:00:00.000Z", "Europe/Berlin"), "2026-07-01T12:00");
});

test("impossible dates and times are refused, not rolled over into the next day or month", () => {
  for (const bad of [
    "2027-02-30T10:00",
    "2026-04-31T09:00",
    "2026-13-01T10:00",
    "2026-03-01T24:00",
    "2026-03-01T10:60",
    "yesterday",
  ]) {
    assert.equal(fromLocalInput(bad, "UTC"), null, bad);
  }
  assert.equal(
    fromLocalInput("2028-02-29T10:00", "UTC")?.toISOString(),
    "2028-02-29T10:00:00.000Z",
    "a leap day is real",
  );
  assert.equal(parseDay("2026-02-30"), null);
  assert.equal(parseDay("2026-2-3"), null);
  assert.equal(parseDay("2028-02-29")?.toISOString(), "2028-02-29T00:00:00.000Z");
});
