import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { type CliEnv, cliEnv, runCli } from "../cli/testing.ts";
import { closeContext } from "../lib/context.ts";
import { compare, MIN_EVENTS } from "./experiments.ts";
import { insightStore } from "./store.ts";
import { outcomeRow, viewRow } from "./testing.ts";

test("compare: a rate ratio with its 90% interval; too few events to tell below the threshold", () => {
  const c = compare(30, 10);
  assert.equal(c.ratio?.value, 3);
  assert.ok(
    Math.abs((c.ratio?.low ?? 0) - 1.647) < 0.01 && Math.abs((c.ratio?.high ?? 0) - 5.466) < 0.01,
    JSON.stringify(c),
  );
  assert.equal(compare(4, 3).ratio, undefined, `${MIN_EVENTS} events at least`);
  assert.ok((compare(12, 0).ratio?.low ?? 0) > 1, "none before: still a ratio (0.5 for the zero)");
});

let e: CliEnv;
const day = (n: number) => new Date(Date.now() + n * 86_400_000).toISOString().slice(0, 10);
before(async () => {
  e = await cliEnv();
  const ctx = await e.open();
  try {
    // Six days before (2 outcomes) and the six days of the experiment so far (12).
    const store = insightStore(ctx.db);
    const add = (d: string, i: number) =>
      store.addOutcome(
        outcomeRow("inquiry", `${d}T10:00:0${i % 10}.000Z`, { who: `inquiry:${d}:${i}`, source: "linkedin" }),
      );
    for (let i = 0; i < 2; i++) await add(day(-8), i);
    // Counting began 20 days ago (a visit that day).
    await store.addViews([viewRow(day(-20), "v1", "/", "direct", 1)]);
    await store.rollDay(day(-20));
    for (let i = 0; i < 12; i++) await add(day(-(i % 5)), i);
  } finally {
    await closeContext(ctx);
  }
});
after(() => e?.cleanup());

test("liner experiments start, list and stop; bad input named and nothing started", async () => {
  const bad = await runCli(
    [
      "experiments",
      "start",
      "--hypothesis",
      "LinkedIn brings inquiries",
      "--channel",
      "LinkedIn",
      "--start",
      day(-5),
      "--end",
      day(-9),
    ],
    { env: e.env },
  );
  assert.equal(bad.code, 1);
  assert.match(bad.stderr, /The end comes before the start\./);
  const missing = await runCli(["experiments", "start", "--hypothesis", "x", "--end", day(5)], { env: e.env });
  assert.equal(missing.code, 2);
  assert.match(missing.stderr, /missing --channel/);
  const ok = await runCli(
    [
      "experiments",
      "start",
      "--hypothesis",
      "LinkedIn brings inquiries",
      "--channel",
      "LinkedIn twice a week",
      "--start",
      day(-5),
      "--end",
      day(15),
    ],
    { env: e.env },
  );
  assert.equal(ok.code, 0, ok.stderr);
  assert.match(ok.stdout, /^Started experiment 1: /);
  const list = await runCli(["experiments", "list", "--json"], { env: e.env });
  const [x] = list.stdout
    .trim()
    .split("\n")
    .map((l) => JSON.parse(l));
  assert.equal(x.running, true);
  assert.deepEqual([x.outcomes.during, x.outcomes.before], [12, 2]);
  assert.ok(x.outcomes.ratio.value > 1);
  assert.equal(x.visitors.ratio, undefined, "no visits: too few to tell");
  const text = await runCli(["experiments", "list"], { env: e.env });
  assert.match(text.stdout, /outcomes 12 against 2 before: ×6\.00 \(90% interval [\d.]+–[\d.]+\): more/);
  assert.match(text.stdout, /visitors 0 against 0 before: too few to tell \(under 10 in all\)/);
  // One whose time before reaches back before counting began: no verdict.
  const early = await runCli(
    ["experiments", "start", "--hypothesis", "Talks", "--channel", "A talk", "--start", day(-18), "--end", day(-12)],
    { env: e.env },
  );
  assert.equal(early.code, 0, early.stderr);
  const both = await runCli(["experiments", "list"], { env: e.env });
  assert.match(
    both.stdout,
    new RegExp(`nothing to compare with: counting began on ${day(-20)}, within the time before`),
  );
  // The same again is refused; a date in the wrong form is a usage error (exit 2).
  const twice = await runCli(
    ["experiments", "start", "--hypothesis", "Talks", "--channel", "A talk", "--start", day(-18), "--end", day(-12)],
    { env: e.env },
  );
  assert.equal(twice.code, 1);
  assert.match(twice.stderr, /That experiment is running already \(number 2\)\./);
  const wrong = await runCli(["experiments", "start", "--hypothesis", "H", "--channel", "C", "--end", "2026-13-01"], {
    env: e.env,
  });
  assert.equal(wrong.code, 2);
  assert.match(wrong.stderr, /--end takes a date such as 2026-12-07 \(got “2026-13-01”\)/);
  // An outcome recorded by hand long ago says nothing about when counting began.
  const ctx = await e.open();
  try {
    await insightStore(ctx.db).addOutcome(outcomeRow("manual", "1995-05-05T12:00:00.000Z", { who: "manual:old" }));
  } finally {
    await closeContext(ctx);
  }
  assert.match(
    (await runCli(["experiments", "list"], { env: e.env })).stdout,
    new RegExp(`counting began on ${day(-20)}, within the time before`),
  );
  // Typed again with other spaces and capitals: the same one. Before 1990: a typo.
  const again2 = await runCli(
    ["experiments", "start", "--hypothesis", " talks ", "--channel", "a  TALK", "--start", day(-18), "--end", day(-12)],
    { env: e.env },
  );
  assert.match(again2.stderr, /running already/);
  const old = await runCli(
    ["experiments", "start", "--hypothesis", "H", "--channel", "C", "--start", "1980-01-01", "--end", "1980-02-01"],
    { env: e.env },
  );
  assert.equal(old.code, 1);
  assert.match(old.stderr, /That is before 1990-01-01: is the year right\?/);
  // A planned one is listed as such, and stopping it cancels it.
  const planned = await runCli(
    ["experiments", "start", "--hypothesis", "Later", "--channel", "Later", "--start", day(30), "--end", day(40)],
    { env: e.env },
  );
  const plannedId = /Started experiment (\d+)/.exec(planned.stdout)?.[1];
  assert.ok(plannedId, planned.stdout + planned.stderr);
  assert.match(
    (await runCli(["experiments", "list"], { env: e.env })).stdout,
    new RegExp(`begins on ${day(30)}: nothing to compare yet`),
  );
  const cancel = await runCli(["experiments", "stop", plannedId], { env: e.env });
  assert.equal(cancel.stdout, `Cancelled experiment ${plannedId}: it had not begun.\n`);
  assert.doesNotMatch((await runCli(["experiments", "list"], { env: e.env })).stdout, /Later/);
  assert.equal((await runCli(["experiments", "stop", "1"], { env: e.env })).code, 0);
  const again = await runCli(["experiments", "stop", "1"], { env: e.env });
  assert.equal(again.code, 1);
  assert.match(again.stderr, /There is no running experiment 1/);
});
