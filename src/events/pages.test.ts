import assert from "node:assert/strict";
import { afterEach, beforeEach, test } from "node:test";
import { parse as parseCsv } from "csv-parse/sync";
import ICAL from "ical.js";
import type { KyselyPlugin } from "kysely";
import { signIn } from "../auth/testing.ts";
import { setTimeZone } from "../lib/settings/time-zone.ts";
import { eventStore } from "./store.ts";
import { type EventsWorld, eventsWorld, makeEvent, registerVia } from "./testing.ts";

let w: EventsWorld;
beforeEach(async () => {
  w = await eventsWorld();
});
afterEach(async () => w.close());

/** The JSON-LD blocks of a page. */
const jsonLdOf = (page: string) =>
  [...page.matchAll(/<script type="application\/ld\+json">(.*?)<\/script>/gs)].map((m) => JSON.parse(m[1]));

test("the event page is an h-event with a schema.org Event, in the event's zone", async () => {
  await makeEvent(w, { slug: "workshop" });
  const res = await w.app.request("/posts/workshop");
  assert.equal(res.status, 200);
  const page = await res.text();
  assert.match(page, /class="h-event/);
  // The header leads with the event's date, not the date it was announced.
  const meta = /<header class="post-header wrap">[\s\S]*?<p class="meta">(.*?)<\/p>/.exec(page)?.[1] ?? "";
  assert.match(meta, /^<span class="event-when">Tuesday, May 12, 2026, 6:00/);
  assert.doesNotMatch(meta, /<time/, "no publication date in the header");
  assert.doesNotMatch(page, /meet\.example\.com/, "the online link is for registered guests only");
  assert.equal(
    jsonLdOf(page).find((d) => d["@type"] === "Event")?.location[1].url,
    "http://127.0.0.1:4321/posts/workshop#register",
  );
  assert.match(page, /<data class="p-name" value="Owning your audience, a workshop">/);
  assert.match(page, /<data class="p-summary" value="Two hours on lists, consent and events">/);
  assert.match(page, /class="dt-start" datetime="2026-05-12T18:00:00\+02:00"/);
  assert.match(page, /class="dt-end" datetime="2026-05-12T19:30:00\+02:00"/);
  assert.match(page, /class="p-location">Kulturhaus, Saal 2, Berlin</);
  assert.match(page, /class="u-url" href="http:\/\/127\.0\.0\.1:4321\/posts\/workshop"/);
  assert.match(page, /\(Europe\/Berlin, UTC\+02:00\)/, "the zone is named");
  assert.match(page, /What do you want to learn\?/, "the question is asked");
  assert.match(page, /<form method="post" action="\/events\/workshop\/register"/);
  assert.match(page, /name="website"/, "honeypot");
  const ev = jsonLdOf(page).find((d) => d["@type"] === "Event");
  assert.ok(ev, "JSON-LD Event");
  assert.equal(ev.startDate, "2026-05-12T18:00:00+02:00");
  assert.equal(ev.endDate, "2026-05-12T19:30:00+02:00");
  assert.equal(ev.eventAttendanceMode, "https://schema.org/MixedEventAttendanceMode");
  assert.deepEqual(
    ev.location.map((l: { "@type": string }) => l["@type"]),
    ["Place", "VirtualLocation"],
  );
  assert.equal(ev.organizer["@type"], "Person");
  assert.equal(ev.remainingAttendeeCapacity, 2);
  assert.match(page, /data-token-url="\/events\/token"/);
  assert.match(page, /<script src="\/assets\/form-token\.[0-9a-f]+\.js" defer>/);
  const token = await (await w.app.request("/events/token")).json();
  assert.equal(typeof token.t, "string");
});

test("/events lists upcoming events soonest first; /events.ics has every published one and parses", async () => {
  await makeEvent(w, {
    title: "Later webinar",
    slug: "later",
    fields: {
      eventStart: "2026-06-02T09:00",
      eventEnd: "2026-06-02T10:00",
      eventTimeZone: "America/New_York",
      eventVenue: "",
      eventCapacity: "",
    },
  });
  await makeEvent(w, { title: "Sooner workshop", slug: "sooner" });
  await makeEvent(w, {
    title: "Past seminar",
    slug: "past",
    fields: { eventStart: "2026-04-01T10:00", eventEnd: "2026-04-01T12:00" },
  });
  await makeEvent(w, { title: "Draft event", slug: "draft", status: "draft" });
  const res = await w.app.request("/events");
  assert.equal(res.status, 200);
  const page = await res.text();
  assert.match(page, /<link rel="alternate" type="text\/calendar"[^>]*href="\/events\.ics">/);
  const titles = [...page.matchAll(/class="p-name u-url" href="\/posts\/([a-z-]+)"/g)].map((m) => m[1]);
  assert.deepEqual(titles, ["sooner", "later"]);
  assert.match(page, /Online/);

  const ics = await w.app.request("/events.ics");
  assert.equal(ics.status, 200);
  assert.match(ics.headers.get("content-type") ?? "", /^text\/calendar/);
  const text = await ics.text();
  for (const line of text.split("\r\n")) assert.ok(Buffer.byteLength(line) <= 75, `folded: ${line}`);
  const cal = new ICAL.Component(ICAL.parse(text));
  const events = cal.getAllSubcomponents("vevent").map((v) => new ICAL.Event(v));
  assert.deepEqual(events.map((e) => e.summary).sort(), ["Later webinar", "Past seminar", "Sooner workshop"]);
  const later = events.find((e) => e.summary === "Later webinar");
  // 09:00 in New York (EDT, UTC-4) is 13:00 UTC.
  assert.equal(later?.startDate.toJSDate().toISOString(), "2026-06-02T13:00:00.000Z");
  assert.equal(later?.location, "Online", "the public feed does not give the online link away");
  assert.doesNotMatch(text, /meet\.example\.com/);
});

test("/events reads availability in one query: the page's query count does not grow with its events", async () => {
  // Count every query the app sends (stores read ctx.db.kysely on each request), and those that
  // read registrations (the availability).
  let queries = 0;
  let registrationQueries = 0;
  const counter: KyselyPlugin = {
    transformQuery(args) {
      queries++;
      if (JSON.stringify(args.node).includes('"name":"registrations"')) registrationQueries++;
      return args.node;
    },
    transformResult: async (args) => args.result,
  };
  w.ctx.db.kysely = w.ctx.db.kysely.withPlugin(counter);
  const measure = async () => {
    // A public page waits for the cross-process freshness check that any GET may start (it would
    // otherwise run beside the measured request); the clock stands still, so none starts again.
    await w.app.request("/");
    await w.app.request("/events");
    queries = 0;
    registrationQueries = 0;
    const res = await w.app.request("/events");
    assert.equal(res.status, 200);
    return { queries, registrationQueries, page: await res.text() };
  };
  await makeEvent(w, { slug: "event-1" });
  const one = await measure();
  assert.equal(one.registrationQueries, 1);
  for (let i = 2; i <= 6; i++) await makeEvent(w, { title: `Workshop ${i}`, slug: `event-${i}` });
  await registerVia(w, "event-3", { name: "Ada", email: "ada@example.net" });
  const six = await measure();
  assert.equal([...six.page.matchAll(/class="p-name u-url"/g)].length, 6, "all six events are listed");
  assert.equal((six.page.match(/2 places left/g) ?? []).length, 5, "availability per event");
  assert.equal((six.page.match(/1 place left/g) ?? []).length, 1);
  assert.equal(six.registrationQueries, 1, "availability of all six in one query");
  assert.equal(six.queries, one.queries, "six events cost the queries of one");
});

test("the editor saves event fields; bad ones are a 400 naming the field and nothing typed is lost", async () => {
  await setTimeZone(w.ctx, "Europe/Paris");
  const editor = await signIn(w.ctx, w.app, { role: "editor" });
  const newPage = await (await editor.request("/admin/posts/new?kind=event")).text();
  assert.match(newPage, /<details class="field event-fields" open>/);
  assert.match(
    newPage,
    /name="eventTimeZone"[^>]*value="Europe\/Paris"|value="Europe\/Paris"[^>]*name="eventTimeZone"/,
  );
  const fields = {
    title: "Consent, in practice",
    kind: "event",
    slug: "consent",
    summary: "A webinar",
    body: "Bring questions.",
    themeIds: [String(w.themeId)],
    eventStart: "2026-10-30T17:00",
    eventEnd: "2026-10-30T18:00",
    eventTimeZone: "Europe/Paris",
    eventVenue: "",
    eventOnlineUrl: "https://meet.example.com/consent",
    eventCapacity: "",
    eventQuestion: "Your role?",
    action: "publish",
  };
  const cases: [Partial<typeof fields>, string, RegExp][] = [
    [{ eventTimeZone: "Mars/Olympus" }, "eventTimeZone", /is not a time zone name/],
    [{ eventEnd: "2026-10-30T16:00" }, "eventEnd", /the end must be after the start/],
    [{ eventOnlineUrl: "javascript:alert(1)" }, "eventOnlineUrl", /http:\/\/ or https:\/\//],
    [{ eventStart: "" }, "eventStart", /enter the start date and time/],
    [{ eventCapacity: "-3" }, "eventCapacity", /whole number/],
  ];
  for (const [bad, field, message] of cases) {
    const res = await editor.form("/admin/posts/new", { ...fields, ...bad });
    assert.equal(res.status, 400, field);
    const page = await res.text();
    assert.match(page, new RegExp(`id="f-${field}-error">[^<]*${message.source}`), field);
    assert.match(page, new RegExp(`id="f-${field}"[^>]*aria-invalid="true"`));
    assert.match(page, /value="Consent, in practice"/, "the title is kept");
    assert.match(page, /Your role\?/, "the question is kept");
  }
  // All problems at once, the post's own among them, each next to its field, nothing typed lost.
  const longTitle = "T".repeat(2000);
  const all = await editor.form("/admin/posts/new", {
    ...fields,
    title: longTitle,
    eventTimeZone: "Mars/Olympus",
    eventEnd: "2026-10-30T16:00",
    eventCapacity: "-3",
    eventOnlineUrl: "javascript:alert(1)",
  });
  assert.equal(all.status, 400);
  const allPage = await all.text();
  for (const [field, message] of [
    ["eventTimeZone", /is not a time zone name/],
    ["eventEnd", /the end must be after the start/],
    ["eventCapacity", /whole number/],
    ["eventOnlineUrl", /http:\/\/ or https:\/\//],
    ["title", /at most 300 characters/],
  ] as const) {
    assert.match(allPage, new RegExp(`id="f-${field}-error">[^<]*${message.source}`), field);
  }
  for (const typed of [
    longTitle,
    "Mars/Olympus",
    "2026-10-30T16:00",
    "-3",
    "javascript:alert\\(1\\)",
    "Your role\\?",
  ]) {
    assert.match(allPage, new RegExp(`value="${typed}"|>${typed}<`), typed);
  }
  assert.equal(
    (await w.ctx.db.kysely.selectFrom("posts").select("id").where("kind", "=", "event").execute()).length,
    0,
  );

  const ok = await editor.form("/admin/posts/new", fields);
  assert.equal(ok.status, 303, await ok.clone().text());
  const id = Number(/\/admin\/posts\/(\d+)/.exec(ok.headers.get("location") ?? "")?.[1]);
  const row = await eventStore(w.ctx.db).byPost(id);
  // 17:00 in Paris on 30 October 2026 is after the change to winter time: UTC+1.
  assert.deepEqual(
    [row?.starts_at, row?.ends_at, row?.time_zone, row?.capacity, row?.online_url],
    ["2026-10-30T16:00:00.000Z", "2026-10-30T17:00:00.000Z", "Europe/Paris", null, "https://meet.example.com/consent"],
  );
  const edit = await (await editor.request(`/admin/posts/${id}`)).text();
  assert.match(edit, /value="2026-10-30T17:00"/, "shown back in the event's zone");
  assert.match(await (await w.app.request("/posts/consent")).text(), /OnlineEventAttendanceMode/);
});

test("admin: events with counts, the registrants list and CSV; authors are kept out", async () => {
  const post = await makeEvent(w, { slug: "workshop" });
  await registerVia(w, "workshop", { name: "Ada", email: "ada@example.net", answer: "=HYPERLINK(1)" });
  await registerVia(w, "workshop", { name: "Bo", email: "bo@example.net" });
  await registerVia(w, "workshop", { name: "Cy", email: "cy@example.net" });
  const editor = await signIn(w.ctx, w.app, { role: "editor" });
  const list = await (await editor.request("/admin/events")).text();
  assert.match(list, /Owning your audience, a workshop/);
  assert.match(list, /<td>2 \/ 2<\/td>\s*<td>1<\/td>/);
  const one = await (await editor.request(`/admin/events/${post.id}`)).text();
  assert.match(one, /ada@example\.net/);
  assert.match(one, /waitlisted/);
  const csv = await editor.request(`/admin/events/${post.id}/registrants.csv`);
  assert.equal(csv.status, 200);
  assert.match(csv.headers.get("content-type") ?? "", /^text\/csv/);
  assert.match(csv.headers.get("content-disposition") ?? "", /workshop-registrants\.csv/);
  const rows = parseCsv(await csv.text(), { columns: true }) as Record<string, string>[];
  assert.deepEqual(
    rows.map((r) => [r.name, r.email, r.status, r["What do you want to learn?"]]),
    [
      ["Ada", "ada@example.net", "registered", "'=HYPERLINK(1)"],
      ["Bo", "bo@example.net", "registered", ""],
      ["Cy", "cy@example.net", "waitlisted", ""],
    ],
  );
  const author = await signIn(w.ctx, w.app, { role: "author", email: "author@example.com" });
  assert.equal((await author.request("/admin/events")).status, 403);
  assert.equal((await author.request(`/admin/events/${post.id}/registrants.csv`)).status, 403);
  assert.equal((await editor.request("/admin/events/9999")).status, 404);
});
