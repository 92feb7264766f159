import assert from "node:assert/strict";
import { afterEach, describe, test } from "node:test";
import zlib from "node:zlib";
import { createFetcher } from "./fetcher.ts";
import { cacheHints } from "./http-cache.ts";
import { serve, type TestServer } from "./test-server.ts";
import { FetchError } from "./types.ts";

const servers: TestServer[] = [];
afterEach(async () => {
  for (const s of servers.splice(0)) await s.close();
});
async function start(handler: Parameters<typeof serve>[0], host?: string) {
  const s = await serve(handler, host);
  servers.push(s);
  return s;
}
const text = (body: Uint8Array) => new TextDecoder().decode(body);
const fetcher = createFetcher({ allowPrivate: true, userAgent: "LinerNotes/0.1 (+http://example.test)" });

describe("results", () => {
  test("a 200 comes back with its body and headers; the fetcher sends its User-Agent and Accept-Encoding", async () => {
    let seen: Record<string, string | string[] | undefined> = {};
    const s = await start((req, res) => {
      seen = req.headers;
      res.writeHead(200, { "content-type": "application/rss+xml; charset=utf-8", etag: '"v1"' });
      res.end("<rss/>");
    });
    const r = await fetcher.fetch(`${s.origin}/feed.xml`, { headers: { Accept: "application/rss+xml" } });
    assert.equal(r.status, 200);
    assert.equal(r.url, `${s.origin}/feed.xml`);
    assert.equal(text(r.body), "<rss/>");
    assert.equal(r.body.buffer.byteLength, r.body.length, "the body owns its buffer");
    assert.equal(r.headers.get("content-type"), "application/rss+xml; charset=utf-8");
    assert.equal(r.headers.get("etag"), '"v1"');
    assert.equal(r.notModified, false);
    assert.equal(seen["user-agent"], "LinerNotes/0.1 (+http://example.test)");
    assert.equal(seen.accept, "application/rss+xml");
    assert.match(String(seen["accept-encoding"]), /^gzip, deflate, br/);
  });

  test("404 and 500 are results, not exceptions", async () => {
    const s = await start((req, res) => {
      res.writeHead(req.url === "/missing" ? 404 : 500, { "content-type": "text/plain" });
      res.end("nope");
    });
    const missing = await fetcher.fetch(`${s.origin}/missing`);
    assert.equal(missing.status, 404);
    assert.equal(text(missing.body), "nope");
    assert.equal((await fetcher.fetch(`${s.origin}/broken`)).status, 500);
  });

  test("304 with ETag: the validators are sent and notModified is set", async () => {
    const s = await start((req, res) => {
      if (
        req.headers["if-none-match"] === '"abc"' &&
        req.headers["if-modified-since"] === "Tue, 01 Apr 2025 10:00:00 GMT"
      ) {
        res.writeHead(304, { etag: '"abc"' });
        return res.end();
      }
      res.writeHead(200, { etag: '"abc"' });
      res.end("full");
    });
    const first = await fetcher.fetch(`${s.origin}/`);
    assert.equal(first.notModified, false);
    const again = await fetcher.fetch(`${s.origin}/`, {
      etag: first.headers.get("etag"),
      lastModified: "Tue, 01 Apr 2025 10:00:00 GMT",
    });
    assert.equal(again.status, 304);
    assert.equal(again.notModified, true);
    assert.equal(again.body.length, 0);
    assert.equal(again.headers.get("etag"), '"abc"');
  });

  test("429 with Retry-After is returned with its headers", async () => {
    const s = await start((_req, res) => {
      res.writeHead(429, { "retry-after": "120" });
      res.end("slow down");
    });
    const r = await fetcher.fetch(`${s.origin}/`);
    assert.equal(r.status, 429);
    const now = new Date("2025-04-01T10:00:00Z");
    assert.deepEqual(cacheHints(r.headers, now).retryAfter, new Date("2025-04-01T10:02:00Z"));
  });

  test("HEAD and POST", async () => {
    const s = await start((req, res) => {
      let body = "";
      req.on("data", (c) => {
        body += c;
      });
      req.on("end", () => {
        res.writeHead(200, { "content-type": "text/plain" });
        res.end(`${req.method} ${req.headers["content-type"] ?? ""} ${body}`);
      });
    });
    const head = await fetcher.fetch(`${s.origin}/`, { method: "HEAD" });
    assert.equal(head.status, 200);
    assert.equal(head.body.length, 0);
    const post = await fetcher.fetch(`${s.origin}/`, {
      method: "POST",
      headers: { "Content-Type": "application/x-www-form-urlencoded" },
      body: "source=a&target=b",
    });
    assert.equal(text(post.body), "POST application/x-www-form-urlencoded source=a&target=b");
  });
});

describe("decoding", () => {
  const payload = "<feed>héllo</feed>".repeat(200);
  const encoders: Record<string, (b: Buffer) => Buffer> = {
    gzip: zlib.gzipSync,
    deflate: zlib.deflateSync,
    br: zlib.brotliCompressSync,
  };
  if (zlib.zstdCompressSync) encoders.zstd = zlib.zstdCompressSync;
  for (const [encoding, encode] of Object.entries(encoders)) {
    test(`${encoding} bodies are decoded`, async () => {
      const s = await start((_req, res) => {
        res.writeHead(200, { "content-encoding": encoding });
        res.end(encode(Buffer.from(payload)));
      });
      const r = await fetcher.fetch(`${s.origin}/`);
      assert.equal(text(r.body), payload);
    });
  }

  test("raw deflate (no zlib header), as some servers send it, is decoded", async () => {
    const s = await start((_req, res) => {
      res.writeHead(200, { "content-encoding": "deflate" });
      res.end(zlib.deflateRawSync(Buffer.from(payload)));
    });
    assert.equal(text((await fetcher.fetch(`${s.origin}/`)).body), payload);
  });

  test("a corrupt gzip body fails with a message naming the URL", async () => {
    const s = await start((_req, res) => {
      res.writeHead(200, { "content-encoding": "gzip" });
      res.end("this is not gzip at all");
    });
    await assert.rejects(fetcher.fetch(`${s.origin}/bad`), (err: FetchError) => {
      assert.equal(err.code, "network");
      assert.match(err.message, new RegExp(`${s.origin}/bad.*gzip`));
      return true;
    });
  });
});

describe("errors", () => {
  test("bad URLs are refused before anything is sent", async () => {
    for (const [url, pattern] of [
      ["not a url", /"not a url" is not a valid URL/],
      ["ftp://example.com/feed", /only http and https/],
      ["file:///etc/passwd", /only http and https/],
    ] as const) {
      await assert.rejects(
        fetcher.fetch(url),
        (err: FetchError) => err.code === "bad-url" && pattern.test(err.message),
      );
    }
  });

  test("a closed port is a network error naming the URL", async () => {
    const s = await start((_req, res) => res.end());
    const url = `${s.origin}/feed`;
    await s.close();
    servers.length = 0;
    await assert.rejects(fetcher.fetch(url), (err: FetchError) => {
      assert.ok(err instanceof FetchError);
      assert.equal(err.code, "network");
      assert.equal(err.url, url);
      assert.equal(err.message, `could not fetch ${url}: connection refused`);
      return true;
    });
  });

  test("the caller's signal cancels a fetch", async () => {
    const s = await start((_req, res) => {
      res.writeHead(200);
      res.write("x"); // and never ends
    });
    const ac = new AbortController();
    setTimeout(() => ac.abort(), 50);
    await assert.rejects(fetcher.fetch(`${s.origin}/`, { signal: ac.signal }), /was cancelled/);
  });
});
