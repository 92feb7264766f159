import assert from "node:assert/strict";
import { test } from "node:test";
import ICAL from "ical.js";
import { escapeText, foldLine, renderCalendar } from "./ics.ts";

test("TEXT values are escaped and long lines folded at 75 octets without splitting a character", () => {
  assert.equal(escapeText("a,b;c\\d\ne"), "a\\,b\\;c\\\\d\\ne");
  assert.equal(escapeText("bell\u0007 and\ttab"), "bell and\ttab");
  const long = `SUMMARY:${"Café ".repeat(30)}`;
  const folded = foldLine(long);
  for (const line of folded.split("\r\n")) assert.ok(Buffer.byteLength(line) <= 75);
  assert.equal(folded.replace(/\r\n /g, ""), long, "unfolding gives the line back");
  assert.ok(!folded.includes("\uFFFD"));
});

test("a calendar with awkward text parses back to the same values", () => {
  const summary = "Éclairs, croissants; and \\ backslashes\nover two lines — ".repeat(3);
  const text = renderCalendar({
    method: "PUBLISH",
    name: "Events",
    stamp: "2026-05-01T10:00:00.000Z",
    events: [
      {
        uid: "event-7@example.com",
        startsAt: "2026-05-12T16:00:00.000Z",
        endsAt: "2026-05-12T17:30:00.000Z",
        timeZone: "Europe/Berlin",
        summary,
        description: "",
        location: "Room 1, Floor 2",
        url: "https://example.com/posts/x",
        updatedAt: "2026-05-01T09:00:00.000Z",
      },
    ],
  });
  assert.ok(text.endsWith("\r\n"));
  const ev = new ICAL.Event(new ICAL.Component(ICAL.parse(text)).getFirstSubcomponent("vevent") ?? undefined);
  assert.equal(ev.summary, summary);
  assert.equal(ev.location, "Room 1, Floor 2");
  assert.equal(ev.uid, "event-7@example.com");
  assert.equal(ev.startDate.toJSDate().toISOString(), "2026-05-12T16:00:00.000Z");
});
