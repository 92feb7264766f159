import assert from "node:assert/strict";
import { afterEach, beforeEach, test } from "node:test";
import { parseEventFields } from "./fields.ts";
import { registerEventJobs } from "./jobs.ts";
import { REMIND_JOB, saveEventDetails } from "./service.ts";
import { eventStore } from "./store.ts";
import { cancelPath, deliver, type EventsWorld, eventsWorld, mailTo, makeEvent, registerVia } from "./testing.ts";

let w: EventsWorld;
beforeEach(async () => {
  w = await eventsWorld();
  registerEventJobs(w.ctx);
});
afterEach(async () => w.close());

const reminders = () => w.sink.received.filter((m) => /^Tomorrow:/.test(m.headers.get("subject") ?? ""));

test("the reminder goes 24 hours before, once, to registered people only; a new time reminds again", async () => {
  // 12 May 18:00 in Berlin = 16:00 UTC; the reminder is due 11 May 16:00 UTC.
  const post = await makeEvent(w, { slug: "workshop" });
  await registerVia(w, "workshop", { name: "Ada", email: "ada@example.net" });
  await registerVia(w, "workshop", { name: "Bo", email: "bo@example.net" });
  await registerVia(w, "workshop", { name: "Cy", email: "cy@example.net" }); // waitlisted
  await deliver(w);
  await w.app.request(cancelPath(mailTo(w, "bo@example.net")[0]), { method: "POST" }); // Cy moves up
  await registerVia(w, "workshop", { name: "Di", email: "di@example.net" }); // waitlisted
  await deliver(w);
  const jobs = await w.ctx.db.kysely.selectFrom("jobs").selectAll().where("kind", "=", "events.remind").execute();
  assert.equal(jobs.length, 1, "one reminder job per event");
  assert.equal(jobs[0].run_at, "2026-05-11T16:00:00.000Z");

  w.ctx.setNow(new Date("2026-05-11T15:59:00Z"));
  await w.ctx.runner.drain();
  await deliver(w);
  assert.equal(reminders().length, 0, "not before 24 hours ahead");

  w.ctx.setNow(new Date("2026-05-11T16:00:30Z"));
  assert.equal(await w.ctx.runner.drain(), 1);
  await deliver(w);
  assert.deepEqual(
    reminders()
      .flatMap((m) => m.to)
      .sort(),
    ["ada@example.net", "cy@example.net"],
  );
  for (const m of reminders()) assert.ok(cancelPath(m), "every reminder has the cancel link");
  for (const m of reminders())
    assert.match(m.raw.replace(/=\r?\n/g, ""), /meet\.example\.com\/owning/, "the reminder carries the online link");

  // Running again (a retried or duplicated job) sends nothing more.
  await w.ctx.jobs.enqueue(REMIND_JOB, { postId: post.id });
  await w.ctx.runner.drain();
  await deliver(w);
  assert.equal(reminders().length, 2);

  // Moved a day later: the job moves with it and everyone registered hears again, once.
  await saveEventDetails(
    w.ctx,
    post.id,
    parseEventFields({
      eventStart: "2026-05-13T18:00",
      eventEnd: "2026-05-13T19:30",
      eventTimeZone: "Europe/Berlin",
      eventVenue: "Kulturhaus",
      eventOnlineUrl: "",
      eventCapacity: "2",
      eventQuestion: "",
    }),
  );
  await w.ctx.runner.drain();
  await deliver(w);
  assert.equal(reminders().length, 2, "not yet: the new reminder is due on the 12th");
  w.ctx.setNow(new Date("2026-05-12T16:00:00Z"));
  await w.ctx.runner.drain();
  await w.ctx.runner.drain();
  await deliver(w);
  assert.equal(reminders().length, 4);
  const rows = await eventStore(w.ctx.db).registrations(post.id);
  assert.deepEqual(
    rows.map((r) => [r.email, r.status, r.reminded_at]),
    [
      ["ada@example.net", "registered", "2026-05-12T16:00:00.000Z"],
      ["cy@example.net", "registered", "2026-05-12T16:00:00.000Z"],
      ["di@example.net", "waitlisted", null],
      ["bo@example.net", "cancelled", null],
    ],
  );
});

test("reminder emails go out ahead of a bulk send already in the outbox", async () => {
  const { createSend, fixedMail } = await import("../mail/testing.ts");
  await makeEvent(w, { slug: "workshop", fields: { eventCapacity: "" } });
  await registerVia(w, "workshop", { name: "Ada", email: "ada@example.net" });
  await deliver(w);
  await createSend(
    w.ctx,
    { kind: "post", ...fixedMail("Newsletter", "<p>Hi</p>", "Hi") },
    Array.from({ length: 5 }, (_, i) => ({ email: `r${i}@example.net`, vars: {} })),
  );
  w.ctx.setNow(new Date("2026-05-11T17:00:00Z"));
  await w.ctx.runner.drain();
  await deliver(w, 1);
  const subjects = w.sink.received.slice(1).map((m) => m.headers.get("subject"));
  assert.equal(subjects[0], "Tomorrow: Owning your audience, a workshop", "transactional first");
  assert.equal(subjects.length, 6);
});
