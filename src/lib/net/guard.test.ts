// test lanes: sqlite only
import assert from "node:assert/strict";
import { afterEach, describe, test } from "node:test";
import { createTestContext } from "../testing.ts";
import { createFetcher } from "./fetcher.ts";
import { blockedReason } from "./guard.ts";
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
const ok: Parameters<typeof serve>[0] = (_req, res) => res.end("ok");

describe("blockedReason", () => {
  const cases: [string, string | null][] = [
    ["8.8.8.8", null],
    ["93.184.216.34", null],
    ["2606:4700:4700::1111", null],
    ["2001:4860:4860::8888", null],
    ["127.0.0.1", "a loopback address"],
    ["127.255.0.9", "a loopback address"],
    ["::1", "a loopback address"],
    ["::ffff:127.0.0.1", "a loopback address"],
    ["::ffff:7f00:1", "a loopback address"],
    ["10.0.0.5", "a private address"],
    ["172.16.0.1", "a private address"],
    ["172.31.255.255", "a private address"],
    ["172.32.0.1", null],
    ["192.168.1.1", "a private address"],
    ["::ffff:192.168.1.1", "a private address"],
    ["fd12:3456::1", "a private address"],
    ["169.254.169.254", "a cloud metadata address"],
    ["::ffff:169.254.169.254", "a cloud metadata address"],
    ["fd00:ec2::254", "a cloud metadata address"],
    ["169.254.10.1", "a link-local address"],
    ["fe80::1", "a link-local address"],
    ["fe80::1%eth0", "a link-local address"],
    ["0.0.0.0", "an unspecified address"],
    ["0.1.2.3", "an unspecified address"],
    ["::", "an unspecified address"],
    ["100.64.0.1", "a shared (carrier-grade NAT) address"],
    ["100.128.0.1", null],
    ["224.0.0.1", "a multicast address"],
    ["ff02::1", "a multicast address"],
    ["255.255.255.255", "a broadcast address"],
    ["240.0.0.1", "a reserved address"],
    ["192.0.2.1", "a reserved address"],
    ["198.18.0.1", "a reserved address"],
    ["2001:db8::1", "a reserved address"],
    ["64:ff9b::7f00:1", "a loopback address"], // NAT64 of 127.0.0.1
    ["64:ff9b::808:808", null], // NAT64 of 8.8.8.8
    ["2002:a00:1::1", "a private address"], // 6to4 of 10.0.0.1
    ["[::1]", "a loopback address"],
    ["example.com", "not an IP address"],
    // Classified by range, not spelling: every IPv6 form that carries an IPv4 address (issue 13).
    ["::ffff:0:7f00:1", "a loopback address"], // IPv4-translated (RFC 6145) 127.0.0.1
    ["::ffff:0:127.0.0.1", "a loopback address"],
    ["0:0:0:0:0:ffff:7f00:1", "a loopback address"],
    ["::ffff:0:a9fe:a9fe", "a cloud metadata address"],
    ["::ffff:0:a00:1", "a private address"],
    ["::ffff:0:808:808", null],
    ["::ffff:8.8.8.8", null],
    ["::127.0.0.1", "a loopback address"], // IPv4-compatible (deprecated)
    ["::7f00:1", "a loopback address"],
    ["::8.8.8.8", "a reserved address"],
    ["64:ff9b::a9fe:a9fe", "a cloud metadata address"],
    ["64:ff9b:1::a00:1", "a private address"], // local-use NAT64
    ["2002:7f00:1::1", "a loopback address"], // 6to4 of 127.0.0.1
    ["2002:a9fe:a9fe::", "a cloud metadata address"],
    ["2002:808:808::1", null],
    ["2001:0:4136:e378:8000:63bf:80ff:fffe", "a loopback address"], // Teredo, client 127.0.0.1
    ["2001:0:4136:e378:8000:63bf:f7f7:f7f7", "a reserved address"], // Teredo, client 8.8.8.8
    ["FD00:EC2:0::254", "a cloud metadata address"],
    ["fec0::1", "a private address"], // deprecated site-local
    ["::ffff:255.255.255.255", "a broadcast address"],
    ["::0.0.0.0", "an unspecified address"],
    ["192.31.196.1", "a reserved address"], // AS112
    ["192.52.193.1", "a reserved address"], // AMT
    ["100::1", "a reserved address"], // discard
    ["2001:2::1", "a reserved address"], // benchmarking
    ["5f00::1", "a reserved address"], // segment routing
    ["4000::1", "a reserved address"], // outside global unicast 2000::/3
  ];
  for (const [address, reason] of cases) {
    test(`${address} → ${reason ?? "allowed"}`, () => assert.equal(blockedReason(address), reason));
  }
});

describe("the SSRF guard", () => {
  const guarded = createFetcher({ allowPrivate: false });

  test("with allowPrivate, loopback is fetched", async () => {
    const s = await start(ok);
    const r = await createFetcher({ allowPrivate: true }).fetch(`${s.origin}/`);
    assert.equal(r.status, 200);
  });

  test("loopback in every spelling is refused without connecting", async () => {
    const s = await start(ok);
    const p = s.port;
    const urls: [string, string][] = [
      [`http://127.0.0.1:${p}/feed`, `refused to fetch http://127.0.0.1:${p}/feed: 127.0.0.1 is a loopback address`],
      [`http://localhost:${p}/feed`, `refused to fetch http://localhost:${p}/feed: 127.0.0.1 is a loopback address`],
      [`http://[::1]:${p}/`, `refused to fetch http://[::1]:${p}/: ::1 is a loopback address`],
      [
        `http://[::ffff:127.0.0.1]:${p}/`,
        `refused to fetch http://[::ffff:7f00:1]:${p}/: ::ffff:7f00:1 is a loopback address`,
      ],
      [
        `http://[::ffff:0:7f00:1]:${p}/`,
        `refused to fetch http://[::ffff:0:7f00:1]:${p}/: ::ffff:0:7f00:1 is a loopback address`,
      ],
      [`http://2130706433:${p}/`, `refused to fetch http://127.0.0.1:${p}/: 127.0.0.1 is a loopback address`],
      [`http://0177.0.0.1:${p}/`, `refused to fetch http://127.0.0.1:${p}/: 127.0.0.1 is a loopback address`],
      [`http://0x7f.1:${p}/`, `refused to fetch http://127.0.0.1:${p}/: 127.0.0.1 is a loopback address`],
    ];
    for (const [url, message] of urls) {
      await assert.rejects(guarded.fetch(url), (err: FetchError) => {
        assert.equal(err.code, "blocked", url);
        assert.equal(err.url, url);
        assert.equal(err.message, message);
        return true;
      });
    }
    assert.equal(s.connections(), 0);
  });

  test("the metadata address is refused at once", async () => {
    const started = Date.now();
    await assert.rejects(guarded.fetch("http://169.254.169.254/latest/meta-data/"), {
      code: "blocked",
      message: "refused to fetch http://169.254.169.254/latest/meta-data/: 169.254.169.254 is a cloud metadata address",
    });
    await assert.rejects(guarded.fetch("http://10.0.0.5/"), { message: /10\.0\.0\.5 is a private address/ });
    assert.ok(Date.now() - started < 100);
  });

  test("a redirect from a trusted address to loopback is refused on the hop", async () => {
    const target = await start(ok);
    const origin = await start((_req, res) => {
      res.writeHead(302, { location: `http://127.0.0.1:${target.port}/secret` });
      res.end();
    }, "127.0.0.2");
    const fetcher = createFetcher({ allowPrivate: false, trustedAddresses: ["127.0.0.2"] });
    await assert.rejects(fetcher.fetch(`${origin.origin}/feed`), (err: FetchError) => {
      assert.equal(err.code, "blocked");
      assert.equal(err.url, `${origin.origin}/feed`);
      assert.equal(
        err.message,
        `refused to fetch http://127.0.0.1:${target.port}/secret: 127.0.0.1 is a loopback address (redirected from ${origin.origin}/feed)`,
      );
      return true;
    });
    assert.equal(origin.connections(), 1, "the trusted address itself was fetched");
    assert.equal(target.connections(), 0);
  });

  test("a redirect to a name that resolves to loopback is refused too", async () => {
    const target = await start(ok);
    const origin = await start((_req, res) => {
      res.writeHead(301, { location: `http://localhost:${target.port}/` });
      res.end();
    }, "127.0.0.2");
    const fetcher = createFetcher({ allowPrivate: false, trustedAddresses: ["127.0.0.2"] });
    await assert.rejects(fetcher.fetch(`${origin.origin}/`), { code: "blocked" });
    assert.equal(target.connections(), 0);
  });

  test("ctx.fetcher follows config.allowPrivateFetch and sends the app's User-Agent", async () => {
    let agent = "";
    const s = await start((req, res) => {
      agent = req.headers["user-agent"] ?? "";
      res.end("ok");
    });
    const open = await createTestContext();
    const closed = await createTestContext({ allowPrivateFetch: false });
    try {
      assert.equal((await open.fetcher.fetch(`${s.origin}/`)).status, 200);
      assert.equal(agent, "LinerNotes/0.1 (+http://127.0.0.1:4321)");
      await assert.rejects(closed.fetcher.fetch(`${s.origin}/`), { code: "blocked" });
    } finally {
      await open.cleanup();
      await closed.cleanup();
    }
  });
});
