/**
 * The SSRF address policy: which IP addresses an outbound request may connect to.
 * Checked on the address actually connected to (after DNS resolution), on every redirect hop.
 * Uses the platform's `net.BlockList`; IPv4 rules also match IPv4-mapped IPv6 (::ffff:a.b.c.d).
 */
import dns from "node:dns";
import { BlockList, isIP, type LookupFunction } from "node:net";

type Rule = [address: string, prefix: number, family: "ipv4" | "ipv6"];

/** Checked in order, so the metadata addresses are named before the wider ranges holding them. */
const CATEGORIES: [reason: string, rules: Rule[]][] = [
  [
    "a cloud metadata address",
    [
      ["169.254.169.254", 32, "ipv4"],
      ["fd00:ec2::254", 128, "ipv6"],
    ],
  ],
  [
    "a loopback address",
    [
      ["127.0.0.0", 8, "ipv4"],
      ["::1", 128, "ipv6"],
    ],
  ],
  [
    "a private address",
    [
      ["10.0.0.0", 8, "ipv4"],
      ["172.16.0.0", 12, "ipv4"],
      ["192.168.0.0", 16, "ipv4"],
      ["fc00::", 7, "ipv6"],
      ["fec0::", 10, "ipv6"], // deprecated site-local
      ["64:ff9b:1::", 48, "ipv6"], // local-use NAT64
    ],
  ],
  [
    "a link-local address",
    [
      ["169.254.0.0", 16, "ipv4"],
      ["fe80::", 10, "ipv6"],
    ],
  ],
  ["a shared (carrier-grade NAT) address", [["100.64.0.0", 10, "ipv4"]]],
  [
    "a multicast address",
    [
      ["224.0.0.0", 4, "ipv4"],
      ["ff00::", 8, "ipv6"],
    ],
  ],
  ["a broadcast address", [["255.255.255.255", 32, "ipv4"]]],
  [
    "an unspecified address",
    [
      ["0.0.0.0", 8, "ipv4"],
      ["::", 128, "ipv6"],
    ],
  ],
  [
    "a reserved address",
    [
      ["192.0.0.0", 24, "ipv4"], // IETF protocol assignments
      ["192.0.2.0", 24, "ipv4"], // documentation
      ["198.51.100.0", 24, "ipv4"],
      ["203.0.113.0", 24, "ipv4"],
      ["192.88.99.0", 24, "ipv4"], // deprecated 6to4 relay
      ["198.18.0.0", 15, "ipv4"], // benchmarking
      ["240.0.0.0", 4, "ipv4"], // class E
      ["::", 96, "ipv6"], // deprecated IPv4-compatible
      ["100::", 64, "ipv6"], // discard
      ["2001::", 23, "ipv6"], // IETF protocol assignments (Teredo, ORCHID, ...)
      ["2001:db8::", 32, "ipv6"], // documentation
      ["3fff::", 20, "ipv6"], // documentation
    ],
  ],
];

const LISTS: [string, BlockList][] = CATEGORIES.map(([reason, rules]) => {
  const list = new BlockList();
  for (const [address, prefix, family] of rules) list.addSubnet(address, prefix, family);
  return [reason, list];
});

/**
 * Why `address` (an IP literal) must not be fetched, e.g. "a private address", or null when it is
 * a public address. Anything that is not an IP address is refused as "not an IP address".
 */
export function blockedReason(address: string): string | null {
  const ip = address.replace(/^\[|\]$/g, "").replace(/%.*$/, "");
  const family = isIP(ip);
  if (family === 0) return "not an IP address";
  const type = family === 4 ? "ipv4" : "ipv6";
  for (const [reason, list] of LISTS) if (list.check(ip, type)) return reason;
  if (family === 6) {
    // NAT64 and 6to4 carry an IPv4 address inside; judge that one.
    const embedded = embeddedIPv4(ip);
    if (embedded) return blockedReason(embedded);
  }
  return null;
}

/** The IPv4 address inside a NAT64 (64:ff9b::/96) or 6to4 (2002::/16) address, else null. */
function embeddedIPv4(ip: string): string | null {
  const bytes = ipv6Bytes(ip);
  if (!bytes) return null;
  const nat64 = [0, 0x64, 0xff, 0x9b, 0, 0, 0, 0, 0, 0, 0, 0];
  if (nat64.every((b, i) => bytes[i] === b)) return bytes.slice(12).join(".");
  if (bytes[0] === 0x20 && bytes[1] === 0x02) return bytes.slice(2, 6).join(".");
  return null;
}

/** The 16 bytes of a valid IPv6 literal (validated by `isIP` first). */
function ipv6Bytes(ip: string): number[] | null {
  let text = ip;
  const tail: number[] = [];
  const dotted = /(\d+\.\d+\.\d+\.\d+)$/.exec(text);
  if (dotted) {
    tail.push(...dotted[1].split(".").map(Number));
    text = `${text.slice(0, dotted.index)}0:0`;
  }
  const [head, rest] = text.split("::");
  const groups = (s: string | undefined) => (s ? s.split(":").map((g) => Number.parseInt(g, 16)) : []);
  const left = groups(head);
  const right = groups(rest);
  const words = rest === undefined ? left : [...left, ...Array(8 - left.length - right.length).fill(0), ...right];
  if (words.length !== 8) return null;
  const bytes = words.flatMap((w) => [w >> 8, w & 0xff]);
  if (tail.length) bytes.splice(12, 4, ...tail);
  return bytes;
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
