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
import {
  Accept,
  Activity,
  type Actor,
  type Object as ASObject,
  Endpoints,
  Follow,
  Image,
  Person,
  Reject,
  Undo,
} from "@fedify/vocab";
import { getRequestListener } from "@hono/node-server";
import type { Hono } from "hono";
import { createApp } from "../app.ts";
import type { CliEnv } from "../cli/testing.ts";
import type { Config } from "../lib/config.ts";
import { type AppContext, closeContext } from "../lib/context.ts";
import type { AppEnv } from "../lib/http/env.ts";
import { createTestContext, type TestContext } from "../lib/testing.ts";
import { registerFediverseJobs } from "./jobs.ts";
import { reuseKeyPairsInTests } from "./keys.ts";

// Every test site of this process shares one identity: key generation is the slow part of a site.
reuseKeyPairsInTests();

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
export interface ServedSite<C extends AppContext = TestContext> {
  ctx: C;
  app: Hono<AppEnv>;
  origin: string;
  actorUri: string;
  close(): Promise<void>;
}

/** Serve the app of the context `make` opens for the origin (over HTTPS with `tls`), its fediverse jobs registered. */
async function serve<C extends AppContext>(
  make: (origin: string) => Promise<C>,
  drop: (ctx: C) => Promise<void>,
  tls?: Tls,
): Promise<ServedSite<C>> {
  const l = await listen("127.0.0.1", tls);
  const ctx = await make(l.origin);
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
      await drop(ctx);
    },
  };
}

export const serveSite = (overrides: Partial<Config> = {}, tls?: Tls): Promise<ServedSite> =>
  serve(
    (origin) => createTestContext({ baseUrl: origin, ...overrides }),
    (ctx) => ctx.cleanup(),
    tls,
  );

/**
 * A site served on the database of a CLI environment (its LINER_BASE_URL set to the site's
 * address), for commands that federate: `liner` runs on the same database and site.
 */
export const serveCliSite = (e: CliEnv): Promise<ServedSite<AppContext>> =>
  serve(async (origin) => {
    e.env.LINER_BASE_URL = origin;
    return e.open();
  }, closeContext);

/**
 * Wait until `what` holds (a delivery is another server's work): polled every 20 ms, failing with
 * `label` after `ms` (10 s: generous, for a loaded CI machine; a passing test waits only as long
 * as the delivery takes).
 */
export async function until(what: () => boolean | Promise<boolean>, label: string, ms = 10_000): Promise<void> {
  const end = Date.now() + ms;
  while (!(await what())) {
    if (Date.now() > end) throw new Error(`timed out: ${label}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** What the peer's inbox received. */
export interface Received {
  type: string;
  activity: Activity;
  json: Record<string, unknown>;
}

/** How a peer answers Follows, and what it serves besides its actor. */
export interface PeerOptions {
  /** Accept (the default) or Reject a Follow at once, or never answer it. */
  follows?: "accept" | "reject" | "ignore";
  /** An RSS document (made for the peer's origin) served at /@name.rss, as Mastodon serves one. */
  rss?: (origin: string) => string;
  /** Serve an outbox of what the peer posted (`post`). */
  outbox?: boolean;
  /** Other accounts that are this one (a move's target names its source here). */
  aliases?: () => string[];
  /** Serve HTTPS with this certificate. */
  tls?: Tls;
  /** An inbox address elsewhere, as a hostile server could claim. */
  inbox?: string;
}

/** The Fedify peer. */
export interface Peer {
  origin: string;
  actorUri: string;
  received: Received[];
  /** Actor URIs of the accounts whose Follow it accepted (and that did not undo it). */
  followers: Map<string, Actor>;
  /** Send an activity (made with the peer's context) to an inbox at once. */
  send(make: (actorUri: URL, origin: string) => Activity, inbox: string, recipient: string): Promise<void>;
  /** Post an activity to its followers at once (and to its outbox). */
  post(make: (actorUri: URL, origin: string) => Activity): Promise<void>;
  /** Serve an object at its id (a post others boost and fetch). */
  serve(object: ASObject): Promise<void>;
  /** The peer's RSA key, for hand-made signed requests. */
  keyId: URL;
  privateKey: CryptoKey;
  close(): Promise<void>;
}

/** Start a peer account `name` on `host` (another 127.x address than the site's). */
export async function startPeer(name = "alice", host = "127.0.0.2", opts: PeerOptions = {}): Promise<Peer> {
  const l = await listen(host, opts.tls);
  const keys = await generateCryptoKeyPair("RSASSA-PKCS1-v1_5");
  const received: Received[] = [];
  const followers = new Map<string, Actor>();
  const posted: Activity[] = [];
  const documents = new Map<string, unknown>();
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
        outbox: opts.outbox ? ctx.getOutboxUri(id) : null,
        endpoints: new Endpoints({ sharedInbox: opts.inbox ? new URL(opts.inbox) : ctx.getInboxUri() }),
        publicKey: kp.cryptographicKey,
        aliases: (opts.aliases?.() ?? []).map((u) => new URL(u)),
      });
    })
    .setKeyPairsDispatcher((_ctx, id) => (id === name ? [keys] : []));
  if (opts.outbox) fed.setOutboxDispatcher("/users/{identifier}/outbox", () => ({ items: [...posted].reverse() }));
  const record = async (activity: Activity) => {
    const json = (await activity.toJsonLd({ format: "compact" })) as Record<string, unknown>;
    received.push({ type: String(json.type), activity, json });
  };
  fed
    .setInboxListeners("/users/{identifier}/inbox", "/inbox")
    .on(Follow, async (ctx, follow) => {
      await record(follow);
      const follower = await follow.getActor(ctx);
      if (!follower?.id || (opts.follows ?? "accept") === "ignore") return;
      const accept = (opts.follows ?? "accept") === "accept";
      if (accept) followers.set(follower.id.href, follower);
      const me = ctx.getActorUri(name);
      const Answer = accept ? Accept : Reject;
      const answer = new Answer({ id: new URL(`${me.href}#answers/${received.length}`), actor: me, object: follow });
      await ctx.sendActivity({ identifier: name }, follower, answer, { immediate: true });
    })
    .on(Undo, async (_ctx, undo) => {
      await record(undo);
      if ((await undo.getObject()) instanceof Follow && undo.actorId) followers.delete(undo.actorId.href);
    })
    .on(Activity, (_ctx, activity) => record(activity));
  const rssPath = `/@${name}.rss`;
  l.set(
    getRequestListener(async (req) => {
      const path = new URL(req.url).pathname;
      if (opts.rss && path === rssPath)
        return new Response(opts.rss(l.origin), { headers: { "content-type": "application/rss+xml; charset=utf-8" } });
      const doc = documents.get(path);
      if (doc) return Response.json(doc, { headers: { "content-type": "application/activity+json" } });
      return fed.fetch(req, { contextData: undefined });
    }),
  );
  const origin = l.origin;
  const ctx = fed.createContext(new URL(origin), undefined);
  return {
    origin,
    actorUri: `${origin}/users/${name}`,
    received,
    followers,
    keyId: new URL(`${origin}/users/${name}#main-key`),
    privateKey: keys.privateKey,
    async send(make, inbox, recipient) {
      const activity = make(ctx.getActorUri(name), origin);
      await ctx.sendActivity({ identifier: name }, { id: new URL(recipient), inboxId: new URL(inbox) }, activity, {
        immediate: true,
      });
    },
    async post(make) {
      const activity = make(ctx.getActorUri(name), origin);
      posted.push(activity);
      for (const f of followers.values())
        await ctx.sendActivity({ identifier: name }, f, activity, { immediate: true });
    },
    async serve(object) {
      if (object.id) documents.set(object.id.pathname, await object.toJsonLd({ format: "compact" }));
    },
    close: () => close(l.server),
  };
}
