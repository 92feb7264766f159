/** Shared expiring counters: windows, limits, atomic hits over two connections, sweeping. */
import assert from "node:assert/strict";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, beforeEach, test } from "node:test";
import { type Db, openDb } from "../db/index.ts";
import { createLogger } from "../log.ts";
import { type FreshDatabase, freshDatabase } from "../testing.ts";
import { oncePerWindow, rateLimit, sharedSlots, sweepCounters } from "./limiter.ts";

let dir: string;
let fresh: FreshDatabase;
/** Two handles on one database, as two processes would have. */
let one: Db;
let two: Db;
let now: Date;
const log = createLogger("silent");
const on = (db: Db) => ({ db, now: () => now, secret: "test-secret-0123456789", log });

beforeEach(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "liner-limits-"));
  fresh = await freshDatabase(process.env.DATABASE_URL, dir);
  const open = () => openDb({ databaseUrl: fresh.url, sqlitePath: fresh.sqlitePath });
  one = open();
  two = open();
  now = new Date("2026-04-01T10:00:00.000Z");
});
afterEach(async () => {
  await one.close();
  await two.close();
  await fresh.drop();
  fs.rmSync(dir, { recursive: true, force: true });
});

const rows = () => one.kysely.selectFrom("rate_counters").selectAll().orderBy("key").execute();

test("a fixed window: counts up to the limit, then limited until the window ends, then a new window", async () => {
  const limit = rateLimit(on(one), { name: "login-email", limit: 3, windowMs: 60_000 });
  const counts = [];
  for (let i = 0; i < 3; i++) {
    const h = await limit.hit("ann@example.com");
    assert.equal(h.limited, false);
    assert.equal(h.retryAfterMs, 0);
    counts.push(h.count);
    now = new Date(now.getTime() + 10_000);
  }
  assert.deepEqual(counts, [1, 2, 3]);
  assert.equal(await limit.retryAfter("ann@example.com"), 30_000, "the window ends 60 s after its first hit");
  assert.equal(await limit.retryAfter("bob@example.com"), 0, "subjects are counted apart");

  const over = await limit.hit("ann@example.com");
  assert.deepEqual(over, { count: 4, limited: true, retryAfterMs: 30_000 }, "hits over the limit do not move the end");

  now = new Date(now.getTime() + 30_000);
  assert.equal(await limit.retryAfter("ann@example.com"), 0, "the window has ended");
  assert.deepEqual(await limit.hit("ann@example.com"), { count: 1, limited: false, retryAfterMs: 0 });
  assert.equal(await limit.retryAfter("ann@example.com"), 0);
});

test("two limits of different names count apart; keys hold no email, only a keyed hash", async () => {
  const a = rateLimit(on(one), { name: "login-email", limit: 5, windowMs: 60_000 });
  const b = rateLimit(on(one), { name: "form:subscribe-form", limit: 5, windowMs: 60_000 });
  await a.hit("ann@example.com");
  await a.hit("ann@example.com");
  assert.equal((await b.hit("ann@example.com")).count, 1);
  const keys = (await rows()).map((r) => r.key);
  assert.equal(keys.length, 2);
  assert.ok(keys.some((k) => k.startsWith("login-email:")));
  assert.ok(keys.some((k) => k.startsWith("form:subscribe-form:")));
  for (const k of keys) assert.doesNotMatch(k, /ann|example/);
});

test("undo takes back one hit; reset forgets the subject", async () => {
  const limit = rateLimit(on(one), { name: "login-ip", limit: 2, windowMs: 60_000 });
  await limit.hit("203.0.113.9");
  await limit.hit("203.0.113.9");
  assert.ok((await limit.retryAfter("203.0.113.9")) > 0);
  await limit.undo("203.0.113.9");
  assert.equal(await limit.retryAfter("203.0.113.9"), 0);
  assert.equal((await limit.hit("203.0.113.9")).count, 2);
  await limit.reset("203.0.113.9");
  assert.deepEqual(await rows(), []);
  assert.equal((await limit.hit("203.0.113.9")).count, 1);
});

test("concurrent hits from two connections each get their own count: none is lost", async () => {
  const limits = [one, two].map((db) => rateLimit(on(db), { name: "login-email", limit: 30, windowMs: 60_000 }));
  const hits = await Promise.all(Array.from({ length: 40 }, (_, i) => limits[i % 2].hit("ann@example.com")));
  assert.deepEqual(
    hits.map((h) => h.count).sort((x, y) => x - y),
    Array.from({ length: 40 }, (_, i) => i + 1),
  );
  assert.equal(hits.filter((h) => h.limited).length, 10);
  assert.deepEqual(
    (await rows()).map((r) => r.count),
    [40],
  );
});

test("expired counters are swept every `sweepEvery` hits; live ones stay", async () => {
  const short = rateLimit(on(one), { name: "short", limit: 9, windowMs: 1000 });
  const long = rateLimit(on(two), { name: "long", limit: 9, windowMs: 3600_000, sweepEvery: 3 });
  await short.hit("a");
  await short.hit("b");
  await long.hit("c");
  now = new Date(now.getTime() + 5000);
  await long.hit("d");
  assert.equal((await rows()).length, 4, "not yet: the third hit of `long` sweeps");
  await long.hit("e");
  assert.deepEqual(
    (await rows()).map((r) => r.key.split(":")[0]),
    ["long", "long", "long"],
  );
  assert.equal(await sweepCounters(on(one)), 0);
  now = new Date(now.getTime() + 3600_000);
  assert.equal(await sweepCounters(on(one)), 3);
});

test("once per window: true the first time a subject shows up, false for repeats until the window ends", async () => {
  const seenOne = oncePerWindow(on(one), { name: "digest-click", windowMs: 3600_000 });
  const seenTwo = oncePerWindow(on(two), { name: "digest-click", windowMs: 3600_000 });
  assert.equal(await seenOne.first("7|203.0.113.9|Mail"), true);
  assert.equal(await seenTwo.first("7|203.0.113.9|Mail"), false, "the other process has seen it");
  assert.equal(await seenOne.first("8|203.0.113.9|Mail"), true);
  now = new Date(now.getTime() + 3600_000);
  assert.equal(await seenTwo.first("7|203.0.113.9|Mail"), true, "an hour later it counts again");
});

test("shared slots: concurrent takes from two connections never get more than the window's limit; windows follow the clock", async () => {
  const slots = [one, two].map((db) => sharedSlots(on(db), { name: "mail-rate", limit: 10, windowMs: 100 }));
  const takes = await Promise.all(Array.from({ length: 12 }, (_, i) => slots[i % 2].take(3)));
  assert.equal(
    takes.reduce((sum, t) => sum + t.granted, 0),
    10,
    "36 asked, 10 granted",
  );
  assert.ok(takes.every((t) => t.granted <= 3 && t.windowEndsInMs === 100));
  now = new Date(now.getTime() + 60);
  assert.deepEqual(await slots[0].take(2), { granted: 0, windowEndsInMs: 40 }, "full until the window ends");
  now = new Date(now.getTime() + 70);
  assert.deepEqual(await slots[1].take(4), { granted: 4, windowEndsInMs: 70 }, "a new window, aligned to 100 ms");
  assert.deepEqual(await slots[0].take(7), { granted: 6, windowEndsInMs: 70 }, "what is left of it");
});
