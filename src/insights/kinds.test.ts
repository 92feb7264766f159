import assert from "node:assert/strict";
import { test } from "node:test";
import { isCurrency, outcomeName, parseAmount, sayAmount } from "./kinds.ts";

test("amounts as people type them, in cents; anything that would be a guess is refused", () => {
  for (const [text, cents] of [
    ["12000", 1_200_000],
    ["12,000", 1_200_000],
    ["12,000.50", 1_200_050],
    ["12 000", 1_200_000],
    ["12000.5", 1_200_050],
    ["0.5", 50],
    ["1,234,567.89", 123_456_789],
  ] as const)
    assert.deepEqual(parseAmount(text), { cents }, text);
  for (const text of ["1,5", "1.500,50", "0.001", "12,00", "-5", "lots", "1e3", ""]) {
    const r = parseAmount(text);
    assert.ok("error" in r && r.error.includes("is not an amount"), text);
  }
  assert.match((parseAmount("2000000000000") as { error: string }).error, /more than this can keep/);
  assert.deepEqual(parseAmount("$12,000"), { cents: 1_200_000, currency: "USD" }, "the sign says the currency");
  assert.equal(sayAmount(3_600_050, "EUR"), "36,000.50 EUR");
  assert.equal(sayAmount(1_200_000), "12,000");
  assert.equal(isCurrency("EUR"), true);
  assert.equal(isCurrency("XYZ"), false);
});

test("outcomes named in words, one and many", () => {
  assert.equal(outcomeName("inquiry", 2), "2 inquiries");
  assert.equal(outcomeName("manual", 1), "1 recorded by hand");
  assert.equal(outcomeName("subscription"), "new subscriber");
});
