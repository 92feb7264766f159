import assert from "node:assert/strict";
import { afterEach, beforeEach, test } from "node:test";
import ICAL from "ical.js";
import { eventStore } from "./store.ts";
import {
  cancelPath,
  deliver,
  type EventsWorld,
  eventsWorld,
  icsOf,
  later,
  mailTo,
  makeEvent,
  registerVia,
} from "./testing.ts";

let w: EventsWorld;
beforeEach(async () => {
  w = await eventsWorld();
});
afterEach(async () => w.close());

const registrations = async () =>
  (await w.ctx.db.kysely.selectFrom("registrations").selectAll().orderBy("id").execute()).map((r) => [
    r.email,
    r.status,
  ]);
const outboxCount = async () => (await w.ctx.db.kysely.selectFrom("outbox").select("id").execute()).length;

/** A raw message with quoted-printable soft line breaks undone. */
const unfoldedRaw = (m: { raw: string }) => m.raw.replace(/=\r?\n/g, "").replace(/=3D/g, "=");

/** The one VEVENT of a calendar text, parsed back with ical.js. */
function veventOf(ics: string) {
  const cal = new ICAL.Component(ICAL.parse(ics));
  const events = cal.getAllSubcomponents("vevent");
  assert.equal(events.length, 1);
  return { cal, event: new ICAL.Event(events[0]) };
}

test("register until full, then the waitlist; a cancel moves the first waiting person up and emails them the .ics", async () => {
  const post = await makeEvent(w, { slug: "workshop" });
  const page = await (await w.app.request("/posts/workshop")).text();
  assert.match(page, /2 places left/);
  assert.doesNotMatch(page, /meet\.example\.com/, "the online link is for registered guests only");
  assert.match(page, /The link is emailed to registered guests/);

  const a = await registerVia(w, "workshop", { name: "Ada", email: "Ada@Example.net", answer: "Lists" });
  assert.equal(a.status, 200);
  const answerA = await a.text();
  assert.match(answerA, /You&#39;re registered|You're registered/);
  assert.match(answerA, /You have a place/);
  assert.match(await (await w.app.request("/posts/workshop")).text(), /1 place left/, "the cached page was refreshed");
  await registerVia(w, "workshop", { name: "Bo", email: "bo@example.net" });
  const c = await registerVia(w, "workshop", { name: "Cy", email: "cy@example.net" });
  assert.match(await c.text(), /is full, so you are on the waitlist/);
  await registerVia(w, "workshop", { name: "Di", email: "di@example.net" });
  assert.deepEqual(await registrations(), [
    ["ada@example.net", "registered"],
    ["bo@example.net", "registered"],
    ["cy@example.net", "waitlisted"],
    ["di@example.net", "waitlisted"],
  ]);
  assert.match(await (await w.app.request("/posts/workshop")).text(), /Full: the waitlist is open/);

  // Registering again: the same answer, no second row, nothing sent.
  const before = await outboxCount();
  const again = await registerVia(w, "workshop", { name: "Ada L.", email: "ada@example.net" });
  assert.equal(again.status, 200);
  assert.equal(await again.text(), answerA);
  assert.equal((await registrations()).length, 4);
  assert.equal(await outboxCount(), before);

  await deliver(w);
  const [toAda] = mailTo(w, "ada@example.net");
  assert.match(toAda.headers.get("subject") ?? "", /You're registered: Owning your audience/);
  assert.match(unfoldedRaw(toAda), /Online: https:\/\/meet\.example\.com\/owning/, "the guest gets the online link");
  const ics = icsOf(toAda);
  assert.ok(ics, "the confirmation carries an .ics");
  assert.match(ics.text.replace(/\r\n[ \t]/g, ""), /Join online: https:\/\/meet\.example\.com\/owning/);
  assert.match(ics.contentType, /text\/calendar/);
  assert.match(ics.contentType, /method=PUBLISH/i);
  const { cal, event } = veventOf(ics.text);
  assert.equal(cal.getFirstPropertyValue("method"), "PUBLISH");
  assert.equal(event.summary, "Owning your audience, a workshop");
  // 18:00–19:30 in Berlin (summer time, UTC+2) is 16:00–17:30 UTC.
  assert.equal(event.startDate.toJSDate().toISOString(), "2026-05-12T16:00:00.000Z");
  assert.equal(event.endDate.toJSDate().toISOString(), "2026-05-12T17:30:00.000Z");
  assert.equal(event.location, "Kulturhaus, Saal 2, Berlin");
  assert.equal(event.uid, `event-${post.id}@127.0.0.1:4321`);
  const [toCy] = mailTo(w, "cy@example.net");
  assert.match(toCy.headers.get("subject") ?? "", /You're on the waitlist/);
  assert.equal(icsOf(toCy), undefined, "no calendar entry without a place");
  assert.doesNotMatch(unfoldedRaw(toCy), /meet\.example\.com/, "no online link without a place");

  // The cancel link: GET only asks; POST cancels and promotes Cy (the first waiting).
  const link = cancelPath(toAda);
  const ask = await w.app.request(link);
  assert.equal(ask.status, 200);
  assert.match(await ask.text(), /Cancel my place/);
  assert.equal((await registrations())[0][1], "registered", "GET does not cancel (link scanners)");
  const done = await w.app.request(link, { method: "POST" });
  assert.equal(done.status, 200);
  assert.match(await done.text(), /Your registration is cancelled/);
  assert.deepEqual(await registrations(), [
    ["ada@example.net", "cancelled"],
    ["bo@example.net", "registered"],
    ["cy@example.net", "registered"],
    ["di@example.net", "waitlisted"],
  ]);
  // Cancelling twice changes nothing more.
  await w.app.request(link, { method: "POST" });
  assert.equal((await registrations())[3][1], "waitlisted");

  await deliver(w);
  const promoted = mailTo(w, "cy@example.net").at(-1);
  assert.ok(promoted);
  assert.match(promoted.headers.get("subject") ?? "", /A place opened up/);
  assert.match(unfoldedRaw(promoted), /meet\.example\.com\/owning/, "a place, so the online link");
  const promotedIcs = icsOf(promoted);
  assert.ok(promotedIcs);
  assert.equal(veventOf(promotedIcs.text).event.uid, event.uid, "the UID is stable");
  assert.ok(cancelPath(promoted));
  const cyRow = (await eventStore(w.ctx.db).registrations(post.id)).find((r) => r.email === "cy@example.net");
  assert.ok(cyRow?.promoted_at);
});

test("two cancels at once never give away more places than there are", async () => {
  const post = await makeEvent(w, { slug: "busy" });
  for (const n of ["a", "b", "c", "d", "e"]) await registerVia(w, "busy", { name: n, email: `${n}@example.net` });
  await deliver(w);
  const [la, lb] = [cancelPath(mailTo(w, "a@example.net")[0]), cancelPath(mailTo(w, "b@example.net")[0])];
  const [ra, rb] = await Promise.all([w.app.request(la, { method: "POST" }), w.app.request(lb, { method: "POST" })]);
  assert.deepEqual([ra.status, rb.status], [200, 200]);
  const counts = (await eventStore(w.ctx.db).counts([post.id])).get(post.id);
  assert.deepEqual(counts, { registered: 2, waitlisted: 1 });
  assert.deepEqual(await registrations(), [
    ["a@example.net", "cancelled"],
    ["b@example.net", "cancelled"],
    ["c@example.net", "registered"],
    ["d@example.net", "registered"],
    ["e@example.net", "waitlisted"],
  ]);
});

test("bad input is a 400 naming the field, with the form kept; bots and past events are refused", async () => {
  await makeEvent(w, { slug: "workshop" });
  const noEmail = await registerVia(w, "workshop", { name: "Kept Name", email: "" });
  assert.equal(noEmail.status, 400);
  const page = await noEmail.text();
  assert.match(page, /Please give your email address/);
  assert.match(page, /id="reg-email"[^>]*aria-invalid="true"/);
  assert.match(page, /value="Kept Name"/);
  const badEmail = await registerVia(w, "workshop", { name: "X", email: "not an address" });
  assert.equal(badEmail.status, 400);
  assert.match(await badEmail.text(), /&quot;not an address&quot; is not an email address/);
  const noName = await registerVia(w, "workshop", { name: " ", email: "x@example.net" });
  assert.equal(noName.status, 400);
  assert.match(await noName.text(), /Please give your name/);
  const bot = await registerVia(w, "workshop", { name: "Bot", email: "bot@example.net", website: "http://spam" });
  assert.equal(bot.status, 200);
  const cross = await registerVia(
    w,
    "workshop",
    { name: "X", email: "x@example.net" },
    { origin: "https://evil.example" },
  );
  assert.equal(cross.status, 403);
  assert.deepEqual(await registrations(), [], "nothing was stored");

  // Without the script the cached page's form has no token: the form comes back filled in.
  const noToken = await w.app.request("/events/workshop/register", {
    method: "POST",
    body: new URLSearchParams({ t: "", name: "Ne", email: "ne@example.net", website: "" }),
    headers: { "content-type": "application/x-www-form-urlencoded" },
  });
  assert.equal(noToken.status, 200);
  const refill = await noToken.text();
  assert.match(refill, /One more step/);
  assert.match(refill, /value="ne@example.net"/);
  const t = /name="t" value="([^"]+)"/.exec(refill)?.[1] ?? "";
  const sent = await w.app.request("/events/workshop/register", {
    method: "POST",
    body: new URLSearchParams({ t, name: "Ne", email: "ne@example.net", website: "" }),
    headers: { "content-type": "application/x-www-form-urlencoded" },
  });
  assert.match(await sent.text(), /You have a place/, "a refilled form goes through at once");

  assert.equal((await w.app.request("/events/no-such-event/register")).status, 404);
  assert.equal((await w.app.request("/events/cancel/nope.0.abc")).status, 404);

  w.ctx.setNow(new Date("2026-05-12T16:00:01Z"));
  const closed = await w.app.request("/events/workshop/register");
  assert.equal(closed.status, 409);
  assert.match(await closed.text(), /Registration is closed/);
  const late = await w.app.request("/events/workshop/register", {
    method: "POST",
    body: new URLSearchParams({ t, name: "Late", email: "late@example.net", website: "" }),
    headers: { "content-type": "application/x-www-form-urlencoded" },
  });
  assert.equal(late.status, 409);
  assert.equal((await registrations()).length, 1);
  later(w.ctx, 1000);
  assert.match(await (await w.app.request("/posts/workshop")).text(), /Event details/);
});
