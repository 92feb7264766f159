import assert from "node:assert/strict";
import { test } from "node:test";
import { outcomeName, parseAmount } from "./kinds.ts";

test("amounts as people type them, in cents; anything that would be a guess is refused", () => {
  for (const [text, cents] of [
    ["12000", 1_200_000],
    ["12,000", 1_200_000],
    ["12,000.50", 1_200_050],
    ["€12,000", 1_200_000],
    ["12 000 €", 1_200_000],
    ["0.5", 50],
    ["1,234,567.89", 123_456_789],
  ] as const)
    assert.deepEqual(parseAmount(text), { cents }, text);
  for (const text of ["1,5", "1.500,50", "0.001", "12,00", "-5", "lots", "1e3", ""]) {
    const r = parseAmount(text);
    assert.ok("error" in r && r.error.includes("is not an amount"), text);
  }
  assert.match((parseAmount("2000000000000") as { error: string }).error, /more than this can keep/);
});

test("outcomes named in words, one and many", () => {
  assert.equal(outcomeName("inquiry", 2), "2 inquiries");
  assert.equal(outcomeName("manual", 1), "1 recorded by hand");
  assert.equal(outcomeName("subscription"), "new subscriber");
});
