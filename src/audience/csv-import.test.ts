import assert from "node:assert/strict";
import fs from "node:fs";
import { test } from "node:test";
import { parseSubscriberCsv } from "./csv-import.ts";

const fixture = (name: string) => fs.readFileSync(new URL(`./testdata/${name}`, import.meta.url), "utf8");

test("Substack export: addresses lower-cased, created_at as the consent time, email_disabled skipped", () => {
  const p = parseSubscriberCsv(fixture("substack-emails.csv"));
  assert.equal(p.format, "substack");
  assert.equal(p.total, 4);
  assert.deepEqual(
    p.rows.map((r) => [r.line, r.email, r.confirmedAt]),
    [
      [2, "reader.one@example.com", "2024-08-27T15:06:27.713Z"],
      [3, "reader.two@example.org", "2025-01-05T23:26:30.536Z"],
      [5, "paid.reader@example.com", "2024-12-11T02:25:36.560Z"],
    ],
  );
  assert.deepEqual(p.notSubscribed, [{ line: 4, email: "muted@example.net", reason: "emails disabled in Substack" }]);
  assert.deepEqual(p.bad, []);
});

test("Mailchimp export with a BOM and CRLF: first and last name joined, CONFIRM_TIME (UTC) before OPTIN_TIME", () => {
  const text = fixture("mailchimp-subscribed.csv");
  assert.equal(text.charCodeAt(0), 0xfeff, "the fixture starts with a BOM");
  assert.match(text, /\r\n/);
  const p = parseSubscriberCsv(text);
  assert.equal(p.format, "mailchimp");
  assert.deepEqual(
    p.rows.map((r) => [r.email, r.name, r.confirmedAt]),
    [
      ["ada@example.com", "Ada Lovelace", "2023-04-21T11:17:30.000Z"],
      ["grace@example.org", "Grace Hopper", "2018-02-12T10:55:00.000Z"],
      ["linus@example.net", "Linus", "2020-12-25T13:35:34.000Z"],
    ],
  );
});

test("Mailchimp's unsubscribed and cleaned files are not imported", () => {
  const p = parseSubscriberCsv(
    "Email Address,First Name,OPTIN_TIME,CONFIRM_TIME,UNSUB_TIME,CLEAN_TIME\n" +
      "u1@example.com,U,2018-02-12 10:54:27,2018-02-12 10:54:27,2018-07-23 12:19:27,\n" +
      "c1@example.com,C,2018-02-12 10:54:27,2018-02-12 10:54:27,,2019-01-01 00:00:00\n",
  );
  assert.equal(p.rows.length, 0);
  assert.deepEqual(
    p.notSubscribed.map((n) => [n.email, n.reason]),
    [
      ["u1@example.com", "unsubscribed in Mailchimp (2018-07-23 12:19:27)"],
      ["c1@example.com", "cleaned by Mailchimp (the address bounced, 2019-01-01 00:00:00)"],
    ],
  );
});

test("Ghost members export: quoted names with commas; subscribed_to_emails=false skipped", () => {
  const p = parseSubscriberCsv(fixture("ghost-members.csv"));
  assert.equal(p.format, "ghost");
  assert.deepEqual(
    p.rows.map((r) => [r.email, r.name, r.confirmedAt]),
    [
      ["dana@example.com", "Dana Scully", "2025-01-01T00:00:00.000Z"],
      ["fox@example.com", "Mulder, Fox", "2025-02-03T12:30:00.000Z"],
    ],
  );
  assert.deepEqual(p.notSubscribed, [
    { line: 4, email: "walter@example.com", reason: "not subscribed to emails in Ghost" },
  ]);
});

test("a plain file: headers in any case, bad rows with line and reason, duplicates reported", () => {
  const p = parseSubscriberCsv(fixture("bad-rows.csv"));
  assert.equal(p.format, "plain");
  assert.deepEqual(
    p.rows.map((r) => [r.line, r.email, r.name, r.confirmedAt]),
    [
      [2, "good.one@example.com", "Good One", null],
      [5, "good.two@example.com", "Good Two", null],
    ],
  );
  assert.deepEqual(p.bad, [
    { line: 3, reason: '"not-an-address" is not an email address' },
    { line: 4, reason: "no email address" },
  ]);
  assert.deepEqual(p.duplicates, [
    { line: 6, email: "good.one@example.com", reason: "good.one@example.com is already on line 2" },
  ]);
});

test("a list of addresses without a header line, blank lines skipped; a bad date is a bad row", () => {
  const p = parseSubscriberCsv("a@example.com,Ann\r\n\r\nb@example.com\r\n");
  assert.deepEqual(
    p.rows.map((r) => [r.line, r.email, r.name]),
    [
      [1, "a@example.com", "Ann"],
      [3, "b@example.com", ""],
    ],
  );
  const d = parseSubscriberCsv("email,created_at\nx@example.com,yesterday\n");
  assert.deepEqual(d.bad, [{ line: 2, reason: 'created_at "yesterday" is not a date' }]);
});

test("our own export reads back: only confirmed rows, formula protection taken off", () => {
  const p = parseSubscriberCsv(
    "email,name,status,source,requested_at,confirmed_at\r\n" +
      "a@example.com,'=Ann,confirmed,form,2026-01-01T00:00:00.000Z,2026-01-01T00:05:00.000Z\r\n" +
      "b@example.com,,unsubscribed,form,2026-01-01T00:00:00.000Z,\r\n",
  );
  assert.equal(p.format, "liner");
  assert.deepEqual(
    p.rows.map((r) => [r.email, r.name, r.confirmedAt]),
    [["a@example.com", "=Ann", "2026-01-01T00:05:00.000Z"]],
  );
  assert.deepEqual(p.notSubscribed, [{ line: 3, email: "b@example.com", reason: "unsubscribed in the file" }]);
});

test("files we cannot use are refused with a message that says why", () => {
  assert.throws(() => parseSubscriberCsv(""), /The file is empty/);
  assert.throws(() => parseSubscriberCsv("first,last\nAnn,Lee\n"), /no email column.*"first", "last"/);
  assert.throws(() => parseSubscriberCsv('email\n"a@example.com\n'), /not a CSV file we can read/);
});
