// test lanes: sqlite only
import assert from "node:assert/strict";
import http from "node:http";
import net from "node:net";
import { afterEach, beforeEach, describe, test } from "node:test";
import { Worker } from "node:worker_threads";
import { createApp } from "./app.ts";
import { createTestContext, type TestContext } from "./lib/testing.ts";
import { ACCEPT_SOCKETS, type RunningServer, requestListener, startServer } from "./server.ts";
import { seedSite } from "./site/testing.ts";

const PAGE = "/posts/liner-notes-matter";

/** One raw HTTP/1.1 exchange on a fresh connection: the exact bytes of the answer. */
function exchange(port: number, method: string, path: string, headers: string[] = []): Promise<string> {
  return new Promise((resolve, reject) => {
    const sock = net.connect(port, "127.0.0.1");
    const chunks: Buffer[] = [];
    sock.on("data", (c) => chunks.push(c));
    sock.on("end", () => resolve(Buffer.concat(chunks).toString("latin1")));
    sock.on("error", reject);
    const head = [`${method} ${path} HTTP/1.1`, `Host: 127.0.0.1:${port}`, ...headers, "Connection: close"];
    sock.write(`${head.join("\r\n")}\r\n\r\n`);
  });
}

/** An answer with what differs between any two answers (the date, the CSP nonce) blanked. */
const comparable = (raw: string) => raw.replace(/^Date: .*$/m, "Date: *").replace(/'nonce-[^']+'/, "'nonce-*'");

describe("server", () => {
  let ctx: TestContext;
  let running: RunningServer | undefined;
  beforeEach(async () => {
    ctx = await createTestContext();
  });
  afterEach(async () => {
    await running?.close();
    running = undefined;
    await ctx.cleanup();
  });

  test("a cached page is answered before Hono, with the router's exact bytes", async () => {
    await seedSite(ctx);
    const app = await createApp(ctx);
    let routed = 0;
    const fetch = app.fetch;
    app.fetch = (req, env, exec) => {
      routed++;
      return fetch(req, env, exec);
    };
    const server = http.createServer(requestListener(ctx, app));
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
    try {
      const port = (server.address() as net.AddressInfo).port;
      const first = await exchange(port, "GET", PAGE);
      assert.match(first, /^HTTP\/1\.1 200 OK\r\n/);
      const etag = first.match(/^etag: (.*)\r$/m)?.[1] ?? "";
      const cases: [string, string[]][] = [
        ["GET", []],
        ["GET", ["Accept-Encoding: gzip"]],
        ["GET", ["Accept-Encoding: gzip, br"]],
        ["GET", [`If-None-Match: ${etag}`]],
        ["GET", ["If-Modified-Since: Sun, 01 Mar 2026 10:00:00 GMT"]],
        ["HEAD", []],
      ];
      for (const [method, headers] of cases) {
        routed = 0;
        const fast = await exchange(port, method, PAGE, headers);
        assert.equal(routed, method === "GET" ? 0 : 1, `${method} ${headers} answered without Hono`);
        // A cookie that is not a session sends the request through Hono, the router and publicRoute.
        const slow = await exchange(port, method, PAGE, [...headers, "Cookie: unrelated=1"]);
        assert.equal(routed, method === "GET" ? 1 : 2);
        assert.equal(comparable(fast), comparable(slow), `${method} ${headers}`);
      }
      assert.match(await exchange(port, "GET", PAGE, [`If-None-Match: ${etag}`]), /^HTTP\/1\.1 304 /);
      // What the adapter would rebuild or refuse takes the normal way.
      routed = 0;
      for (const path of [`${PAGE}/../liner-notes-matter`, `${PAGE}?utm_source=feed`, "/posts//liner-notes-matter"]) {
        await exchange(port, "GET", path);
      }
      assert.equal(routed, 2, "dot segments and a double slash go to Hono; a harmless query does not");
    } finally {
      await new Promise((r) => server.close(r));
    }
  });

  test(`listens on ${ACCEPT_SOCKETS} sockets, so a turn of a busy event loop accepts many connections`, async () => {
    running = await startServer(ctx, "127.0.0.1", 0);
    const port = Number(new URL(running.url).port);
    let accepted = 0;
    running.server.on("connection", () => accepted++);
    // 64 connections made by another thread while this one is blocked: they wait, complete, in
    // the kernel's accept queues. libuv accepts one per listening socket per loop turn.
    const flag = new Int32Array(new SharedArrayBuffer(4));
    const worker = new Worker(
      `const net = require("node:net"); const { workerData: { port, flag } } = require("node:worker_threads");
       const socks = []; let open = 0;
       for (let i = 0; i < 64; i++) socks.push(net.connect(port, "127.0.0.1", () => { if (++open === 64) { Atomics.store(flag, 0, 1); Atomics.notify(flag, 0); } }));
       require("node:worker_threads").parentPort.on("message", () => { for (const s of socks) s.destroy(); process.exit(0); });`,
      { eval: true, workerData: { port, flag } },
    );
    try {
      assert.equal(Atomics.wait(flag, 0, 0, 10_000), "ok", "the clients connected");
      let turns = 0;
      await new Promise<void>((resolve) => {
        const turn = () => {
          turns++;
          if (accepted >= 64 || turns > 64) resolve();
          else setImmediate(turn);
        };
        setImmediate(turn);
      });
      assert.equal(accepted, 64);
      // One listening socket would need 64 turns; 16 share them out by the kernel's hash.
      assert.ok(turns <= 32, `accepted 64 connections in ${turns} loop turns`);
    } finally {
      worker.postMessage("done");
      await new Promise((r) => worker.once("exit", r));
    }
  });

  test("a port another server listens on is still an error, and close frees every socket", async () => {
    running = await startServer(ctx, "127.0.0.1", 0);
    const port = Number(new URL(running.url).port);
    const second = await startServer(ctx, "127.0.0.1", port).then(
      async (s) => {
        await s.close();
        return "it listened too";
      },
      (err: Error) => err.message,
    );
    assert.match(second, /127\.0\.0\.1:\d+ is in use by another program/);
    await running.close();
    running = undefined;
    const probe = net.createServer();
    await new Promise<void>((resolve, reject) => {
      probe.once("error", reject);
      probe.listen({ host: "127.0.0.1", port, exclusive: true }, resolve);
    });
    await new Promise((r) => probe.close(r));
  });
});
