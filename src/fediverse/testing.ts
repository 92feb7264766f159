/**
 * Test support: a second, independent fediverse server written with Fedify directly (a
 * Mastodon-like account on its own loopback address, which records what its inbox receives and
 * can follow, reply, like and so on), and a Liner site served on a real port so that the peer can
 * fetch its actor and deliver to its inbox.
 */
import http from "node:http";
import https from "node:https";
import type { AddressInfo } from "node:net";
import { createFederation, generateCryptoKeyPair, MemoryKvStore } from "@fedify/fedify";
import { Activity, Endpoints, Image, Person } from "@fedify/vocab";
import { getRequestListener } from "@hono/node-server";
import type { Hono } from "hono";
import { createApp } from "../app.ts";
import type { Config } from "../lib/config.ts";
import type { AppEnv } from "../lib/http/env.ts";
import { createTestContext, type TestContext } from "../lib/testing.ts";
import { registerFediverseJobs } from "./jobs.ts";

type Listener = http.RequestListener;

/** A certificate and key (PEM) to serve HTTPS with. */
export interface Tls {
  key: string;
  cert: string;
}

async function listen(
  host: string,
  tls?: Tls,
): Promise<{ origin: string; server: http.Server; set(l: Listener): void }> {
  let listener: Listener = (_req, res) => res.writeHead(503).end();
  const handle: Listener = (req, res) => listener(req, res);
  const server = tls ? https.createServer(tls, handle) : http.createServer(handle);
  await new Promise<void>((resolve) => server.listen(0, host, resolve));
  const { port } = server.address() as AddressInfo;
  return { origin: `${tls ? "https" : "http"}://${host}:${port}`, server, set: (l) => (listener = l) };
}

const close = (s: http.Server) =>
  new Promise<void>((resolve) => {
    s.closeAllConnections();
    s.close(() => resolve());
  });

/** A Liner site on a real loopback port, its jobs registered (run them with `ctx.runner.drain()`). */
export interface ServedSite {
  ctx: TestContext;
  app: Hono<AppEnv>;
  origin: string;
  actorUri: string;
  close(): Promise<void>;
}

export async function serveSite(overrides: Partial<Config> = {}, tls?: Tls): Promise<ServedSite> {
  const l = await listen("127.0.0.1", tls);
  const ctx = await createTestContext({ baseUrl: l.origin, ...overrides });
  const app = await createApp(ctx);
  l.set(getRequestListener(app.fetch));
  registerFediverseJobs(ctx);
  return {
    ctx,
    app,
    origin: l.origin,
    actorUri: `${l.origin}/ap/actor/owner`,
    async close() {
      await close(l.server);
      await ctx.cleanup();
    },
  };
}

/** What the peer's inbox received. */
export interface Received {
  type: string;
  activity: Activity;
  json: Record<string, unknown>;
}

/** The Fedify peer. */
export interface Peer {
  origin: string;
  actorUri: string;
  received: Received[];
  /** Send an activity (made with the peer's context) to an inbox at once. */
  send(make: (actorUri: URL, origin: string) => Activity, inbox: string, recipient: string): Promise<void>;
  /** The peer's RSA key, for hand-made signed requests. */
  keyId: URL;
  privateKey: CryptoKey;
  close(): Promise<void>;
}

/** Start a peer account `name` on `host` (another 127.x address than the site's). */
export async function startPeer(
  name = "alice",
  host = "127.0.0.2",
  opts: { aliases?: () => string[]; tls?: Tls; inbox?: string } = {},
): Promise<Peer> {
  const l = await listen(host, opts.tls);
  const keys = await generateCryptoKeyPair("RSASSA-PKCS1-v1_5");
  const received: Received[] = [];
  const fed = createFederation<void>({ kv: new MemoryKvStore(), allowPrivateAddress: true });
  fed
    .setActorDispatcher("/users/{identifier}", async (ctx, id) => {
      if (id !== name) return null;
      const [kp] = await ctx.getActorKeyPairs(id);
      return new Person({
        id: ctx.getActorUri(id),
        preferredUsername: id,
        name: `${name[0].toUpperCase()}${name.slice(1)} Peer`,
        url: new URL(`/@${id}`, ctx.origin),
        icon: new Image({ url: new URL(`/avatars/${id}.png`, ctx.origin) }),
        // `inbox`: an address elsewhere, as a hostile server could claim.
        inbox: opts.inbox ? new URL(opts.inbox) : ctx.getInboxUri(id),
        endpoints: new Endpoints({ sharedInbox: opts.inbox ? new URL(opts.inbox) : ctx.getInboxUri() }),
        publicKey: kp.cryptographicKey,
        aliases: (opts.aliases?.() ?? []).map((u) => new URL(u)),
      });
    })
    .setKeyPairsDispatcher((_ctx, id) => (id === name ? [keys] : []));
  fed.setInboxListeners("/users/{identifier}/inbox", "/inbox").on(Activity, async (_ctx, activity) => {
    const json = (await activity.toJsonLd({ format: "compact" })) as Record<string, unknown>;
    received.push({ type: String(json.type), activity, json });
  });
  l.set(getRequestListener((req) => fed.fetch(req, { contextData: undefined })));
  const origin = l.origin;
  const ctx = fed.createContext(new URL(origin), undefined);
  return {
    origin,
    actorUri: `${origin}/users/${name}`,
    received,
    keyId: new URL(`${origin}/users/${name}#main-key`),
    privateKey: keys.privateKey,
    async send(make, inbox, recipient) {
      const activity = make(ctx.getActorUri(name), origin);
      await ctx.sendActivity({ identifier: name }, { id: new URL(recipient), inboxId: new URL(inbox) }, activity, {
        immediate: true,
      });
    },
    close: () => close(l.server),
  };
}
