import assert from "node:assert/strict";
import { afterEach, describe, test } from "node:test";
import zlib from "node:zlib";
import { createFetcher } from "./fetcher.ts";
import { serve, type TestServer } from "./test-server.ts";
import type { FetchError } from "./types.ts";

const servers: TestServer[] = [];
afterEach(async () => {
  for (const s of servers.splice(0)) await s.close();
});
async function start(handler: Parameters<typeof serve>[0], host?: string) {
  const s = await serve(handler, host);
  servers.push(s);
  return s;
}
const fetcher = createFetcher({ allowPrivate: true });
const MB = 1024 * 1024;

describe("redirects", () => {
  test("relative redirects are resolved against the current URL; the final URL is reported", async () => {
    const s = await start((req, res) => {
      if (req.url === "/old/feed") res.writeHead(301, { location: "../new/feed?x=1" });
      else if (req.url === "/new/feed?x=1") res.writeHead(302, { location: "/final" });
      else if (req.url === "/final") res.writeHead(200);
      else res.writeHead(404);
      res.end(req.url);
    });
    const r = await fetcher.fetch(`${s.origin}/old/feed`);
    assert.equal(r.status, 200);
    assert.equal(r.url, `${s.origin}/final`);
    assert.equal(new TextDecoder().decode(r.body), "/final");
  });

  test("at most maxRedirects are followed", async () => {
    const s = await start((req, res) => {
      const n = Number(req.url?.slice(1));
      res.writeHead(n > 0 ? 307 : 200, { location: `/${n - 1}` });
      res.end();
    });
    assert.equal((await fetcher.fetch(`${s.origin}/5`)).status, 200);
    await assert.rejects(fetcher.fetch(`${s.origin}/6`), (err: FetchError) => {
      assert.equal(err.code, "too-many-redirects");
      assert.equal(err.message, `gave up on ${s.origin}/6 after 5 redirects`);
      return true;
    });
    await assert.rejects(fetcher.fetch(`${s.origin}/2`, { maxRedirects: 1 }), { code: "too-many-redirects" });
  });

  test("303 turns a POST into a GET without the body", async () => {
    const s = await start((req, res) => {
      if (req.method === "POST") res.writeHead(303, { location: "/done" });
      else res.writeHead(200);
      res.end(`${req.method} ${req.url}`);
    });
    const r = await fetcher.fetch(`${s.origin}/form`, { method: "POST", body: "a=1" });
    assert.equal(new TextDecoder().decode(r.body), "GET /done");
  });

  test("a redirect to another scheme is refused", async () => {
    const s = await start((_req, res) => {
      res.writeHead(302, { location: "file:///etc/passwd" });
      res.end();
    });
    await assert.rejects(fetcher.fetch(`${s.origin}/`), { code: "blocked" });
  });
});

describe("timeouts", () => {
  test("a slow-drip body times out as a whole, with the URL in the message", async () => {
    const s = await start((_req, res) => {
      res.writeHead(200);
      const drip = setInterval(() => res.write("."), 20);
      res.on("close", () => clearInterval(drip));
    });
    const started = Date.now();
    await assert.rejects(fetcher.fetch(`${s.origin}/slow`, { timeoutMs: 300 }), (err: FetchError) => {
      assert.equal(err.code, "timeout");
      assert.equal(err.message, `timed out fetching ${s.origin}/slow after 300 ms`);
      return true;
    });
    assert.ok(Date.now() - started < 2000);
  });

  test("a server that never answers times out", async () => {
    const s = await start(() => {});
    await assert.rejects(fetcher.fetch(`${s.origin}/`, { timeoutMs: 200 }), { code: "timeout" });
  });
});

describe("size caps", () => {
  /** Streams `total` bytes of 'x' in 64 KiB chunks, honouring backpressure; records what it wrote. */
  function bigServer(total: number, headers: Record<string, string> = {}, chunk = Buffer.alloc(64 * 1024, "x")) {
    const state = { written: 0 };
    const handler: Parameters<typeof serve>[0] = (_req, res) => {
      res.writeHead(200, headers);
      const pump = () => {
        while (state.written < total) {
          state.written += chunk.length;
          if (!res.write(chunk)) return void res.once("drain", pump);
        }
        res.end();
      };
      res.on("close", () => res.removeAllListeners("drain"));
      pump();
    };
    return { state, handler };
  }

  test("a 50 MB streamed response is aborted at the cap without reading it all or holding it", async () => {
    const { state, handler } = bigServer(50 * MB);
    const s = await start(handler);
    const before = process.memoryUsage();
    await assert.rejects(fetcher.fetch(`${s.origin}/huge`, { maxBytes: 2 * MB }), (err: FetchError) => {
      assert.equal(err.code, "too-large");
      assert.equal(err.message, `${s.origin}/huge is larger than the 2 MB limit`);
      return true;
    });
    const after = process.memoryUsage();
    assert.ok(state.written < 10 * MB, `server wrote ${state.written} bytes before the abort`);
    assert.ok(after.arrayBuffers - before.arrayBuffers < 16 * MB, "body buffers were not released");
  });

  test("the default cap is 10 MB", async () => {
    const { state, handler } = bigServer(50 * MB);
    const s = await start(handler);
    await assert.rejects(fetcher.fetch(`${s.origin}/`), /larger than the 10 MB limit/);
    assert.ok(state.written < 30 * MB);
  });

  test("a declared Content-Length over the cap is refused before the body is read", async () => {
    const { state, handler } = bigServer(50 * MB, { "content-length": String(50 * MB) });
    const s = await start(handler);
    await assert.rejects(fetcher.fetch(`${s.origin}/`, { maxBytes: MB }), (err: FetchError) => {
      assert.equal(err.code, "too-large");
      assert.match(err.message, /\(50 MB\)$/);
      return true;
    });
    assert.ok(state.written < 10 * MB, `server wrote ${state.written} bytes`);
  });

  for (const [encoding, compress] of [
    ["gzip", zlib.gzipSync],
    ["br", (b: Buffer) => zlib.brotliCompressSync(b, { params: { [zlib.constants.BROTLI_PARAM_QUALITY]: 4 } })],
  ] as const) {
    test(`a ${encoding} bomb is capped on its decoded size`, async () => {
      const bomb = compress(Buffer.alloc(50 * MB));
      assert.ok(bomb.length < MB / 8);
      const s = await start((_req, res) => {
        res.writeHead(200, { "content-encoding": encoding, "content-length": String(bomb.length) });
        res.end(bomb);
      });
      const before = process.memoryUsage().arrayBuffers;
      await assert.rejects(fetcher.fetch(`${s.origin}/bomb`, { maxBytes: MB }), { code: "too-large" });
      assert.ok(process.memoryUsage().arrayBuffers - before < 16 * MB);
    });
  }

  test("the bytes on the wire are capped too, even when they decode to nothing", async () => {
    // Thousands of empty gzip members: 20 bytes each on the wire, 0 bytes decoded.
    const members = Buffer.concat(Array(3000).fill(zlib.gzipSync(Buffer.alloc(0))));
    const { state, handler } = bigServer(50 * MB, { "content-encoding": "gzip" }, members);
    const s = await start(handler);
    await assert.rejects(fetcher.fetch(`${s.origin}/`, { maxBytes: MB }), { code: "too-large" });
    assert.ok(state.written < 10 * MB, `server wrote ${state.written} bytes`);
  });

  test("a body of exactly maxBytes is accepted", async () => {
    const s = await start((_req, res) => res.end(Buffer.alloc(1000, "a")));
    assert.equal((await fetcher.fetch(`${s.origin}/`, { maxBytes: 1000 })).body.length, 1000);
    await assert.rejects(fetcher.fetch(`${s.origin}/`, { maxBytes: 999 }), { code: "too-large" });
  });
});

describe("connections", () => {
  test("keep-alive connections are reused across requests", async () => {
    const s = await start((_req, res) => res.end("ok"));
    const own = createFetcher({ allowPrivate: true });
    for (let i = 0; i < 20; i++) assert.equal((await own.fetch(`${s.origin}/${i}`)).status, 200);
    assert.equal(s.connections(), 1);
    own.close?.();
  });

  test("a kept-alive connection the server closed is retried on a fresh one", async () => {
    const s = await start((req, res) => {
      res.end("ok");
      // Close the idle connection right after answering, without telling the client.
      res.on("finish", () => setTimeout(() => req.socket.destroy(), 5));
    });
    const own = createFetcher({ allowPrivate: true });
    assert.equal((await own.fetch(`${s.origin}/a`)).status, 200);
    await new Promise((r) => setTimeout(r, 30));
    assert.equal((await own.fetch(`${s.origin}/b`)).status, 200);
    own.close?.();
  });
});
