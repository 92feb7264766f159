/**
 * Sign-in throttling (issue 13, items 1 and 5): bursts are refused before their passwords are
 * checked, failures slow down one account from one address only, and limits hold across processes.
 * Addresses are simulated with X-Forwarded-For behind one trusted proxy (LINER_TRUST_PROXY=1).
 */
import assert from "node:assert/strict";
import { afterEach, beforeEach, mock, test } from "node:test";
import { setTimeout as sleep } from "node:timers/promises";
import argon2 from "argon2";
import type { Hono } from "hono";
import { createApp } from "../app.ts";
import { type AppContext, closeContext } from "../lib/context.ts";
import type { AppEnv } from "../lib/http/env.ts";
import { anotherProcess, createTestContext, type TestContext } from "../lib/testing.ts";
import { type Browser, browser, TEST_PASSWORD } from "./testing.ts";
import { IN_FLIGHT, LOGIN_IP_LIMIT, PAIR_FREE_FAILURES, PAIR_MAX_DELAY_MS, pairDelayMs } from "./throttle.ts";
import { createUser } from "./users.ts";

let ctx: TestContext;
let app: Hono<AppEnv>;
let b: Browser;
const OWNER = "owner@example.com";
const T0 = Date.parse("2026-06-01T10:00:00Z");

beforeEach(async () => {
  ctx = await createTestContext({ trustProxy: { hops: 1 } });
  ctx.setNow(new Date(T0));
  app = await createApp(ctx);
  await createUser(ctx, { email: OWNER, role: "owner", password: TEST_PASSWORD });
  b = browser(app);
  await b.refreshCsrf("/login");
});
afterEach(async () => {
  mock.restoreAll();
  await ctx.cleanup();
});

/** A sign-in from `address` (the client a trusted proxy names). */
const login = (address: string, password: string, email = OWNER) =>
  b.form("/login", { email, password }, { headers: { "x-forwarded-for": address } });
const at = (ms: number) => ctx.setNow(new Date(T0 + ms));

/** Count password checks and the most in flight at once; each takes a few ms, so a burst overlaps. */
function spyOnVerify() {
  const original = argon2.verify.bind(argon2);
  const seen = { calls: 0, inFlight: 0, most: 0 };
  mock.method(argon2, "verify", async (...args: Parameters<typeof argon2.verify>) => {
    seen.calls++;
    seen.most = Math.max(seen.most, ++seen.inFlight);
    try {
      await sleep(3);
      return await original(...args);
    } finally {
      seen.inFlight--;
    }
  });
  return seen;
}

/** How many of each status. */
function tally(statuses: number[]): Record<number, number> {
  const t: Record<number, number> = {};
  for (const s of statuses) t[s] = (t[s] ?? 0) + 1;
  return t;
}

test("pure: no delay for the first failures, then 1 s doubling up to the cap", () => {
  const delays = Array.from({ length: 8 }, (_, n) => pairDelayMs(n));
  assert.deepEqual(delays, [0, 0, 0, 1000, 2000, 4000, 8000, 16000]);
  assert.equal(pairDelayMs(40), PAIR_MAX_DELAY_MS);
});

test("100 parallel sign-ins for one account: one password check at a time, at most the free failures checked, the rest 429", async () => {
  const verify = spyOnVerify();
  const burst = await Promise.all(Array.from({ length: 100 }, (_, i) => login("203.0.113.5", `wrong password ${i}`)));
  const counts = tally(burst.map((r) => r.status));
  assert.equal(verify.most, IN_FLIGHT.account, "never two checks of one account at once");
  assert.ok(verify.calls >= 1 && verify.calls <= PAIR_FREE_FAILURES, `${verify.calls} checked`);
  assert.deepEqual(counts, { 401: verify.calls, 429: 100 - verify.calls });
  const refused = burst.find((r) => r.status === 429);
  assert.ok(Number(refused?.headers.get("retry-after")) >= 1);
  // The owner, elsewhere, is not locked out by the burst.
  assert.equal((await login("198.51.100.7", TEST_PASSWORD)).status, 303);
});

test("two sign-ins to one account at the same moment (two devices, a double click) both get in, one check at a time", async () => {
  const verify = spyOnVerify();
  const both = await Promise.all([login("203.0.113.8", TEST_PASSWORD), login("203.0.113.9", TEST_PASSWORD)]);
  assert.deepEqual(
    both.map((r) => r.status),
    [303, 303],
  );
  assert.equal(verify.calls, 2);
  assert.equal(verify.most, IN_FLIGHT.account, "they took turns");
});

test("parallel sign-ins from one address to many accounts: two checks at a time at most", async () => {
  const verify = spyOnVerify();
  const burst = await Promise.all(
    Array.from({ length: 30 }, (_, i) => login("203.0.113.5", "wrong password", `guess${i}@example.com`)),
  );
  assert.ok(verify.most <= IN_FLIGHT.address, `${verify.most} at once`);
  assert.deepEqual(Object.keys(tally(burst.map((r) => r.status))).sort(), ["401", "429"]);
});

test("parallel sign-ins from many addresses to many accounts take turns: a few checks at once, none lost", async () => {
  const verify = spyOnVerify();
  const n = IN_FLIGHT.all + IN_FLIGHT.waiting;
  const burst = await Promise.all(
    Array.from({ length: n }, (_, i) => login(`203.0.113.${i + 1}`, "wrong password", `guess${i}@example.com`)),
  );
  assert.equal(verify.most, IN_FLIGHT.all, "the process's slots, no more");
  assert.deepEqual(tally(burst.map((r) => r.status)), { 401: n }, "every one checked in its turn");
});

test("a stranger's wrong passwords slow only their address: the owner signs in from theirs", async () => {
  const statuses: number[] = [];
  for (let i = 0; i < 10; i++) statuses.push((await login("203.0.113.66", `guess ${i} xxxxx`)).status);
  assert.deepEqual(statuses, [401, 401, 401, 429, 429, 429, 429, 429, 429, 429]);
  // The right password from the stranger's address waits too: the delay does not reveal it.
  assert.equal((await login("203.0.113.66", TEST_PASSWORD)).status, 429);
  assert.equal((await login("192.0.2.10", TEST_PASSWORD)).status, 303, "the owner, from address B");
});

test("after the free failures each attempt waits 1 s, 2 s, 4 s after the last; success starts over", async () => {
  const A = "203.0.113.66";
  for (let i = 0; i < PAIR_FREE_FAILURES; i++) assert.equal((await login(A, "wrong password")).status, 401);
  let t = 0;
  for (const wait of [1, 2, 4]) {
    const early = await login(A, TEST_PASSWORD);
    assert.equal(early.status, 429);
    assert.equal(early.headers.get("retry-after"), String(wait));
    assert.match(await early.text(), new RegExp(`Please wait ${wait} seconds?`));
    t += wait * 1000 - 1;
    at(t);
    assert.equal((await login(A, "wrong password")).status, 429, "a millisecond early is still early");
    t += 1;
    at(t);
    assert.equal((await login(A, "wrong password")).status, 401);
  }
  t += 8000;
  at(t);
  assert.equal((await login(A, TEST_PASSWORD)).status, 303);
  await b.refreshCsrf("/admin"); // signed in now: the session's token
  for (let i = 0; i < PAIR_FREE_FAILURES; i++) assert.equal((await login(A, "wrong password")).status, 401);
  assert.equal((await login(A, "wrong password")).status, 429);
});

test("the per-address limit across accounts still holds, and refused attempts do not count towards it", async () => {
  const A = "203.0.113.66";
  for (let i = 0; i < PAIR_FREE_FAILURES + 5; i++) await login(A, "wrong password"); // 5 refused
  for (let i = 0; i < LOGIN_IP_LIMIT - PAIR_FREE_FAILURES; i++) {
    assert.equal((await login(A, "wrong password", `guess${i}@example.com`)).status, 401);
  }
  const limited = await login(A, "wrong password", "someone@example.com");
  assert.equal(limited.status, 429);
  assert.match(await limited.text(), /Please wait 15 minutes/);
  assert.equal((await login("192.0.2.10", TEST_PASSWORD)).status, 303, "another address is not limited");
});

test("two processes on one database: parallel attempts of one pair get at most the free failures checked", async () => {
  const other: AppContext = await anotherProcess(ctx);
  try {
    const otherBrowser = browser(await createApp(other));
    await otherBrowser.refreshCsrf("/login");
    const verify = spyOnVerify();
    const send = (x: Browser, i: number) =>
      x.form("/login", { email: OWNER, password: `p${i}` }, { headers: { "x-forwarded-for": "203.0.113.9" } });
    // Sent in waves so that each process always has one check in flight while the other claims.
    const statuses: number[] = [];
    for (let wave = 0; wave < 4; wave++) {
      const rs = await Promise.all([send(b, wave), send(otherBrowser, wave)]);
      statuses.push(...rs.map((r) => r.status));
    }
    assert.equal(verify.calls, PAIR_FREE_FAILURES);
    assert.deepEqual(tally(statuses), { 401: PAIR_FREE_FAILURES, 429: 8 - PAIR_FREE_FAILURES });
  } finally {
    await closeContext(other);
  }
});
