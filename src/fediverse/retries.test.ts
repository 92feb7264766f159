// test lanes: sqlite only
import assert from "node:assert/strict";
import { test } from "node:test";
import { Temporal } from "@js-temporal/polyfill";
import { deliveryRetries } from "./federation.ts";

test("a delivery to a dead server is retried with growing waits and given up after days, not minutes", () => {
  const waits: number[] = [];
  let elapsed = 0;
  for (let attempts = 1; attempts < 100; attempts++) {
    const next = deliveryRetries({ attempts, elapsedTime: Temporal.Duration.from({ milliseconds: elapsed }) as never });
    if (next === null) break;
    const ms = (next as unknown as Temporal.Duration).total({ unit: "millisecond" });
    waits.push(ms);
    elapsed += ms;
  }
  assert.ok(waits.length >= 10, `${waits.length} retries`);
  assert.ok(waits[1] > waits[0], "the waits grow");
  assert.ok(Math.max(...waits) <= 12 * 3600_000 * 1.2, "no wait beyond about 12 hours");
  const days = elapsed / 86_400_000;
  assert.ok(days > 2 && days < 5, `given up after ${days.toFixed(1)} days`);
});
