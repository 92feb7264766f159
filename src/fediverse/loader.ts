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

/** Documents kept by `remembered`, by URL, with when they were fetched. */
export type DocumentMemory = Map<string, { doc: RemoteDocument; at: number }>;

/**
 * A loader that answers a URL it fetched less than `ttlMs` ago from this process's memory. For the
 * signed loader, which Fedify uses in an inbox to read each activity's author: a burst of Likes from
 * one account fetched the account once per Like (6,000 fetches, each signed, for 5,000 Likes). In
 * memory rather than in the shared store: those documents are ours alone, and a write per fetch to
 * the database under a burst is the cost being avoided.
 */
export function remembered(
  loader: DocumentLoader,
  memory: DocumentMemory,
  opts: { ttlMs?: number; max?: number; clock?: () => number } = {},
): DocumentLoader {
  const { ttlMs = 60_000, max = 1000, clock = Date.now } = opts;
  return async (url: string) => {
    const known = memory.get(url);
    if (known && clock() - known.at < ttlMs) return known.doc;
    const doc = await loader(url);
    memory.delete(url);
    if (memory.size >= max) memory.delete(memory.keys().next().value as string);
    memory.set(url, { doc, at: clock() });
    return doc;
  };
}
