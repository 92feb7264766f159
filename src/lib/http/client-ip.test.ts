/** LINER_TRUST_PROXY: parsing, and which address of a forwarded chain is the client's. */
import assert from "node:assert/strict";
import { test } from "node:test";
import { Hono } from "hono";
import { ConfigError, loadConfig } from "../config.ts";
import { clientIp, forwardedFor, parseTrustProxy, resolveClientIp, type TrustProxy } from "./client-ip.ts";
import type { AppEnv } from "./env.ts";

const trust = (raw: string) => parseTrustProxy(raw) as TrustProxy;

test("parse: a hop count, a list of addresses and ranges, or nothing", () => {
  assert.deepEqual(parseTrustProxy("2"), { hops: 2 });
  assert.equal(parseTrustProxy(""), undefined);
  assert.equal(parseTrustProxy(undefined), undefined);
  assert.equal(parseTrustProxy("0"), undefined, "no hops: trust nobody");
  const list = trust(" 127.0.0.1, 10.0.0.0/8 ,::1, 2001:db8::/32");
  assert.ok("ranges" in list);
  assert.deepEqual(
    list.ranges.map(([ip, bits]) => `${ip.toString()}/${bits}`),
    ["127.0.0.1/32", "10.0.0.0/8", "::1/128", "2001:db8::/32"],
  );
  for (const [bad, why] of [
    ["localhost", /"localhost" is not an IP address or CIDR range/],
    ["10.0.0.0/33", /"10.0.0.0\/33"/],
    ["10.0.0.1,", /"" is not an IP address/],
    ["127.1", /"127.1"/],
    ["10.0.0.0/8/8", /"10.0.0.0\/8\/8"/],
    ["99", /at most 32/],
  ] as const) {
    assert.throws(() => parseTrustProxy(bad), why, bad);
  }
});

test("config: a bad LINER_TRUST_PROXY is a one-line error naming the variable", () => {
  assert.deepEqual(loadConfig({ LINER_TRUST_PROXY: "1" }).trustProxy, { hops: 1 });
  assert.equal(loadConfig({}).trustProxy, undefined);
  assert.throws(
    () => loadConfig({ LINER_TRUST_PROXY: "proxy.internal" }),
    (err: Error) =>
      err instanceof ConfigError &&
      err.variable === "LINER_TRUST_PROXY" &&
      /^LINER_TRUST_PROXY: "proxy.internal" is not an IP address or CIDR range/.test(err.message) &&
      !err.message.includes("\n"),
  );
});

test("resolve: the right-most address that no trusted proxy stands behind", () => {
  const proxies = trust("10.0.0.0/8, 192.0.2.1");
  // The client claims 1.1.1.1; the outer proxy saw 203.0.113.5, the inner one 10.0.0.7.
  const chain = ["1.1.1.1", "203.0.113.5", "10.0.0.7"];
  assert.equal(resolveClientIp("192.0.2.1", chain, proxies), "203.0.113.5");
  assert.equal(resolveClientIp("::ffff:192.0.2.1", chain, proxies), "203.0.113.5", "IPv4-mapped peer");
  assert.equal(
    resolveClientIp("198.51.100.1", chain, proxies),
    "198.51.100.1",
    "an untrusted peer's headers are ignored",
  );
  assert.equal(resolveClientIp("192.0.2.1", [], proxies), "192.0.2.1", "no header: the peer");
  assert.equal(
    resolveClientIp("192.0.2.1", ["10.0.0.2", "10.0.0.3"], proxies),
    "10.0.0.2",
    "all trusted: the left-most",
  );
  assert.equal(resolveClientIp("192.0.2.1", chain, undefined), "192.0.2.1", "no trust configured");
  // Hop counts: the right-most `hops` entries (the peer included) are proxies.
  assert.equal(resolveClientIp("local", chain, { hops: 1 }), "10.0.0.7");
  assert.equal(resolveClientIp("local", chain, { hops: 2 }), "203.0.113.5");
  assert.equal(resolveClientIp("local", chain, { hops: 9 }), "1.1.1.1", "a short chain: its left-most");
  // Ports, brackets and spellings are normalized, so one client is one subject.
  assert.equal(resolveClientIp("192.0.2.1", ["[2001:DB8::0001]:4711"], proxies), "2001:db8::1");
  assert.equal(resolveClientIp("192.0.2.1", ["203.0.113.5:8080"], proxies), "203.0.113.5");
  assert.equal(resolveClientIp("192.0.2.1", ["garbage"], proxies), "garbage");
});

test("RFC 7239 Forwarded: the for= values, left to right", () => {
  assert.deepEqual(
    forwardedFor('for=192.0.2.43, for="[2001:db8:cafe::17]:4711";proto=https, by=10.0.0.1;For=unknown'),
    ["192.0.2.43", '"[2001:db8:cafe::17]:4711"', "unknown"],
  );
  assert.equal(
    resolveClientIp("10.0.0.1", forwardedFor('for=192.0.2.43, for="[2001:db8:cafe::17]:4711"'), trust("10.0.0.1")),
    "2001:db8:cafe::17",
  );
});

test("app.request: headers count only from a trusted peer; X-Forwarded-For before Forwarded", async () => {
  const app = new Hono<AppEnv>();
  app.use("*", async (c, next) => {
    c.set("trustProxy", trust("10.0.0.0/8"));
    await next();
  });
  app.get("/ip", (c) => c.text(clientIp(c)));
  const from = async (peer: string, headers: Record<string, string>) =>
    (await app.request("/ip", { headers }, { incoming: { socket: { remoteAddress: peer } } })).text();
  assert.equal(await from("10.0.0.2", { "x-forwarded-for": "6.6.6.6, 203.0.113.5" }), "203.0.113.5");
  assert.equal(await from("198.51.100.9", { "x-forwarded-for": "203.0.113.5" }), "198.51.100.9");
  assert.equal(await from("::ffff:10.0.0.2", { forwarded: 'for="203.0.113.6:1234"' }), "203.0.113.6");
  assert.equal(
    await from("10.0.0.2", { forwarded: "for=203.0.113.6", "x-forwarded-for": "203.0.113.7" }),
    "203.0.113.7",
  );
  assert.equal(await (await app.request("/ip")).text(), "local", "no socket under app.request");
});
