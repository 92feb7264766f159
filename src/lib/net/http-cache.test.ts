import assert from "node:assert/strict";
import { test } from "node:test";
import { cacheHints } from "./http-cache.ts";

const now = new Date("2025-04-01T10:00:00Z");
const hints = (headers: Record<string, string>) => cacheHints(new Headers(headers), now);

test("no headers, no hints", () => {
  assert.deepEqual(hints({}), { maxAgeSeconds: null, expires: null, retryAfter: null });
});

test("max-age, s-maxage (the larger wins) and Age", () => {
  assert.equal(hints({ "cache-control": "public, max-age=600" }).maxAgeSeconds, 600);
  assert.equal(hints({ "cache-control": 'max-age="300"' }).maxAgeSeconds, 300);
  assert.equal(hints({ "cache-control": "max-age=60, s-maxage=900" }).maxAgeSeconds, 900);
  assert.equal(hints({ "cache-control": "s-maxage=120" }).maxAgeSeconds, 120);
  assert.equal(hints({ "cache-control": "max-age=600", age: "100" }).maxAgeSeconds, 500);
  assert.equal(hints({ "cache-control": "max-age=60", age: "100" }).maxAgeSeconds, 0);
  assert.equal(hints({ "Cache-Control": "MAX-AGE=30" }).maxAgeSeconds, 30);
});

test("malformed max-age is ignored", () => {
  assert.equal(hints({ "cache-control": "max-age=soon" }).maxAgeSeconds, null);
  assert.equal(hints({ "cache-control": "max-age=-5" }).maxAgeSeconds, null);
});

test("no-cache and no-store mean revalidate every time", () => {
  assert.equal(hints({ "cache-control": "no-cache, max-age=600" }).maxAgeSeconds, 0);
  assert.equal(hints({ "cache-control": 'private, no-cache="set-cookie, x-a", max-age=9' }).maxAgeSeconds, 0);
  const noStore = hints({ "cache-control": "no-store" });
  assert.equal(noStore.maxAgeSeconds, 0);
  assert.equal(noStore.noStore, true);
  assert.equal(hints({ "cache-control": "max-age=5" }).noStore, undefined);
});

test("Expires as an HTTP-date; invalid values such as 0 give null", () => {
  assert.deepEqual(hints({ expires: "Tue, 01 Apr 2025 11:00:00 GMT" }).expires, new Date("2025-04-01T11:00:00Z"));
  assert.deepEqual(hints({ expires: "Tuesday, 01-Apr-25 11:00:00 GMT" }).expires, new Date("2025-04-01T11:00:00Z"));
  assert.deepEqual(hints({ expires: "Tue Apr  1 11:00:00 2025" }).expires?.getUTCDate(), 1);
  assert.equal(hints({ expires: "0" }).expires, null);
  assert.equal(hints({ expires: "-1" }).expires, null);
  assert.equal(hints({ expires: "never" }).expires, null);
});

test("Retry-After in seconds or as an HTTP-date", () => {
  assert.deepEqual(hints({ "retry-after": "120" }).retryAfter, new Date("2025-04-01T10:02:00Z"));
  assert.deepEqual(hints({ "retry-after": "0" }).retryAfter, now);
  assert.deepEqual(
    hints({ "retry-after": "Wed, 02 Apr 2025 08:00:00 GMT" }).retryAfter,
    new Date("2025-04-02T08:00:00Z"),
  );
  assert.equal(hints({ "retry-after": "later" }).retryAfter, null);
  assert.equal(hints({ "retry-after": "-30" }).retryAfter, null);
});
