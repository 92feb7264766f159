/**
 * Fedify's document loaders on our guarded fetcher: every remote actor, key and object Fedify
 * reads goes through `ctx.fetcher` (the SSRF guard, size and time limits), like every other
 * outbound request. JSON-LD contexts that Fedify ships (ActivityStreams, security, ...) are
 * answered from memory without a request.
 */

import { signRequest } from "@fedify/fedify";
import { type DocumentLoader, preloadedContexts, type RemoteDocument } from "@fedify/vocab-runtime";
import type { AppContext } from "../lib/context.ts";

const ACCEPT = 'application/activity+json, application/ld+json; profile="https://www.w3.org/ns/activitystreams"';
/** Largest document read: actors and notes are a few KB; a megabyte is generous. */
const MAX_BYTES = 1024 * 1024;

/** Signs a GET with our key (servers in authorized-fetch mode answer only signed requests). */
type Signer = (url: string, headers: Record<string, string>) => Promise<Record<string, string>>;

/** A DocumentLoader over `ctx.fetcher`; with `identity`, its requests are signed with that key. */
export function guardedLoader(
  ctx: Pick<AppContext, "fetcher">,
  identity?: { keyId: URL; privateKey: CryptoKey },
): DocumentLoader {
  const sign: Signer | undefined = identity
    ? async (url, headers) => {
        const signed = await signRequest(new Request(url, { headers }), identity.privateKey, identity.keyId);
        return Object.fromEntries(signed.headers.entries());
      }
    : undefined;
  return async (url: string): Promise<RemoteDocument> => {
    const preloaded = (preloadedContexts as Record<string, unknown>)[url];
    if (preloaded !== undefined) return { contextUrl: null, documentUrl: url, document: preloaded };
    const plain = { Accept: ACCEPT };
    const headers = sign ? await sign(url, plain) : plain;
    const res = await ctx.fetcher.fetch(url, { headers, maxBytes: MAX_BYTES, timeoutMs: 10_000 });
    if (res.status !== 200) throw new Error(`${url}: the server answered ${res.status}`);
    const text = new TextDecoder().decode(res.body);
    let document: unknown;
    try {
      document = JSON.parse(text);
    } catch (err) {
      throw new Error(`${url}: not JSON`, { cause: err });
    }
    return { contextUrl: null, documentUrl: res.url, document };
  };
}
