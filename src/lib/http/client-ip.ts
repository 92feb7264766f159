/**
 * The client's address, for rate limits. Behind a reverse proxy every request comes from the
 * proxy, so with LINER_TRUST_PROXY set the forwarding headers are read, but only as far as proxies
 * we trust wrote them: from the right (the direct peer), each hop a trusted proxy vouches for is
 * skipped, and the first address no trusted proxy stands behind is the client. Whatever lies
 * further left was sent by the client itself and can be made up.
 *
 * `X-Forwarded-For` is read, or RFC 7239 `Forwarded` when a request has no `X-Forwarded-For`
 * (a proxy that sets only `Forwarded` should drop an incoming `X-Forwarded-For`).
 */
import { getConnInfo } from "@hono/node-server/conninfo";
import type { Context } from "hono";
import ipaddr from "ipaddr.js";
import type { AppEnv } from "./env.ts";

type Ip = ipaddr.IPv4 | ipaddr.IPv6;

/**
 * Whose forwarding headers to believe: the proxies at these addresses or ranges, or a fixed
 * number of proxies in front of us (`hops`: the right-most `hops` entries of the chain, the
 * direct peer included, are proxies).
 */
export type TrustProxy = { hops: number } | { ranges: [Ip, number][] };

/** Proxies in front of us, at most (a larger hop count is surely a typo). */
const MAX_HOPS = 32;

/**
 * Parse LINER_TRUST_PROXY: a hop count ("1"), or a comma list of addresses and CIDR ranges
 * ("127.0.0.1, 10.0.0.0/8, ::1"). Empty or "0": trust no proxy (undefined). Throws an Error whose
 * message says what is wrong with which entry. Pure.
 */
export function parseTrustProxy(raw: string | undefined): TrustProxy | undefined {
  const value = (raw ?? "").trim();
  if (value === "") return undefined;
  if (/^\d+$/.test(value)) {
    const hops = Number(value);
    if (hops > MAX_HOPS) throw new Error(`a hop count must be at most ${MAX_HOPS} (got ${value})`);
    return hops === 0 ? undefined : { hops };
  }
  const ranges: [Ip, number][] = [];
  for (const part of value.split(",")) {
    const entry = part.trim();
    const range = parseRange(entry);
    if (!range) {
      throw new Error(
        `${JSON.stringify(entry)} is not an IP address or CIDR range; use a hop count (e.g. 1) or a comma list such as 127.0.0.1,10.0.0.0/8`,
      );
    }
    ranges.push(range);
  }
  return { ranges };
}

/** A TrustProxy written back as LINER_TRUST_PROXY takes it (for another thread to parse). Pure. */
export function trustProxyText(trust: TrustProxy | undefined): string {
  if (!trust) return "";
  if ("hops" in trust) return String(trust.hops);
  return trust.ranges.map(([ip, bits]) => `${ip.toString()}/${bits}`).join(",");
}

function parseRange(entry: string): [Ip, number] | undefined {
  const [addr, bits, extra] = entry.split("/");
  if (extra !== undefined || !addr) return undefined;
  const ip = parseIp(addr);
  if (!ip) return undefined;
  const max = ip.kind() === "ipv4" ? 32 : 128;
  if (bits === undefined) return [ip, max];
  if (!/^\d{1,3}$/.test(bits) || Number(bits) > max) return undefined;
  return [ip, Number(bits)];
}

/**
 * An address in its usual spelling (four-part decimal IPv4, or IPv6), IPv4-mapped IPv6 taken as
 * its IPv4 address (a dual-stack socket reports "::ffff:10.0.0.1"); undefined for anything else.
 */
function parseIp(s: string): Ip | undefined {
  if (ipaddr.IPv4.isValidFourPartDecimal(s)) return ipaddr.IPv4.parse(s);
  if (!ipaddr.IPv6.isValid(s)) return undefined;
  const v6 = ipaddr.IPv6.parse(s);
  return v6.isIPv4MappedAddress() ? v6.toIPv4Address() : v6;
}

/**
 * One hop of a forwarding header as an address: without quotes, brackets and port
 * ("[2001:db8::1]:4711" → "2001:db8::1", "192.0.2.1:80" → "192.0.2.1"). Pure.
 */
function hopAddress(hop: string): string {
  if (USUAL_IPV4.test(hop)) return hop;
  let s = hop.trim().replace(/^"(.*)"$/, "$1");
  const bracketed = /^\[([^\]]+)\](?::\d+)?$/.exec(s);
  if (bracketed) s = bracketed[1];
  else if (/^[\d.]+:\d+$/.test(s)) s = s.slice(0, s.lastIndexOf(":"));
  return s;
}

/** The `for=` addresses of an RFC 7239 `Forwarded` header, left to right. Pure. */
export function forwardedFor(header: string): string[] {
  const out: string[] = [];
  for (const element of header.split(",")) {
    for (const pair of element.split(";")) {
      const eq = pair.indexOf("=");
      if (eq > 0 && pair.slice(0, eq).trim().toLowerCase() === "for") out.push(pair.slice(eq + 1).trim());
    }
  }
  return out;
}

/**
 * The client's address from the direct peer and the forwarded chain (left to right, as the
 * headers list it), under `trust`: the right-most address no trusted proxy stands behind; the
 * left-most when every hop is trusted. Without `trust`, the peer. Pure.
 */
export function resolveClientIp(peer: string, forwarded: string[], trust: TrustProxy | undefined): string {
  if (!trust || forwarded.length === 0) return normalize(peer);
  const chain = [...forwarded.map(hopAddress), peer];
  if ("hops" in trust) return normalize(chain[Math.max(0, chain.length - 1 - trust.hops)]);
  let i = chain.length - 1;
  while (i > 0 && isTrusted(chain[i], trust.ranges)) i--;
  return normalize(chain[i]);
}

function isTrusted(address: string, ranges: [Ip, number][]): boolean {
  const ip = parseIp(address);
  return !!ip && ranges.some(([range, bits]) => range.kind() === ip.kind() && ip.match(range, bits));
}

/** Four decimal octets, each 0–255 without a leading zero: IPv4 in its usual spelling. */
const USUAL_IPV4 = /^(?:(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)\.){3}(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)$/;

/** The usual spelling of an address (so one client is one rate-limit subject), else as given. */
function normalize(address: string): string {
  // Most addresses come spelled the usual way already: no parsing for them (it shows under load).
  if (USUAL_IPV4.test(address)) return address;
  return parseIp(address)?.toString() ?? address;
}

/** The peer's address as the socket reports it; "local" under `app.request()`, which has no socket. */
export function peerAddress(c: Context<AppEnv>): string {
  try {
    return getConnInfo(c).remote.address ?? "unknown";
  } catch {
    return "local";
  }
}

/**
 * The client's address: the peer's, or behind trusted proxies (`c.var.trustProxy`, set from the
 * configuration by the app) the one their forwarding headers name. "local" under `app.request()`
 * unless a trusted forwarding header says otherwise.
 */
export function clientIp(c: Context<AppEnv>): string {
  return clientIpFrom(peerAddress(c), c.get("trustProxy"), (name) => c.req.header(name));
}

/** The client's address from the peer's and the request's headers, trusting `trust`'s proxies. */
export function clientIpFrom(
  peer: string,
  trust: TrustProxy | undefined,
  header: (name: string) => string | undefined,
): string {
  if (!trust) return normalize(peer);
  const xff = header("x-forwarded-for");
  const hops = xff !== undefined ? xff.split(",") : forwardedFor(header("forwarded") ?? "");
  return resolveClientIp(
    peer,
    hops.map((h) => h.trim()).filter((h) => h !== ""),
    trust,
  );
}

/** `clientIpFrom` with the configuration's trusted proxies (outside a request's Context). */
export const clientIpOf = (
  ctx: { config: { trustProxy?: TrustProxy } },
  peer: string,
  header: (name: string) => string | undefined,
): string => clientIpFrom(peer, ctx.config.trustProxy, header);

/** What an outcome keeps of the reader's request on its way (lib/module.ts ReaderRequest). */
export function readerOf(c: Context<AppEnv>): { peer: string; forwardedFor?: string; forwarded?: string; ua?: string } {
  return {
    peer: peerAddress(c),
    forwardedFor: c.req.header("x-forwarded-for"),
    forwarded: c.req.header("forwarded"),
    ua: c.req.header("user-agent"),
  };
}
