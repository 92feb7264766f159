/**
 * `federate` (issue 15): the site as a fediverse account, on loopback.
 * (1) Fan-out: one new post to N followers (default 10,000) on N/10 servers, each with a shared
 * inbox that verifies HTTP Signatures (bench/lib/fedi-peer.ts, one process, one loopback address a
 * server), delivered by `liner worker` through Fedify's queue on our jobs table; against a bare
 * Fedify `sendActivity` (no queue) to the same inboxes, in the same run, two rounds alternating
 * which goes first. Then the same with `kill -9` of the worker at half the servers and a restart:
 * each server's deliveries of the post are counted.
 * (2) Inbound: signed Likes from many remote accounts POSTed to /ap/inbox at a fixed rate to
 * `liner serve` running its jobs in-process; latency, then every Like counted in
 * conversation_items once the queue is drained.
 * (3) Serving: wrk on a post page of the same site (followers and all) against nginx.
 */
import path from "node:path";
import { type Db, openDb } from "../src/lib/db/index.ts";
import { makeTemplate, makeVocabulary, postGenerator } from "./lib/corpus.ts";
import { type BareProcess, type BareRecipient, startBare } from "./lib/fedi-bare.ts";
import { LIKES_PER_ACCOUNT, makeAccountKeys, type OpenLoopResult, openLoop, signLikes } from "./lib/fedi-inbound.ts";
import { type PeerCounts, type PeerProcess, startPeer } from "./lib/fedi-peer.ts";
import { type FanoutRun, reportFederate, type ServeResult } from "./lib/fedi-report.ts";
import { measureServing } from "./lib/fedi-serve.ts";
import {
  cpuMs,
  openPublisher,
  PER_SERVER,
  queueState,
  seedFollowers,
  sqliteOf,
  startSite,
  startWorker,
} from "./lib/fedi-site.ts";
import { freePort, makeWorkDir, removeWorkDir, rssMb, stopChild } from "./lib/proc.ts";
import { fmt, fmtMs } from "./lib/report.ts";
import { seedDatabase } from "./lib/seed.ts";
import { alternate } from "./lib/sink.ts";

export interface FederateOptions {
  record: boolean;
  followers: number;
  /** Generated posts besides the page under wrk. */
  posts: number;
  /** Inbound: activities per second, and for how long. */
  rate: number;
  duration: number;
  /** wrk seconds for the serving figure. */
  serveDuration: number;
  /** Longest wait for a fan-out, or for the inbound queue to drain (seconds). */
  waitS: number;
}

export const PAGE_SLUG = "what-a-page-cache-is-for";
/** The site may fetch from loopback (the remote servers are there). */
// Every remote server here sends from one loopback address, which the inbox's limit per sending
// address (1,200 a minute by default) would hold to 20 a second.
const SITE_ENV = { LINER_ALLOW_PRIVATE_FETCH: "1", LINER_FEDI_PER_SERVER_PER_MINUTE: "1000000" };
type Site = Awaited<ReturnType<typeof startSite>>;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Everything a run needs, started once. */
interface Bench {
  o: FederateOptions;
  servers: number;
  peer: PeerProcess;
  bare: BareProcess;
  /** `liner serve --no-jobs` during the fan-outs; restarted with its jobs for the inbound run. */
  site: Site;
  dataDir: string;
  db: Db;
  env: Record<string, string>;
  publisher: Awaited<ReturnType<typeof openPublisher>>;
  port: number;
  recipients: BareRecipient[];
}

/** One post published and delivered by `liner worker`; with `killAt`, kill -9 once that many servers have it. */
async function linerFanout(b: Bench, n: number, killAt?: number): Promise<FanoutRun> {
  await b.peer.ask("reset");
  let worker = await startWorker(b.env);
  const workers = [worker];
  const t0 = Date.now();
  const postId = await b.publisher.publish(n);
  const queuedMs = Date.now() - t0;
  let killedAt: number | undefined;
  let killedAfterMs: number | undefined;
  let counts: PeerCounts;
  const deadline = t0 + b.o.waitS * 1000;
  try {
    for (;;) {
      await sleep(50);
      counts = await b.peer.ask();
      if (killAt !== undefined && killedAt === undefined && counts.distinct >= killAt) {
        await worker.kill9();
        killedAt = counts.distinct;
        killedAfterMs = Date.now() - t0;
        worker = await startWorker(b.env);
        workers.push(worker);
      }
      // Done when every server has it and nothing is left in the queue (a retry could still come).
      if (counts.distinct >= b.servers && (await queueState(b.db)).pending === 0) break;
      if (Date.now() > deadline) break;
    }
  } finally {
    await worker.stop();
  }
  await sleep(200);
  counts = await b.peer.ask("reset");
  const cpu = workers.reduce((t, w) => t + w.cpuMs(), 0);
  const q = await queueState(b.db);
  return {
    side: "liner",
    postId,
    counts,
    queuedMs,
    toLastMs: counts.lastAt - t0,
    peakMb: Math.max(...workers.map((w) => w.peakMb())),
    killedAt,
    killedAfterMs,
    cpuMs: cpu,
    complete: counts.distinct >= b.servers,
    failedJobs: q.failed,
  };
}

/** The bare Fedify sender: the same post's object, one sendActivity to the same followers. */
async function bareFanout(b: Bench, n: number, object: Record<string, unknown>): Promise<FanoutRun> {
  await b.peer.ask("reset");
  const t0 = Date.now();
  const cpu0 = cpuMs(b.bare.child.pid ?? 0);
  const r = await b.bare.send(n, object, b.recipients);
  const cpu = cpuMs(b.bare.child.pid ?? 0) - cpu0;
  if (r.error) console.log(`  bare sender: ${r.error.slice(0, 300)}`);
  await sleep(200);
  const counts = await b.peer.ask("reset");
  return {
    side: "bare",
    postId: 0,
    counts,
    queuedMs: 0,
    toLastMs: counts.lastAt - t0,
    peakMb: 0,
    cpuMs: cpu,
    complete: counts.distinct >= b.servers,
    failedJobs: 0,
  };
}

/** The post as ActivityStreams, as the site serves it (for the bare sender to send the same). */
async function postObject(site: Site, postId: number): Promise<Record<string, unknown>> {
  const res = await fetch(`${site.url}/ap/posts/${postId}`, { headers: { accept: "application/activity+json" } });
  if (!res.ok) throw new Error(`GET /ap/posts/${postId} answered ${res.status}`);
  return (await res.json()) as Record<string, unknown>;
}

const rateOf = (r: FanoutRun) =>
  r.counts.lastAt > r.counts.firstAt ? (r.counts.total / (r.counts.lastAt - r.counts.firstAt)) * 1000 : 0;

async function figureFanout(b: Bench) {
  // A first post, not measured: JIT, connections, and each side's key fetched once by the inboxes.
  const warm = await linerFanout(b, 0);
  if (!warm.complete) throw new Error(`warm-up fan-out incomplete: ${JSON.stringify(warm.counts)}`);
  const object = await postObject(b.site, warm.postId);
  await bareFanout(b, 0, object);
  let n = 0;
  const rounds = await alternate<FanoutRun>(2, {
    a: async () => {
      const r = await bareFanout(b, ++n, object);
      console.log(
        `  bare Fedify: ${fmt(r.counts.total)} POSTs in ${fmtMs(r.counts.lastAt - r.counts.firstAt)}, ${fmt(rateOf(r))}/s`,
      );
      return r;
    },
    b: async () => {
      const r = await linerFanout(b, ++n);
      console.log(
        `  liner worker: ${fmt(r.counts.total)} POSTs in ${fmtMs(r.counts.lastAt - r.counts.firstAt)}, ${fmt(rateOf(r))}/s; last ${fmtMs(r.toLastMs)} after publishing; peak RSS ${fmt(r.peakMb)} MB`,
      );
      return r;
    },
  });
  console.log(`  liner worker, kill -9 at half the servers ...`);
  const killed = await linerFanout(b, ++n, Math.floor(b.servers / 2));
  console.log(
    `  kill -9 at ${fmt(killed.killedAt ?? 0)} servers: ${fmt(killed.counts.distinct)} servers, ${fmt(killed.counts.total)} POSTs, ${fmt(killed.counts.duplicates)} duplicates; last ${fmtMs(killed.toLastMs)} after publishing`,
  );
  return { rounds, killed, objectPostId: warm.postId };
}

/**
 * Inbound: signed Likes of the fan-outs' posts at the rate to `liner serve` running its jobs
 * in-process (the default, and the one process writing the SQLite file), until all are stored.
 */
async function figureInbound(b: Bench, keys: Awaited<ReturnType<typeof makeAccountKeys>>) {
  const count = b.o.rate * b.o.duration;
  const inbox = `${b.site.url}/ap/inbox`;
  const posts = await b.db.kysely
    .selectFrom("posts")
    .select("id")
    .where("slug", "like", "fan-out-%")
    .orderBy("id")
    .limit(LIKES_PER_ACCOUNT)
    .execute();
  const s0 = performance.now();
  const likes = await signLikes({
    count,
    accounts: Math.ceil(count / LIKES_PER_ACCOUNT),
    servers: b.servers,
    origin: b.peer.origin,
    inbox,
    objectUris: posts.map((p) => `${b.site.url}/ap/posts/${p.id}`),
    keys,
  });
  console.log(`  ${fmt(count)} Likes signed in ${fmtMs(performance.now() - s0)}; POSTing at ${fmt(b.o.rate)}/s ...`);
  const before = await likesStored(b.db);
  await b.site.stop();
  const site = await startSite({ dataDir: b.dataDir, port: b.port, jobs: true, env: SITE_ENV });
  b.site = site;
  await b.peer.ask("reset");
  let peak = 0;
  const sample = setInterval(() => {
    peak = Math.max(peak, rssMb(site.pid) ?? 0);
  }, 100);
  const t0 = performance.now();
  let sent: OpenLoopResult;
  let drainedMs: number | undefined;
  let stored = 0;
  try {
    sent = await openLoop(inbox, likes, b.o.rate);
    for (;;) {
      stored = (await likesStored(b.db)) - before;
      if (stored >= count && (await queueState(b.db)).pending === 0) {
        drainedMs = performance.now() - t0;
        break;
      }
      if (performance.now() - t0 > b.o.waitS * 1000) break;
      await sleep(100);
    }
  } finally {
    clearInterval(sample);
  }
  const q = await queueState(b.db);
  console.log(
    `  sent in ${fmtMs(sent.ms)}; ${fmt(stored)} stored${drainedMs === undefined ? ` (incomplete after ${b.o.waitS} s)` : `, queue drained ${fmtMs(drainedMs)} after the first POST`}`,
  );
  return {
    count,
    sent,
    stored,
    drainedMs,
    failedJobs: q.failed,
    servePeakMb: Math.max(peak, rssMb(site.pid) ?? 0),
    actorGets: (await b.peer.ask("reset")).actorGets,
  };
}

async function likesStored(db: Db): Promise<number> {
  const r = await db.kysely
    .selectFrom("conversation_items")
    .select((eb) => eb.fn.countAll<number>().as("n"))
    .where("via", "=", "activitypub")
    .where("kind", "=", "like")
    .executeTakeFirstOrThrow();
  return Number(r.n);
}

export async function benchFederate(o: FederateOptions): Promise<void> {
  const servers = Math.ceil(o.followers / PER_SERVER);
  const work = makeWorkDir("federate");
  const dataDir = path.join(work, "data");
  console.log(
    `federate: ${fmt(o.followers)} followers on ${fmt(servers)} servers (127.0.1.1 …), ${fmt(o.posts)} posts`,
  );
  const keys = await makeAccountKeys(8);
  const peer = await startPeer(servers, keys.publicPems);
  const bare = await startBare();
  let b: Bench | undefined;
  let db: Db | undefined;
  let publisher: Bench["publisher"] | undefined;
  try {
    const page = {
      ...postGenerator(makeTemplate(1000, 29), makeVocabulary(), 4242)(0),
      title: "What a page cache is for",
      slug: PAGE_SLUG,
      publishedAt: "2024-12-30T09:00:00.000Z",
    };
    await seedDatabase({ sqlitePath: sqliteOf(dataDir), posts: o.posts, extra: [page] });
    db = openDb({ sqlitePath: sqliteOf(dataDir) });
    await seedFollowers(db, o.followers, peer.origin);
    const port = await freePort();
    const site = await startSite({ dataDir, port, jobs: false, env: SITE_ENV });
    // The actor's keys are made on its first fetch, by the server.
    const actor = await fetch(`${site.url}/ap/actor/owner`, { headers: { accept: "application/activity+json" } });
    if (!actor.ok) throw new Error(`GET /ap/actor/owner answered ${actor.status}`);
    publisher = await openPublisher(site.env);
    const recipients = Array.from({ length: o.followers }, (_, j) => {
      const origin = peer.origin(Math.floor(j / PER_SERVER));
      return { id: `${origin}/users/f${j}`, inbox: `${origin}/users/f${j}/inbox`, sharedInbox: `${origin}/inbox` };
    });
    b = { o, servers, peer, bare, site, port, dataDir, db, env: site.env, publisher, recipients };
    console.log("  fan-out ...");
    const fanout = await figureFanout(b);
    // A profiling aid: BENCH_FEDERATE_STOP_AFTER=fanout|inbound prints the parts so far, records nothing.
    const stopAfter = process.env.BENCH_FEDERATE_STOP_AFTER;
    if (stopAfter === "fanout") return;
    await publisher.close();
    publisher = undefined;
    console.log("  inbound ...");
    const inbound = await figureInbound(b, keys);
    if (stopAfter === "inbound") return;
    await b.site.stop();
    console.log("  serving ...");
    const serving: ServeResult = await measureServing({ work, dataDir, seconds: o.serveDuration, slug: PAGE_SLUG });
    reportFederate({ o, servers, fanout, inbound, serving }, rateOf);
  } finally {
    await publisher?.close();
    await b?.site.stop();
    await db?.close();
    await stopChild(peer.child);
    await stopChild(bare.child);
    removeWorkDir(work);
  }
}
