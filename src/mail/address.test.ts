// test lanes: sqlite only
import assert from "node:assert/strict";
import { test } from "node:test";
import { normalizeEmail } from "./service.ts";

test("normalizeEmail accepts real addresses and refuses what SMTP servers would refuse", () => {
  assert.equal(normalizeEmail("  Ann.Lee+news@Example.CO.uk "), "ann.lee+news@example.co.uk");
  assert.equal(normalizeEmail("rené@bücher.example"), "rené@bücher.example");
  for (const bad of [
    "quick@example.net.",
    "a..b@example.org",
    ".a@example.org",
    "a.@example.org",
    "a@localhost",
    "a@@example.org",
    "a b@example.org",
    "<a@example.org>",
  ]) {
    assert.throws(() => normalizeEmail(bad), /is not an email address/, bad);
  }
  assert.throws(() => normalizeEmail("  "), /Enter an email address\./);
});
