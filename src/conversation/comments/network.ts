/** The network an address belongs to, for rate limits per network: IPv4 /24, IPv6 /48. Pure. */
import ipaddr from "ipaddr.js";

/** "203.0.113.0/24" for 203.0.113.7; "2001:db8:1::/48" for an IPv6 address in it. */
export function networkOf(ip: string): string {
  if (!ipaddr.isValid(ip)) return ip;
  let addr = ipaddr.parse(ip);
  if (addr.kind() === "ipv6" && (addr as ipaddr.IPv6).isIPv4MappedAddress())
    addr = (addr as ipaddr.IPv6).toIPv4Address();
  if (addr.kind() === "ipv4") {
    const o = (addr as ipaddr.IPv4).octets;
    return `${o[0]}.${o[1]}.${o[2]}.0/24`;
  }
  const p = (addr as ipaddr.IPv6).parts;
  return `${p[0].toString(16)}:${p[1].toString(16)}:${p[2].toString(16)}::/48`;
}
