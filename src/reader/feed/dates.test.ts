import assert from "node:assert/strict";
import { test } from "node:test";
import { parseDate } from "./dates.ts";

const cases: [string, string | null][] = [
  // RFC 822 / 2822
  ["Mon, 05 Jan 2024 10:00:00 GMT", "2024-01-05T10:00:00.000Z"],
  ["Mon, 05 Jan 2024 10:00:00 +0200", "2024-01-05T08:00:00.000Z"],
  ["Mon, 05 Jan 2024 10:00:00 -0530", "2024-01-05T15:30:00.000Z"],
  ["Mon, 05 Jan 2024 10:00:00 Z", "2024-01-05T10:00:00.000Z"],
  ["Mon, 05 Jan 2024 10:00:00 UT", "2024-01-05T10:00:00.000Z"],
  ["Fri, 05 Jan 2024 10:00 EST", "2024-01-05T15:00:00.000Z"],
  ["Fri, 05 Jul 2024 10:00:00 PDT", "2024-07-05T17:00:00.000Z"],
  ["Fri, 05 Jan 2024 10:00:00 CET", "2024-01-05T09:00:00.000Z"],
  ["Fri, 05 Jan 2024 10:00:00 A", "2024-01-05T10:00:00.000Z"],
  // RFC 3339 / ISO 8601
  ["2024-01-05T10:00:00Z", "2024-01-05T10:00:00.000Z"],
  ["2024-01-05T10:00:00.123456+05:30", "2024-01-05T04:30:00.123Z"],
  ["2024-01-05t10:00:00-0800", "2024-01-05T18:00:00.000Z"],
  ["2024-01-05", "2024-01-05T00:00:00.000Z"],
  // Broken forms feeds really use
  ["Mon, 05 Jan 2024 10:00:00", "2024-01-05T10:00:00.000Z"],
  ["Fri, 05 Jan 24 10:00:00 GMT", "2024-01-05T10:00:00.000Z"],
  ["Sat, 05 Jan 99 10:00:00 GMT", "1999-01-05T10:00:00.000Z"],
  ["Sun, 05 Jan 2024 10:00:00 GMT", "2024-01-05T10:00:00.000Z"],
  ["2024-01-05 10:00:00", "2024-01-05T10:00:00.000Z"],
  ["2024/1/5 9:05", "2024-01-05T09:05:00.000Z"],
  ["Mon, 5 Jan 2024", "2024-01-05T00:00:00.000Z"],
  ["5 January 2024 9:5:3 +0100", "2024-01-05T08:05:03.000Z"],
  ["Mon, 05 Jan 2024 10:00:00 GMT (Central European)", "2024-01-05T10:00:00.000Z"],
  ["2024-01-05T10:00:00Z garbage", "2024-01-05T10:00:00.000Z"],
  ["Fri Jan 05 2024 10:00:00 GMT+0100 (Central European Standard Time)", "2024-01-05T09:00:00.000Z"],
  ["January 5, 2024 3:04 pm", "2024-01-05T15:04:00.000Z"],
  ["Thursday, 04-Jan-24 10:00:00 GMT", "2024-01-04T10:00:00.000Z"],
  ["  Mon,  05   Jan 2024   10:00:00   GMT ", "2024-01-05T10:00:00.000Z"],
  ["2024-02-29T00:00:00Z", "2024-02-29T00:00:00.000Z"],
  // Unreadable or impossible: null, never an invalid date
  ["", null],
  ["   ", null],
  ["sometime last week", null],
  ["Wed, 31 Apr 2024 10:00:00 GMT", null],
  ["2023-02-29T00:00:00Z", null],
  ["2024-13-05T10:00:00Z", null],
  ["Mon, 05 Jan 2024 25:00:00 GMT", null],
  ["0001-01-01T00:00:00Z", null],
  ["Mon, 05 Foo 2024 10:00:00 GMT", null],
];

test("dates in RFC 822, RFC 3339 and broken forms become ISO 8601 UTC or null", () => {
  for (const [input, expected] of cases) assert.equal(parseDate(input), expected, JSON.stringify(input));
});

test("null, undefined and Date values", () => {
  assert.equal(parseDate(null), null);
  assert.equal(parseDate(undefined), null);
  assert.equal(parseDate(new Date("2024-01-05T10:00:00Z")), "2024-01-05T10:00:00.000Z");
  assert.equal(parseDate(new Date(Number.NaN)), null);
});

test("whatever the input, the result is a valid ISO string or null", () => {
  const junk = ["Mon", "12:00", "2024", "99 99 99", "Feb 30 2024", "-1-1-1", "1e9", "NaN", "2024-01-05T10:00:00+99:00"];
  for (const s of junk) {
    const d = parseDate(s);
    if (d !== null) assert.equal(new Date(d).toISOString(), d, s);
  }
});
