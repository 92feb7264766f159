import assert from "node:assert/strict";
import { afterEach, beforeEach, test } from "node:test";
import { addSubscriber, createList } from "../audience/testing.ts";
import { createUser } from "../auth/testing.ts";
import { systemActor } from "../content/testing.ts";
import { setTimeZone } from "../lib/settings/time-zone.ts";
import { createTestContext, type TestContext } from "../lib/testing.ts";
import { createSave } from "../reader/testing.ts";
import { PREPARE_JOB, registerDigestJobs, SEND_JOB } from "./jobs.ts";
import { nextOccurrence, saveSchedule } from "./schedule.ts";
import { digestStore } from "./store.ts";

test("nextOccurrence keeps the wall-clock time across daylight-saving changes", () => {
  const fri9 = { weekday: 5, time: "09:00" };
  // Europe/Berlin: CEST (UTC+2) until Sunday 25 October 2026, then CET (UTC+1).
  assert.equal(
    nextOccurrence(new Date("2026-10-20T12:00:00Z"), fri9, "Europe/Berlin").toISOString(),
    "2026-10-23T07:00:00.000Z",
  );
  assert.equal(
    nextOccurrence(new Date("2026-10-23T07:00:00Z"), fri9, "Europe/Berlin").toISOString(),
    "2026-10-30T08:00:00.000Z",
  );
  // Exactly at the time: the next week's.
  assert.equal(
    nextOccurrence(new Date("2026-10-30T08:00:00Z"), fri9, "Europe/Berlin").toISOString(),
    "2026-11-06T08:00:00.000Z",
  );
  // America/New_York: EDT until 1 November 2026.
  const mon730 = { weekday: 1, time: "07:30" };
  assert.equal(
    nextOccurrence(new Date("2026-10-27T00:00:00Z"), mon730, "America/New_York").toISOString(),
    "2026-11-02T12:30:00.000Z",
  );
  assert.equal(
    nextOccurrence(new Date("2026-10-24T00:00:00Z"), mon730, "America/New_York").toISOString(),
    "2026-10-26T11:30:00.000Z",
  );
  // Same day, later time; and a zone east of UTC where the local date differs from UTC's.
  assert.equal(
    nextOccurrence(new Date("2026-10-23T06:00:00Z"), fri9, "Europe/Berlin").toISOString(),
    "2026-10-23T07:00:00.000Z",
  );
  assert.equal(
    nextOccurrence(new Date("2026-10-22T20:00:00Z"), fri9, "Pacific/Auckland").toISOString(),
    "2026-10-29T20:00:00.000Z",
  );
});

let ctx: TestContext;
beforeEach(async () => {
  ctx = await createTestContext();
});
afterEach(() => ctx.cleanup());

const at = (iso: string) => ctx.setNow(new Date(iso));
const pendingJob = ({ name: kind }: { name: string }) =>
  ctx.db.kysely
    .selectFrom("jobs")
    .select(["run_at", "payload"])
    .where("kind", "=", kind)
    .where("status", "=", "queued")
    .execute();

test("the schedule drafts ahead, emails the owner, sends at 09:00 local across the DST change, holds and skips empty weeks", async () => {
  at("2026-10-20T12:00:00Z");
  await setTimeZone(ctx, "Europe/Berlin");
  await createUser(ctx, { email: "owner@example.com", role: "owner", password: "correct horse battery" });
  await createList(ctx, { slug: "flash", name: "Flash" });
  await addSubscriber(ctx, { email: "r@example.org", list: "flash", confirmed: true, source: "t" });
  await saveSchedule(ctx, {
    enabled: true,
    weekday: 5,
    time: "09:00",
    prepareHours: 24,
    autoSend: true,
    lists: ["flash"],
  });
  await registerDigestJobs(ctx);
  assert.deepEqual(
    (await pendingJob(PREPARE_JOB)).map((j) => j.run_at),
    ["2026-10-22T07:00:00.000Z"],
    "prepared 24 hours before Friday 09:00 CEST",
  );
  at("2026-10-21T08:00:00Z");
  await createSave(ctx, systemActor, { url: "https://a.example/1", title: "One" }, { fetch: false });

  at("2026-10-22T06:59:00Z");
  assert.equal(await ctx.runner.drain(), 0, "nothing before its time");
  at("2026-10-22T07:00:00Z");
  await ctx.runner.drain();
  const [draft] = await digestStore(ctx.db).list();
  assert.equal(draft.status, "draft");
  assert.equal(draft.send_at, "2026-10-23T07:00:00.000Z");
  const review = await ctx.db.kysely.selectFrom("outbox").select(["to_email", "subject"]).execute();
  assert.deepEqual(review, [{ to_email: "owner@example.com", subject: "Your digest is ready to review (1 entry)" }]);
  assert.deepEqual(
    (await pendingJob(PREPARE_JOB)).map((j) => j.run_at),
    ["2026-10-29T08:00:00.000Z"],
    "next week's draft: 24 hours before Friday 09:00 CET",
  );
  assert.deepEqual(
    (await pendingJob(SEND_JOB)).map((j) => j.run_at),
    ["2026-10-23T07:00:00.000Z"],
  );

  at("2026-10-23T06:59:59Z");
  await ctx.runner.drain();
  assert.equal((await digestStore(ctx.db).byId(draft.id))?.status, "draft");
  at("2026-10-23T07:00:00Z");
  await ctx.runner.drain();
  const sent = await digestStore(ctx.db).byId(draft.id);
  assert.equal(sent?.status, "sent");
  assert.ok(sent?.send_id);

  // Next week: a save, but the owner holds the draft: it is not sent.
  at("2026-10-26T10:00:00Z");
  await createSave(ctx, systemActor, { url: "https://a.example/2", title: "Two" }, { fetch: false });
  at("2026-10-29T08:00:00Z");
  await ctx.runner.drain();
  const [second] = await digestStore(ctx.db).list();
  assert.notEqual(second.id, draft.id);
  assert.equal(second.send_at, "2026-10-30T08:00:00.000Z");
  assert.equal(second.period_start, sent?.period_end, "each digest starts where the last one ended");
  await digestStore(ctx.db).update(second.id, { held: 1 });
  at("2026-10-30T08:00:00Z");
  await ctx.runner.drain();
  assert.equal((await digestStore(ctx.db).byId(second.id))?.status, "draft", "held: not sent");

  // The week after: nothing saved, so no draft and nothing sent.
  const before = (await digestStore(ctx.db).list()).length;
  at("2026-11-05T08:00:00Z");
  await ctx.runner.drain();
  assert.equal((await digestStore(ctx.db).list()).length, before, "an empty week is skipped");
  assert.deepEqual(
    (await pendingJob(PREPARE_JOB)).map((j) => j.run_at),
    ["2026-11-12T08:00:00.000Z"],
  );

  // Turning the schedule off withdraws the next run.
  await saveSchedule(ctx, { enabled: false });
  const { scheduleNextDigest } = await import("./jobs.ts");
  await scheduleNextDigest(ctx);
  assert.deepEqual(await pendingJob(PREPARE_JOB), []);
  await assert.rejects(saveSchedule(ctx, { enabled: true, time: "9am" }), /time: use HH:MM/);
  await assert.rejects(
    saveSchedule(ctx, { enabled: true, prepareHours: 2.5 }),
    /prepareHours: a whole number of hours from 0 to 144/,
  );
  await assert.rejects(saveSchedule(ctx, { enabled: true, prepareHours: "abc" }), /prepareHours: a whole number/);
  await assert.rejects(saveSchedule(ctx, { enabled: true, weekday: 9 }), /weekday: choose a day of the week/);
  await assert.rejects(
    saveSchedule(ctx, { enabled: true, autoSend: true, lists: [] }),
    /lists: choose at least one list for the digest to go out by itself/,
  );
});
