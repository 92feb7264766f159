/**
 * The SSRF address policy: which IP addresses an outbound request may connect to.
 * Checked on the address actually connected to (after DNS resolution), on every redirect hop.
 *
 * Addresses are classified by range, not by spelling: ipaddr.js parses the address and names its
 * IANA special-purpose range, and only plain global unicast passes. An IPv6 address that carries
 * an IPv4 address (IPv4-mapped, IPv4-translated, NAT64, 6to4, IPv4-compatible, Teredo) is judged
 * by that IPv4 address, so `::ffff:0:7f00:1` is loopback however it is written.
 */
import dns from "node:dns";
import { isIP, type LookupFunction } from "node:net";
import ipaddr from "ipaddr.js";

type IPv4 = ipaddr.IPv4;
type IPv6 = ipaddr.IPv6;

/** The cloud metadata endpoints, named before the link-local and private ranges that hold them. */
const METADATA = [ipaddr.parse("169.254.169.254"), ipaddr.parse("fd00:ec2::254")].map((a) => a.toNormalizedString());

/** Why each named range is refused; a special range not named here is "a reserved address". */
const REASONS: Record<string, string> = {
  loopback: "a loopback address",
  private: "a private address",
  uniqueLocal: "a private address",
  deprecatedSiteLocal: "a private address",
  linkLocal: "a link-local address",
  carrierGradeNat: "a shared (carrier-grade NAT) address",
  multicast: "a multicast address",
  broadcast: "a broadcast address",
  unspecified: "an unspecified address",
};
const RESERVED = "a reserved address";

const net6 = (cidr: string) => ipaddr.IPv6.parseCIDR(cidr);
/** IPv6 forms whose last 32 bits are an IPv4 address that a connection reaches. */
const TRANSLATED = [
  net6("::ffff:0:0/96"), // IPv4-mapped
  net6("::ffff:0:0:0/96"), // IPv4-translated (RFC 6145)
  net6("64:ff9b::/96"), // NAT64, well-known prefix (RFC 6052)
];
const IPV4_COMPATIBLE = net6("::/96"); // deprecated (RFC 4291)
const LOCAL_NAT64 = net6("64:ff9b:1::/48"); // local-use NAT64 (RFC 8215)
const SIX_TO_FOUR = net6("2002::/16"); // 2002:AABB:CCDD::/48 for A.B.C.D (RFC 3056)
const TEREDO = net6("2001::/32"); // RFC 4380
/** Every global unicast IPv6 address is allocated from 2000::/3; outside it is unassigned or special. */
const GLOBAL_UNICAST = net6("2000::/3");

/**
 * Why `address` (an IP literal) must not be fetched, e.g. "a private address", or null when it is
 * a public address. Anything that is not an IP address is refused as "not an IP address".
 */
export function blockedReason(address: string): string | null {
  const ip = address.replace(/^\[|\]$/g, "").replace(/%.*$/, "");
  // isIP accepts only standard spellings; ipaddr.js alone would also read "0x7f.1" or "2130706433".
  const family = isIP(ip);
  if (family === 0) return "not an IP address";
  if (family === 4) return ipv4Reason(ipaddr.IPv4.parse(ip));
  // Written out in hex first by the WHATWG URL parser: ipaddr.js reads "::a.b.c.d" (IPv4-compatible)
  // as "::ffff:a.b.c.d" (IPv4-mapped), which is another address.
  return ipv6Reason(ipaddr.IPv6.parse(new URL(`http://[${ip}]/`).hostname.slice(1, -1)));
}

function ipv4Reason(addr: IPv4): string | null {
  if (METADATA.includes(addr.toNormalizedString())) return "a cloud metadata address";
  const range = addr.range();
  return range === "unicast" ? null : (REASONS[range] ?? RESERVED);
}

function ipv6Reason(addr: IPv6): string | null {
  if (METADATA.includes(addr.toNormalizedString())) return "a cloud metadata address";
  const range = addr.range();
  if (range === "unspecified" || range === "loopback") return REASONS[range] ?? RESERVED;
  const last32 = ipv4Of(addr, 6);
  if (TRANSLATED.some((net) => addr.match(net))) return ipv4Reason(last32);
  if (addr.match(SIX_TO_FOUR)) return ipv4Reason(ipv4Of(addr, 1));
  // The rest are refused whatever they carry; the IPv4 inside only gives a more telling reason.
  if (addr.match(IPV4_COMPATIBLE)) return ipv4Reason(last32) ?? RESERVED;
  if (addr.match(LOCAL_NAT64)) return "a private address"; // its IPv4 sits where the local prefix says
  if (addr.match(TEREDO)) return ipv4Reason(ipv4Of(addr, 6, 0xff)) ?? RESERVED; // client address, inverted
  if (range !== "unicast") return REASONS[range] ?? RESERVED;
  return addr.match(GLOBAL_UNICAST) ? null : RESERVED;
}

/** The IPv4 address in 16-bit words `word` and `word + 1` of an IPv6 address, each byte XOR `flip`. */
function ipv4Of(addr: IPv6, word: number, flip = 0): IPv4 {
  const bytes = addr.parts.slice(word, word + 2).flatMap((w) => [w >> 8, w & 0xff]);
  return new ipaddr.IPv4(bytes.map((b) => b ^ flip));
}

/** Why an address is refused, or null to allow it. */
export type AddressPolicy = (ip: string) => string | null;

/** A resolved or literal address the policy refused. */
export class BlockedAddressError extends Error {
  readonly address: string;
  readonly reason: string;
  constructor(address: string, reason: string) {
    super(`${address} is ${reason}`);
    this.name = "BlockedAddressError";
    this.address = address;
    this.reason = reason;
  }
}

/**
 * A `lookup` for node:net that resolves with dns.lookup and refuses the connection when any address
 * is refused by `policy`, so the address checked is the address connected to (no DNS-rebinding gap).
 */
export function guardedLookup(policy: AddressPolicy): LookupFunction {
  return (hostname, options, callback) => {
    dns.lookup(hostname, { ...options, all: true }, (err, addresses) => {
      if (err) return callback(err, []);
      if (!addresses.length)
        return callback(Object.assign(new Error(`no address for ${hostname}`), { code: "ENOTFOUND" }), []);
      for (const { address } of addresses) {
        const reason = policy(address);
        if (reason) return callback(new BlockedAddressError(address, reason), []);
      }
      if (options.all) return callback(null, addresses);
      callback(null, addresses[0].address, addresses[0].family);
    });
  };
}
