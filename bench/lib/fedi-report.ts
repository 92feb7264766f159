/** The `federate` benchmark's tables, targets and section of docs/benchmarks.md. */
import type { FederateOptions } from "../federate.ts";
import { LIKES_PER_ACCOUNT, type OpenLoopResult } from "./fedi-inbound.ts";
import type { PeerCounts } from "./fedi-peer.ts";
import type { ServeResult } from "./fedi-serve.ts";
import {
  consoleTable,
  fmt,
  fmtMs,
  machineLine,
  markdownTable,
  mean,
  percentile,
  type Row,
  sqliteVersion,
  stamp,
  type Target,
  targetLines,
  writeSection,
} from "./report.ts";

export type { ServeResult };

/** One fan-out of one post, by either side. */
export interface FanoutRun {
  side: "liner" | "bare";
  postId: number;
  counts: PeerCounts;
  /** Publishing until the fan-out was queued (Liner). */
  queuedMs: number;
  /** From publishing (Liner) or the sendActivity call (bare) to the last delivery. */
  toLastMs: number;
  peakMb: number;
  killedAt?: number;
  killedAfterMs?: number;
  /** CPU time of the sending process (the worker from its start, the bare sender during the call). */
  cpuMs: number;
  complete: boolean;
  failedJobs: number;
}

export interface InboundResult {
  count: number;
  sent: OpenLoopResult;
  stored: number;
  drainedMs?: number;
  failedJobs: number;
  /** Peak RSS of the `liner serve` (jobs in-process) that received and stored them. */
  servePeakMb: number;
  actorGets: number;
}

export interface FederateResult {
  o: FederateOptions;
  servers: number;
  fanout: { rounds: { side: "a" | "b"; round: number; result: FanoutRun }[]; killed: FanoutRun };
  inbound: InboundResult;
  serving: ServeResult;
}

export function reportFederate(r: FederateResult, rateOf: (run: FanoutRun) => number): void {
  const { o, servers, fanout, inbound: ib, serving: s } = r;
  const side = (x: "a" | "b") => fanout.rounds.filter((t) => t.side === x).map((t) => t.result);
  const bareRate = mean(side("a").map(rateOf));
  const linerRate = mean(side("b").map(rateOf));
  const ratio = linerRate / bareRate;
  const peakMb = Math.max(...side("b").map((x) => x.peakMb), fanout.killed.peakMb);
  const cpuPer = (xs: FanoutRun[]) => mean(xs.map((x) => x.cpuMs / Math.max(1, x.counts.total)));
  const overall = (xs: FanoutRun[]) => mean(xs.map((x) => (x.counts.total / Math.max(1, x.toLastMs)) * 1000));
  const toFirst = (xs: FanoutRun[]) => mean(xs.map((x) => x.toLastMs - (x.counts.lastAt - x.counts.firstAt)));
  const span = (x: FanoutRun) => fmtMs(x.counts.lastAt - x.counts.firstAt);
  const runRow = (name: string, order: string, x: FanoutRun): Row => [
    name,
    order,
    fmt(x.counts.total),
    `${fmt(x.counts.distinct)}/${fmt(servers)}`,
    fmt(x.counts.duplicates),
    span(x),
    fmt(rateOf(x)),
    fmtMs(x.toLastMs),
    fmt(x.cpuMs / Math.max(1, x.counts.total), 1),
    x.side === "liner" ? `${fmt(x.peakMb)} MB` : "",
  ];
  const name = { a: "bare Fedify sendActivity (floor)", b: "liner worker" };
  const header1 = [
    "run",
    "order",
    "POSTs",
    "servers reached",
    "duplicates",
    "first → last POST",
    "deliveries/s",
    "to the last delivery",
    "sender CPU ms/POST",
    "peak RSS",
  ];
  const rows1: Row[] = [
    ...fanout.rounds.map(({ side: x, round, result }) =>
      runRow(name[x], `round ${round}, ${(round % 2 === 1) === (x === "a") ? "first" : "second"}`, result),
    ),
    ["bare Fedify, mean", "", "", "", "", "", fmt(bareRate), "", fmt(cpuPer(side("a")), 1), ""],
    [
      "liner worker, mean",
      "",
      "",
      "",
      "",
      "",
      `${fmt(linerRate)} (${ratio.toFixed(2)}×)`,
      "",
      fmt(cpuPer(side("b")), 1),
      `${fmt(peakMb)} MB`,
    ],
    runRow(`liner worker, kill -9 at ${fmt(fanout.killed.killedAt ?? 0)} servers`, "", fanout.killed),
  ];
  const k = fanout.killed;
  const ok = (t: { complete: boolean; counts: PeerCounts }) => t.complete && t.counts.badSignatures === 0;
  const p = (q: number) => percentile(ib.sent.times, q);
  const accepted = ib.sent.statuses.get(202) ?? 0;
  const achieved = (ib.count / ib.sent.ms) * 1000;
  const header2 = [
    "Likes",
    "asked",
    "answered at",
    "202",
    "other",
    "p50",
    "p99",
    "max",
    "stored",
    "queue drained after",
    "stored/s",
    "failed jobs",
  ];
  const rows2: Row[] = [
    [
      fmt(ib.count),
      `${fmt(o.rate)}/s for ${o.duration} s`,
      `${fmt(achieved)}/s`,
      fmt(accepted),
      fmt(ib.count - accepted),
      fmtMs(p(50)),
      fmtMs(p(99)),
      fmtMs(Math.max(...ib.sent.times)),
      `${fmt(ib.stored)}/${fmt(ib.count)}`,
      ib.drainedMs === undefined ? `incomplete (${o.waitS} s)` : fmtMs(ib.drainedMs),
      ib.drainedMs === undefined ? "n/a" : fmt((ib.stored / ib.drainedMs) * 1000),
      fmt(ib.failedJobs),
    ],
  ];
  const sRow = (label: string, w: ServeResult["nginx"], vs: string, rss?: number): Row => [
    label,
    fmt(w.rps),
    fmtMs(w.p50),
    fmtMs(w.p99),
    vs,
    fmt(w.errors),
    rss === undefined ? "" : `${fmt(rss)} MB`,
  ];
  const header3 = ["server", "req/s", "p50", "p99", "vs nginx", "errors", "RSS after"];
  const rows3: Row[] = [
    sRow("nginx (static file, same bytes)", s.nginx, "1.00×"),
    sRow("Liner, page cache on", s.cached, `${fmt(s.cached.rps / s.nginx.rps, 2)}×`, s.rssCached),
    sRow("Liner, LINER_PAGE_CACHE=0", s.uncached, `${fmt(s.uncached.rps / s.nginx.rps, 2)}×`, s.rssUncached),
  ];
  const rssServe = Math.max(s.rssCached ?? 0, s.rssUncached ?? 0);
  const targets: Target[] = [
    {
      label: `fan-out: ≥ 0.7× the bare Fedify sendActivity's rate, every server reached`,
      met: ratio >= 0.7 && fanout.rounds.every((t) => ok(t.result)),
      actual: `${ratio.toFixed(2)}× (${fmt(linerRate)} against ${fmt(bareRate)} deliveries/s)`,
    },
    { label: "fan-out: peak RSS of the worker ≤ 300 MB", met: peakMb <= 300, actual: `${fmt(peakMb)} MB` },
    {
      label: `fan-out: after kill -9 of the worker at half the servers and a restart, every server's inbox got the post exactly once`,
      met: ok(k) && k.counts.duplicates === 0 && k.counts.maxPerInbox === 1,
      actual: `${fmt(k.counts.distinct)}/${fmt(servers)} servers, ${fmt(k.counts.total)} POSTs, ${fmt(k.counts.duplicates)} duplicates`,
    },
    {
      label: `inbound: ${fmt(o.rate)} signed activities a second answered, all accepted (202)`,
      met: accepted === ib.count && achieved >= o.rate * 0.95,
      actual: `${fmt(achieved)}/s, ${fmt(accepted)}/${fmt(ib.count)} accepted, p99 ${fmtMs(p(99))}`,
    },
    {
      label: "inbound: every one verified and stored, none lost",
      met: ib.stored === ib.count && ib.failedJobs === 0,
      actual: `${fmt(ib.stored)}/${fmt(ib.count)} stored, ${fmt(ib.failedJobs)} failed jobs`,
    },
    {
      label: "serving: page cache on ≥ 0.30× nginx req/s, p99 ≤ 10 ms",
      met: s.cached.rps / s.nginx.rps >= 0.3 && s.cached.p99 <= 10,
      actual: `${fmt(s.cached.rps / s.nginx.rps, 2)}×, p99 ${fmtMs(s.cached.p99)}`,
    },
    { label: "serving: uncached ≥ 3,000 req/s", met: s.uncached.rps >= 3000, actual: `${fmt(s.uncached.rps)} req/s` },
    { label: "serving: RSS after the run ≤ 150 MB", met: rssServe <= 150, actual: `${fmt(rssServe)} MB` },
  ];
  const notes = [
    `kill -9 of the worker ${fmtMs(k.killedAfterMs ?? Number.NaN)} after publishing, when ${fmt(k.killedAt ?? 0)} servers had the post; the jobs it was running stayed leased to it, and the restarted worker ran them again once their lease (60 s) ran out: the last delivery came ${fmtMs(k.toLastMs)} after publishing. ${fmt(k.counts.duplicates)} server${k.counts.duplicates === 1 ? "" : "s"} got the post twice (at most ${fmt(k.counts.maxPerInbox)} POSTs to one server): deliveries whose POST had been answered when the worker died, before their job was marked done, were sent again, with the same activity id (delivery is at-least-once between a POST's answer and its job's completion). Failed jobs: ${fmt(k.failedJobs)}`,
    `counted from the start (publishing, or the \`sendActivity\` call) to the last delivery, which includes what each side does before its first POST (on average ${fmtMs(toFirst(side("b")))} from publishing for Liner, ${fmtMs(toFirst(side("a")))} from the call for the bare sender): liner ${fmt(overall(side("b")))}/s, bare ${fmt(overall(side("a")))}/s (${fmt(overall(side("b")) / overall(side("a")), 2)}×)`,
    `CPU per POST: the worker ${fmt(cpuPer(side("b")), 1)} ms (its fan-out job and queue bookkeeping included), the bare sender ${fmt(cpuPer(side("a")), 1)} ms`,
    `publishing (the post saved, its fan-out queued by the \`post.changed\` listener) took ${fmtMs(mean(side("b").map((x) => x.queuedMs)))} on average; "to the last delivery" counts from the start of publishing (Liner) or of the \`sendActivity\` call (bare)`,
    `signatures refused by the inboxes: ${fmt([...fanout.rounds.map((t) => t.result), k].reduce((n, x) => n + x.counts.badSignatures, 0))}; account documents served to the site during the inbound run: ${fmt(ib.actorGets)}; peak RSS of the \`liner serve\` that received and stored them: ${fmt(ib.servePeakMb)} MB`,
  ];
  if (ib.sent.firstError) notes.push(`inbound: first answer other than 202: ${ib.sent.firstError}`);
  console.log(
    `\n${consoleTable(header1, rows1)}\n\n${consoleTable(header2, rows2)}\n\n${consoleTable(header3, rows3)}\n`,
  );
  for (const l of notes) console.log(l);
  for (const l of targetLines(targets)) console.log(l);
  if (!o.record) return;
  writeSection(
    "federate",
    `## federate

${stamp()} · ${machineLine([sqliteVersion()])}

${METHOD(r)}

**Fan-out**

${markdownTable(header1, rows1)}

**Inbound**

${markdownTable(header2, rows2)}

**Serving** (\`wrk -t2 -c50 -d${s.seconds}s --latency\` on \`${s.pagePath}\`, ${fmt(s.bytes)} bytes)

${markdownTable(header3, rows3)}

${notes.map((l) => `- ${l}`).join("\n")}

${targetLines(targets).join("\n")}`,
  );
}

const METHOD = ({
  o,
  servers,
}: FederateResult) => `One SQLite site (${fmt(o.posts + 1)} generated posts) with ${fmt(o.followers)} accepted followers written straight
into \`fedi_followers\`, ${fmt(o.followers / servers)} on each of ${fmt(servers)} servers, every server with a shared inbox. The servers are one
Node process (\`bench/lib/fedi-peer.ts\`) listening on ${fmt(servers)} loopback addresses (127.0.1.1 …), one per server, whose inboxes
verify each POST's HTTP Signature with Fedify's \`verifyRequest\` (the sender's key fetched once and cached) and count
each activity per server. The site runs with \`LINER_ALLOW_PRIVATE_FETCH=1\`, \`LINER_FEDI_PER_SERVER_PER_MINUTE=1000000\` (all the servers send from one address) and \`LINER_BASE_URL\` on a fixed loopback port.

**Fan-out.** \`liner serve --no-jobs\` answers for the account (its key, fetched once by the inboxes) and \`liner worker\`
sends. A post is published through the content service in the benchmark's process (as the editor does:
\`post.changed\` queues one Fedify fan-out message on the jobs table); \`liner worker\`, started just before, runs the fan-out
(one delivery job per shared inbox) and the deliveries. The floor is a bare Fedify federation in its own process
(\`bench/lib/fedi-bare.ts\`: in-memory store, no queue, an RSA key like the site's) sending the same post's object as a
Create to the same ${fmt(o.followers)} followers with one \`sendActivity\` call (shared inboxes preferred); it posts to all
${fmt(servers)} inboxes at once. Both are timed by the inboxes, from the first verified POST to the last; "deliveries/s" is POSTs
(one per server, ${fmt(o.followers / servers)} followers each) over that span. A fan-out of a first post by each side comes first, unmeasured;
then two rounds alternate which side goes first. Peak RSS is the worker's VmHWM. "sender CPU ms/POST" is the sending
process's CPU time (user + system, from /proc) over the POSTs: the worker's from when it says it runs until it stops (the
fan-out job and the queue's bookkeeping included), the bare sender's during its call; it does not depend on what else
the machine was doing, as the rates do. Then one more post with the worker
killed (SIGKILL) once half the servers have it, and started again; the run ends when every server has it and no
fediverse job is left queued or running.

**Inbound.** ${fmt(o.rate * o.duration)} Likes from ${fmt((o.rate * o.duration) / LIKES_PER_ACCOUNT)} remote accounts (\`/users/uN\`, spread over the peer's servers, RSA keys),
each account liking ${LIKES_PER_ACCOUNT} of the posts published above, signed beforehand with Fedify's \`signRequest\` (draft-cavage, as Mastodon signs) and POSTed to \`/ap/inbox\` at
${fmt(o.rate)} a second for ${o.duration} s over keep-alive connections (open loop: each latency counts from when its request was due).
The site is \`liner serve\` with its jobs in-process (the default, restarted on the same address): the inbox gate and Fedify
verify each signature (an account's key fetched from the peer on first sight, then cached) and queue the activity, and
the same process's job runner handles it meanwhile (the Like's author fetched, the item stored). Then the database is
polled until every Like is in \`conversation_items\` and no fediverse job is left. (With a separate \`liner worker\` on the same
SQLite file, both processes write, and the server's writes wait on the worker's: SQLite's busy wait blocks the server's event
loop. In a trial on this machine, 2,000 Likes from 200 accounts offered at 300/s were answered at 44/s that way, against 217/s
in one process.)

**Serving.** The \`serve\` benchmark's first load, shortened: the ~1,000-word post page of this same site (its followers,
jobs and Likes in the database), a fresh \`liner serve --no-jobs\` with the page cache on, then one with
\`LINER_PAGE_CACHE=0\`, and nginx serving the same bytes from a file (one worker per core), each after a short warm-up. The full serving figures
are \`npm run bench -- serve\`.`;
