import assert from "node:assert/strict";
import { afterEach, describe, test } from "node:test";
import { createFetcher } from "./fetcher.ts";
import { HostLimiter } from "./limiter.ts";
import { serve, type TestServer } from "./test-server.ts";

const servers: TestServer[] = [];
afterEach(async () => {
  for (const s of servers.splice(0)) await s.close();
});
/** A server that holds each response for `ms`, so concurrent requests overlap. */
async function slow(ms: number, host?: string) {
  const s = await serve((_req, res) => setTimeout(() => res.end("ok"), ms), host);
  servers.push(s);
  return s;
}

describe("HostLimiter", () => {
  test("hands out at most N slots per host, in order, and forgets idle hosts", async () => {
    const limiter = new HostLimiter(2);
    const a1 = await limiter.acquire("a");
    const a2 = await limiter.acquire("a");
    const b1 = await limiter.acquire("b");
    const order: number[] = [];
    const queued = (n: number) =>
      limiter.acquire("a").then((release) => {
        order.push(n);
        return release;
      });
    const third = queued(3);
    const fourth = queued(4);
    await new Promise((r) => setImmediate(r));
    assert.deepEqual(order, []);
    assert.equal(limiter.active("a"), 2);
    a1();
    a1(); // a second call is ignored
    const r3 = await third;
    assert.deepEqual(order, [3]);
    assert.equal(limiter.active("a"), 2);
    a2();
    const r4 = await fourth;
    r3();
    r4();
    b1();
    assert.equal(limiter.active("a"), 0);
    assert.equal(limiter.active("b"), 0);
  });

  test("a waiter whose signal aborts leaves the queue", async () => {
    const limiter = new HostLimiter(1);
    const held = await limiter.acquire("h");
    const ac = new AbortController();
    const waiting = limiter.acquire("h", ac.signal);
    ac.abort(new Error("gone"));
    await assert.rejects(waiting, /gone/);
    held();
    assert.equal(limiter.active("h"), 0);
  });
});

describe("per-host concurrency in the fetcher", () => {
  test("never more than N requests in flight to one host, counted by the server", async () => {
    const s = await slow(30);
    const fetcher = createFetcher({ allowPrivate: true, perHostConcurrency: 2 });
    const results = await Promise.all(Array.from({ length: 12 }, (_, i) => fetcher.fetch(`${s.origin}/${i}`)));
    assert.ok(results.every((r) => r.status === 200));
    assert.equal(s.maxInFlight(), 2);
    assert.ok(s.connections() <= 2, `${s.connections()} connections`);
    fetcher.close?.();
  });

  test("the default is 2, and different hosts do not wait for each other", async () => {
    const one = await slow(100, "127.0.0.2");
    const two = await slow(100, "127.0.0.3");
    const fetcher = createFetcher({ allowPrivate: true });
    const started = Date.now();
    const urls = [one, two].flatMap((s) => Array.from({ length: 4 }, (_, i) => `${s.origin}/${i}`));
    await Promise.all(urls.map((u) => fetcher.fetch(u)));
    assert.equal(one.maxInFlight(), 2);
    assert.equal(two.maxInFlight(), 2);
    // Two rounds of 100 ms per host, the hosts in parallel: well under the 400 ms of one shared queue.
    assert.ok(Date.now() - started < 380, `${Date.now() - started} ms`);
    fetcher.close?.();
  });
});
