import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { createUser } from "../auth/testing.ts";
import { publishedPost } from "../content/testing.ts";
import { setTimeZone } from "../lib/settings/time-zone.ts";
import type { TestContext } from "../lib/testing.ts";
import { contextWithSink, deliverToSink, messageParts, type Received, type SmtpSink } from "../mail/testing.ts";
import { insightStore } from "./store.ts";
import { nextMonday, registerWeekly, WEEKLY_JOB } from "./weekly.ts";

// The weekly small-wins email, sent by its job on Monday morning in the owner's time zone to a real
// SMTP server on loopback; a quiet week says so; turned off, nothing goes.
let ctx: TestContext;
let sink: SmtpSink;
const subjectOf = (m: Received | undefined) => m?.headers.get("subject") ?? "";
const textOf = (m: Received | undefined) => (m ? messageParts(m.raw).text : "");
before(async () => {
  ({ ctx, sink } = await contextWithSink());
  await createUser(ctx, { email: "owner@example.com", role: "owner", password: "correct horse battery" });
  await setTimeZone(ctx, "Europe/Berlin");
  await publishedPost(ctx, "pricing", "On pricing");
});
after(async () => {
  await ctx?.cleanup();
  await sink?.close();
});

test("nextMonday: 08:00 on the coming Monday in the owner's time zone", () => {
  // Sunday 2026-12-06 20:00 UTC is 21:00 in Berlin: the next morning at 08:00 (07:00 UTC).
  assert.equal(nextMonday(new Date("2026-12-06T20:00:00Z"), "Europe/Berlin").toISOString(), "2026-12-07T07:00:00.000Z");
  // Monday 09:00 in Berlin: past this week's, so a week on.
  assert.equal(nextMonday(new Date("2026-12-07T08:00:00Z"), "Europe/Berlin").toISOString(), "2026-12-14T07:00:00.000Z");
  assert.equal(
    nextMonday(new Date("2026-12-06T20:00:00Z"), "America/New_York").toISOString(),
    "2026-12-07T13:00:00.000Z",
  );
});

test("the job sends the week's small wins on Monday: outcomes, what led to them, a comparison; a quiet week says so", async () => {
  ctx.setNow(new Date("2026-12-06T20:00:00Z"));
  await registerWeekly(ctx);
  const store = insightStore(ctx.db);
  for (const [kind, source, i] of [
    ["subscription", "mastodon", 1],
    ["inquiry", "mastodon", 2],
    ["click", "newsletter", 3],
  ] as const)
    await store.addOutcome({
      kind,
      at: `2026-12-0${3 + (i % 3)}T10:00:00.000Z`,
      post_id: null,
      who: `w:${i}`,
      entry_path: "/",
      source,
      pages: JSON.stringify(["/", "/posts/pricing"]),
      visitor: null,
      attributed_at: "2026-12-05T10:00:00.000Z",
      note: kind === "click" ? "https://example.org/great-read" : "",
      created_at: "2026-12-05T10:00:00.000Z",
    });
  await ctx.runner.drain();
  await deliverToSink(ctx, sink);
  assert.equal(sink.received.length, 0, "not before Monday");
  ctx.setNow(new Date("2026-12-07T07:00:30Z"));
  await ctx.runner.drain();
  await deliverToSink(ctx, sink);
  const [mail] = sink.received;
  assert.ok(mail, "sent on Monday morning");
  assert.deepEqual(mail.to, ["owner@example.com"]);
  assert.match(subjectOf(mail), /^Small wins: 3 outcomes this week$/);
  assert.match(
    textOf(mail),
    /led to 3 outcomes \(the first in five weeks\): 1 new subscriber, 1 inquiry, 1 digest click\./,
  );
  assert.match(textOf(mail), /The post that resonated: “On pricing”, http:\/\/[^/\s]+\/posts\/pricing \(2\)\./);
  assert.match(textOf(mail), /Digest links clicked most: https:\/\/example\.org\/great-read \(1\)\./);

  // The next Monday: nothing happened that week.
  ctx.setNow(new Date("2026-12-14T07:00:30Z"));
  await ctx.runner.drain();
  await deliverToSink(ctx, sink);
  assert.equal(subjectOf(sink.received[1]), "A quiet week: no outcomes");
  assert.match(
    textOf(sink.received[1]),
    /Nothing came of the writing this week that this site could see \(the four weeks before averaged 0\.8\)/,
  );

  // Turned off: the job runs and sends nothing.
  await store.setSetting("weekly_email", "0");
  ctx.setNow(new Date("2026-12-21T07:00:30Z"));
  await ctx.runner.drain();
  await deliverToSink(ctx, sink);
  assert.equal(sink.received.length, 2);
  assert.equal(await ctx.jobs.hasKey("insights:weekly"), true, "the chain goes on");
  assert.ok(WEEKLY_JOB.name);
});
