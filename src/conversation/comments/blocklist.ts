/**
 * The owner's blocklists against what someone sent: a blocked word in the text or name, a blocked
 * domain in a link, the website or the email address, or a blocked address (an email, or the
 * client's IP address). Pure.
 */
import type { BlockKind } from "../store.ts";

export interface Submission {
  name: string;
  text: string;
  url: string;
  email: string;
  ip: string;
}

/** Hostnames named in a text (links, bare domains) and URLs. */
function hostsIn(s: Submission): string[] {
  const out: string[] = [];
  for (const m of `${s.text} ${s.url}`.matchAll(/\b(?:https?:\/\/)?((?:[a-z0-9-]+\.)+[a-z]{2,})\b/gi)) {
    out.push(m[1].toLowerCase());
  }
  const at = s.email.lastIndexOf("@");
  if (at > 0) out.push(s.email.slice(at + 1).toLowerCase());
  return out;
}

/** A host is blocked by a domain entry for it or for a parent domain. */
const underDomain = (host: string, domain: string) => host === domain || host.endsWith(`.${domain}`);

/** The first blocklist entry the submission matches, described for the owner; undefined if none. */
export function blockedBy(blocks: { kind: BlockKind; value: string }[], s: Submission): string | undefined {
  const words = `${s.name}\n${s.text}`.toLowerCase();
  const hosts = hostsIn(s);
  for (const b of blocks) {
    const v = b.value.toLowerCase();
    if (b.kind === "word" && v && words.includes(v)) return `blocked word "${b.value}"`;
    if (b.kind === "domain" && hosts.some((h) => underDomain(h, v))) return `blocked domain ${b.value}`;
    if (b.kind === "address" && (v === s.email.toLowerCase() || v === s.ip)) return `blocked address ${b.value}`;
  }
  return undefined;
}
