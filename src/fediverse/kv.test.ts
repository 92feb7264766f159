import assert from "node:assert/strict";
import { afterEach, beforeEach, test } from "node:test";
import { Temporal } from "@js-temporal/polyfill";

/** A polyfill Duration, as Fedify passes them (its types name the global Temporal's). */
const duration = (d: Temporal.DurationLike) => Temporal.Duration.from(d) as never;

import { closeContext } from "../lib/context.ts";
import { anotherProcess, createTestContext, type TestContext } from "../lib/testing.ts";
import { dbKvStore } from "./kv.ts";

let ctx: TestContext;
beforeEach(async () => {
  ctx = await createTestContext();
  ctx.setNow(new Date("2026-03-01T10:00:00Z"));
});
afterEach(() => ctx.cleanup());

const all = async (kv: ReturnType<typeof dbKvStore>, prefix?: readonly [string, ...string[]]) => {
  const out: [readonly string[], unknown][] = [];
  for await (const e of kv.list(prefix)) out.push([e.key, e.value]);
  return out;
};

test("get, set, delete: JSON values by array keys, shared by every process on the database", async () => {
  const kv = dbKvStore(ctx);
  assert.equal(await kv.get(["a"]), undefined);
  await kv.set(["a", "b"], { n: 1, list: [1, "x"], nested: { ok: true } });
  assert.deepEqual(await kv.get(["a", "b"]), { n: 1, list: [1, "x"], nested: { ok: true } });
  assert.equal(await kv.get(["a"]), undefined, "another key");
  await kv.set(["a", "b"], "replaced");
  const other = await anotherProcess(ctx);
  try {
    assert.equal(await dbKvStore(other).get(["a", "b"]), "replaced", "another process reads it");
  } finally {
    await closeContext(other);
  }
  await kv.delete(["a", "b"]);
  assert.equal(await kv.get(["a", "b"]), undefined);
  await kv.delete(["never"]);
});

test("a TTL expires the entry; list honours prefixes by whole parts", async () => {
  const kv = dbKvStore(ctx);
  await kv.set(["cache", "x"], 1, { ttl: duration({ minutes: 5 }) });
  await kv.set(["cache", "xy"], 2);
  await kv.set(["cache", "x", "deeper"], 3);
  await kv.set(["other"], 4);
  await kv.set(["we%ird_"], 5);
  assert.deepEqual(
    await all(kv, ["cache", "x"]),
    [
      [["cache", "x", "deeper"], 3],
      [["cache", "x"], 1],
    ].sort((a, b) => JSON.stringify(a[0]).localeCompare(JSON.stringify(b[0]))),
  );
  assert.equal((await all(kv)).length, 5);
  assert.deepEqual(await all(kv, ["we%ird_"]), [[["we%ird_"], 5]], "% and _ are not wildcards");
  ctx.setNow(new Date("2026-03-01T10:06:00Z"));
  assert.equal(await kv.get(["cache", "x"]), undefined, "expired");
  assert.deepEqual(await all(kv, ["cache", "x"]), [[["cache", "x", "deeper"], 3]]);
});

test("compare-and-swap: only from the expected value; from nothing only when there is nothing", async () => {
  const kv = dbKvStore(ctx);
  assert.equal(await kv.cas?.(["n"], undefined, 1), true);
  assert.equal(await kv.cas?.(["n"], undefined, 2), false, "something is there now");
  assert.equal(await kv.cas?.(["n"], 5, 2), false, "not what is there");
  assert.equal(await kv.cas?.(["n"], 1, 2), true);
  assert.equal(await kv.get(["n"]), 2);
  // Two swaps from the same value at once: one wins.
  const both = await Promise.all([kv.cas?.(["n"], 2, 3), kv.cas?.(["n"], 2, 4)]);
  assert.deepEqual(both.filter(Boolean).length, 1);
  await kv.set(["t"], "old", { ttl: duration({ seconds: 1 }) });
  ctx.setNow(new Date("2026-03-01T10:00:02Z"));
  assert.equal(await kv.cas?.(["t"], undefined, "new"), true, "an expired entry counts as none");
  assert.equal(await kv.get(["t"]), "new");
});
