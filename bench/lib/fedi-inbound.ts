/**
 * The inbound side of the `federate` benchmark: Likes of one of the site's posts from many remote
 * accounts (served by the peer process, each server's accounts on its own loopback address), each
 * signed with its account's RSA key as Mastodon signs (draft-cavage HTTP Signatures, Fedify's
 * `signRequest`), all signed before the run so that the sender costs little while it runs; then
 * POSTed to the site's shared inbox at a fixed rate (open loop: a request's latency counts from
 * when it was due, so a server that falls behind is not hidden by a sender that waits for it).
 */
import { generateKeyPair } from "node:crypto";
import http from "node:http";
import { promisify } from "node:util";

/** Likes each remote account sends, of as many posts (the fan-outs' posts). */
export const LIKES_PER_ACCOUNT = 5;

/** Remote accounts' key pairs: account i signs with key i mod count. */
export interface AccountKeys {
  publicPems: string[];
  privateKeys: CryptoKey[];
}

/** RSA-2048 key pairs, made on the thread pool (a few hundred ms for eight). */
export async function makeAccountKeys(count: number): Promise<AccountKeys> {
  const pairs = await Promise.all(
    Array.from({ length: count }, () =>
      promisify(generateKeyPair)("rsa", {
        modulusLength: 2048,
        publicKeyEncoding: { type: "spki", format: "pem" },
        privateKeyEncoding: { type: "pkcs8", format: "der" },
      }),
    ),
  );
  const algorithm = { name: "RSASSA-PKCS1-v1_5", hash: "SHA-256" };
  const privateKeys = await Promise.all(
    pairs.map((p) => crypto.subtle.importKey("pkcs8", p.privateKey, algorithm, true, ["sign"])),
  );
  return { publicPems: pairs.map((p) => p.publicKey), privateKeys };
}

/** A signed POST, ready to send. */
export interface SignedPost {
  headers: Record<string, string>;
  body: Buffer;
}

/**
 * `count` Likes to `inbox`, Like i from account `u<i mod accounts>` on server `(i mod accounts) mod
 * servers` (`origin(s)` is that server's base URL), of `objectUris[⌊i / accounts⌋ mod length]`: each
 * account likes posts in turn, so no Like repeats another.
 */
export async function signLikes(o: {
  count: number;
  accounts: number;
  servers: number;
  origin: (server: number) => string;
  inbox: string;
  objectUris: string[];
  keys: AccountKeys;
}): Promise<SignedPost[]> {
  const { signRequest } = await import("@fedify/fedify");
  const out: SignedPost[] = new Array(o.count);
  const one = async (i: number) => {
    const account = i % o.accounts;
    const actor = `${o.origin(account % o.servers)}/users/u${account}`;
    const body = JSON.stringify({
      "@context": "https://www.w3.org/ns/activitystreams",
      id: `${actor}#likes/${i}`,
      type: "Like",
      actor,
      object: o.objectUris[Math.floor(i / o.accounts) % o.objectUris.length],
    });
    const request = new Request(o.inbox, {
      method: "POST",
      headers: { "content-type": "application/activity+json" },
      body,
    });
    const key = o.keys.privateKeys[account % o.keys.privateKeys.length];
    const signed = await signRequest(request, key, new URL(`${actor}#main-key`));
    out[i] = { headers: Object.fromEntries(signed.headers.entries()), body: Buffer.from(body) };
  };
  // WebCrypto signs on the thread pool: a few at once use both cores.
  for (let i = 0; i < o.count; i += 64) {
    await Promise.all(Array.from({ length: Math.min(64, o.count - i) }, (_, k) => one(i + k)));
  }
  return out;
}

/** What a run of POSTs got back. */
export interface OpenLoopResult {
  /** ms from when each request was due to the last byte of its answer. */
  times: number[];
  statuses: Map<number, number>;
  /** From the first request due to the last answer. */
  ms: number;
  firstError: string;
}

/** POST `posts` to `url` at `perSecond`, over keep-alive connections (at most `sockets` at once). */
export async function openLoop(url: string, posts: SignedPost[], perSecond: number, sockets = 256) {
  const target = new URL(url);
  const agent = new http.Agent({ keepAlive: true, maxSockets: sockets });
  const times: number[] = [];
  const statuses = new Map<number, number>();
  let firstError = "";
  const post = (p: SignedPost, due: number) =>
    new Promise<void>((resolve) => {
      const req = http.request(
        {
          host: target.hostname,
          port: target.port,
          path: target.pathname,
          method: "POST",
          agent,
          headers: { ...p.headers, "content-length": String(p.body.length) },
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on("data", (c: Buffer) => chunks.push(c));
          res.on("end", () => {
            times.push(performance.now() - due);
            statuses.set(res.statusCode ?? 0, (statuses.get(res.statusCode ?? 0) ?? 0) + 1);
            if ((res.statusCode ?? 0) >= 300 && !firstError)
              firstError = `${res.statusCode}: ${Buffer.concat(chunks).toString().slice(0, 200)}`;
            resolve();
          });
        },
      );
      // Long: a late answer is latency to report, not an error.
      req.setTimeout(120_000, () => req.destroy(new Error("timeout")));
      req.on("error", (err) => {
        times.push(performance.now() - due);
        statuses.set(0, (statuses.get(0) ?? 0) + 1);
        firstError ||= String(err);
        resolve();
      });
      req.end(p.body);
    });
  const started = performance.now();
  const pending: Promise<void>[] = [];
  let next = 0;
  while (next < posts.length) {
    const now = performance.now();
    // Everything due by now goes out; the timer's lateness is counted in the latency.
    while (next < posts.length && started + (next * 1000) / perSecond <= now) {
      pending.push(post(posts[next], started + (next * 1000) / perSecond));
      next++;
    }
    await new Promise((r) => setTimeout(r, 2));
  }
  await Promise.all(pending);
  agent.destroy();
  return { times, statuses, ms: performance.now() - started, firstError } satisfies OpenLoopResult;
}
