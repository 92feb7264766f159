/**
 * The remote side of the `federate` benchmark: one process standing for N fediverse servers, each
 * on its own loopback address (127.0.1.1, 127.0.1.2 … four octets of 250) and the same port. Every
 * server has a shared inbox (`POST /inbox`) that verifies the HTTP Signature of what it receives
 * (Fedify's `verifyRequest`, the sender's key fetched once and cached) and counts each activity
 * per server; and it serves remote accounts (`GET /users/uN`, a Person with an RSA key), the
 * authors of the inbound figure's Likes. Counts are read over IPC.
 *
 * Run as `BENCH_FEDI_PEER=1 node bench/lib/fedi-peer.ts` this file is the peer itself.
 */
import type { ChildProcess } from "node:child_process";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { spawnTracked } from "./proc.ts";

/** Server i's loopback address (never 127.0.0.x, where the site and the bare sender listen). */
export const hostOf = (i: number) => `127.0.${1 + Math.floor(i / 250)}.${1 + (i % 250)}`;

/** What the inboxes received since the last reset. */
export interface PeerCounts {
  /** Verified deliveries, all activities. */
  total: number;
  /** Servers that received `activity` at least once. */
  distinct: number;
  /** Deliveries of `activity` to a server that already had it. */
  duplicates: number;
  /** The most deliveries of `activity` one server got. */
  maxPerInbox: number;
  /** POSTs refused because their signature did not verify. */
  badSignatures: number;
  /** Wall-clock ms (Date.now) of the first and last verified delivery. */
  firstAt: number;
  lastAt: number;
  /** Account documents served (key and actor fetches by the site). */
  actorGets: number;
  /** Requests that failed in the peer itself (answered 500; the first is printed). */
  errors: number;
}

/** The peer process: inboxes that verify, accounts that answer, counts over IPC. */
async function runPeer(): Promise<void> {
  const { verifyRequest } = await import("@fedify/fedify");
  const servers = Number(process.env.BENCH_FEDI_SERVERS);
  const pems = JSON.parse(process.env.BENCH_FEDI_KEYS ?? "[]") as string[];
  // Keys by id, as a server keeps them: fetched once per sender, not once per delivery.
  const keys = new Map<string, unknown>();
  const keyCache = {
    get: async (id: URL) => keys.get(id.href) as never,
    set: async (id: URL, key: unknown) => void keys.set(id.href, key),
  };
  const { preloadedContexts } = await import("@fedify/vocab-runtime");
  // JSON-LD contexts from memory, keys from loopback: nothing here leaves the machine.
  const documentLoader = async (url: string) => {
    const preloaded = (preloadedContexts as Record<string, unknown>)[url];
    if (preloaded !== undefined) return { contextUrl: null, documentUrl: url, document: preloaded };
    if (!new URL(url).hostname.startsWith("127.")) throw new Error(`${url}: not on loopback`);
    const res = await fetch(url, { headers: { accept: "application/activity+json" } });
    if (!res.ok) throw new Error(`${url}: ${res.status}`);
    return { contextUrl: null, documentUrl: res.url, document: await res.json() };
  };
  let activity = "";
  let seen = new Map<string, number>();
  const zero = (): PeerCounts => ({
    total: 0,
    distinct: 0,
    duplicates: 0,
    maxPerInbox: 0,
    badSignatures: 0,
    firstAt: 0,
    lastAt: 0,
    actorGets: 0,
    errors: 0,
  });
  let c = zero();

  const person = (origin: string, name: string) => {
    const id = `${origin}/users/${name}`;
    return JSON.stringify({
      "@context": ["https://www.w3.org/ns/activitystreams", "https://w3id.org/security/v1"],
      id,
      type: "Person",
      preferredUsername: name,
      name: `Reader ${name.slice(1)}`,
      url: `${origin}/@${name}`,
      inbox: `${id}/inbox`,
      endpoints: { sharedInbox: `${origin}/inbox` },
      publicKey: { id: `${id}#main-key`, owner: id, publicKeyPem: pems[Number(name.slice(1)) % pems.length] },
    });
  };

  const onRequest = async (req: http.IncomingMessage, res: http.ServerResponse) => {
    const origin = `http://${req.headers.host}`;
    const m = /^\/users\/(u\d+)$/.exec(req.url ?? "");
    if (req.method === "GET" && m) {
      c.actorGets++;
      const body = person(origin, m[1]);
      res.writeHead(200, { "content-type": "application/activity+json" }).end(body);
      return;
    }
    if (req.method !== "POST" || !/^\/(?:inbox|users\/[^/]+\/inbox)$/.test(req.url ?? "")) {
      res.writeHead(404).end();
      return;
    }
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const body = Buffer.concat(chunks);
    const headers = new Headers();
    for (const [k, v] of Object.entries(req.headers)) if (typeof v === "string") headers.set(k, v);
    const request = new Request(`${origin}${req.url}`, { method: "POST", headers, body });
    const key = await verifyRequest(request, { documentLoader, contextLoader: documentLoader, keyCache } as never);
    if (!key) {
      c.badSignatures++;
      res.writeHead(401).end("bad signature\n");
      return;
    }
    const id = String((JSON.parse(body.toString()) as { id?: unknown }).id ?? "");
    const now = Date.now();
    c.total++;
    c.firstAt ||= now;
    c.lastAt = now;
    if (id === activity || !activity) {
      activity ||= id;
      const host = req.headers.host ?? "";
      const n = (seen.get(host) ?? 0) + 1;
      seen.set(host, n);
      if (n > 1) c.duplicates++;
      c.maxPerInbox = Math.max(c.maxPerInbox, n);
      c.distinct = seen.size;
    }
    res.writeHead(202).end();
  };
  const listener: http.RequestListener = (req, res) => {
    onRequest(req, res).catch((err) => {
      if (!c.errors++) console.error(`fediverse peer: ${err instanceof Error ? err.stack : err}`);
      if (!res.headersSent) res.writeHead(500).end(String(err));
    });
  };
  // One listener per loopback address (never 0.0.0.0): the first picks the port, the rest share it.
  const first = http.createServer({ keepAliveTimeout: 30_000 }, listener);
  await new Promise<void>((ok) => first.listen(0, hostOf(0), ok));
  const port = (first.address() as AddressInfo).port;
  for (let i = 1; i < servers; i++) {
    const more = http.createServer({ keepAliveTimeout: 30_000 }, listener);
    await new Promise<void>((ok, fail) => more.once("error", fail).listen(port, hostOf(i), ok));
  }
  process.on("message", (msg: string) => {
    process.send?.({ ...c });
    if (msg === "reset") {
      c = zero();
      seen = new Map();
      activity = "";
    }
  });
  process.send?.({ port });
}

if (process.env.BENCH_FEDI_PEER === "1") await runPeer();

/** The peer process: `ask()` reads its counts, `ask("reset")` reads them and starts again from zero. */
export interface PeerProcess {
  child: ChildProcess;
  port: number;
  servers: number;
  /** A server's base URL, e.g. http://127.0.1.1:PORT. */
  origin(i: number): string;
  ask(msg?: "count" | "reset"): Promise<PeerCounts>;
}

/** Start the peer for `servers` servers; `publicPems` are the remote accounts' keys (account i has key i mod length). */
export function startPeer(servers: number, publicPems: string[]): Promise<PeerProcess> {
  const child = spawnTracked(process.execPath, [new URL(import.meta.url).pathname], {
    env: {
      ...process.env,
      BENCH_FEDI_PEER: "1",
      BENCH_FEDI_SERVERS: String(servers),
      BENCH_FEDI_KEYS: JSON.stringify(publicPems),
    },
    stdio: ["ignore", "inherit", "inherit", "ipc"],
  });
  // One question at a time: answers come back in order.
  let chain: Promise<unknown> = Promise.resolve();
  const ask = (msg = "count") => {
    const next = chain.then(
      () =>
        new Promise<PeerCounts>((resolve) => {
          child.once("message", (m) => resolve(m as PeerCounts));
          child.send(msg);
        }),
    );
    chain = next;
    return next;
  };
  return new Promise((resolve, reject) => {
    child.once("message", (m) => {
      const port = (m as { port: number }).port;
      resolve({ child, port, servers, origin: (i) => `http://${hostOf(i)}:${port}`, ask });
    });
    child.once("exit", (code) => reject(new Error(`fediverse peer exited (${code})`)));
  });
}
