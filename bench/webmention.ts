/**
 * `webmention`: (1) a burst of 1,000 Webmentions from 50 keep-alive clients to `liner serve`
 * running its jobs in-process, each from a different source page on a loopback server in this
 * process; receive latency, then polling the database until every one is verified (at most 120 s
 * a round, else "incomplete"). Beside it, the same burst to `--no-jobs` (the endpoint alone),
 * verified after a restart with jobs (verification alone), and one client's latency.
 * (2) wrk on a post page carrying 200 approved comments against nginx serving the same bytes from
 * a file, in the same run. SQLite; PostgreSQL too with --pg (a throwaway database, dropped after).
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { type Db, openDb } from "../src/lib/db/index.ts";
import { makeTemplate, makeVocabulary, postGenerator } from "./lib/corpus.ts";
import { getOnce, runWrk, type WrkResult } from "./lib/http.ts";
import { startLiner } from "./lib/liner.ts";
import {
  generatedComments,
  KINDS,
  type RoundResult,
  type Sent,
  sendRound,
  settleRound,
  startSourceServer,
} from "./lib/mentions.ts";
import { ensureTools, makeWorkDir, removeWorkDir } from "./lib/proc.ts";
import {
  consoleTable,
  fmt,
  fmtMs,
  machineLine,
  markdownTable,
  percentile,
  type Row,
  sqliteVersion,
  stamp,
  type Target,
  targetLines,
  writeSection,
} from "./lib/report.ts";
import { createPgDatabase, dropPgDatabase, pgAvailable, pgVersion, seedDatabase } from "./lib/seed.ts";
import { startNginx } from "./serve.ts";

export interface WebmentionOptions {
  posts: number;
  /** Webmentions in the burst. */
  mentions: number;
  /** Webmentions sent from one client before the burst. */
  single: number;
  clients: number;
  /** Approved comments on the page under wrk. */
  comments: number;
  /** wrk seconds. */
  duration: number;
  /** Longest wait for every Webmention to be verified (seconds). */
  waitS: number;
  pg: boolean;
  record: boolean;
}

const TARGET_SLUG = "notes-on-receiving-webmentions";
const PAGE_SLUG = "a-post-with-two-hundred-comments";
const WARM_UP = 20;
/** The second burst's senders at once. */
const FEW_CLIENTS = 10;

/** LINER_WEBMENTION_PER_HOUR in the child: the burst comes from one address, far past the default 300. */
const PER_HOUR = 1_000_000;

function extraPosts() {
  const gen = postGenerator(makeTemplate(1000, 29), makeVocabulary(), 4242);
  // Published yesterday, so comments are open (the form is on the page, as on a fresh post).
  const at = new Date(Date.now() - 86_400_000).toISOString();
  return [
    { ...gen(0), title: "Notes on receiving Webmentions", slug: TARGET_SLUG, publishedAt: at },
    { ...gen(1), title: "A post with two hundred comments", slug: PAGE_SLUG, publishedAt: at },
  ];
}

interface PageResult {
  bytes: number;
  commentsShown: number;
  nginx: WrkResult;
  liner: WrkResult;
}

interface DbRun {
  db: string;
  /** The burst (jobs in-process), one client, and the burst with jobs off (verified after). */
  rounds: Round[];
  served: number;
  page: PageResult;
}

/** Figure 1 and figure 2 on one database (SQLite in `work`, or PostgreSQL at `databaseUrl`). */
async function runOn(o: WebmentionOptions, label: string, work: string, databaseUrl?: string): Promise<DbRun> {
  const dataDir = path.join(work, "data");
  const sqlitePath = databaseUrl ? undefined : path.join(dataDir, "liner.db");
  console.log(`webmention (${label}): generating ${fmt(o.posts)} posts + 2, and ${o.comments} approved comments ...`);
  const extra = extraPosts();
  const seedMs = await seedDatabase({ sqlitePath, databaseUrl, posts: o.posts, extra });
  const db = openDb({ sqlitePath, databaseUrl, poolSize: 2 });
  try {
    const post = await db.kysely
      .selectFrom("posts")
      .select("id")
      .where("slug", "=", PAGE_SLUG)
      .executeTakeFirstOrThrow();
    // Inserted before the server starts, so no page cache holds the page without them.
    const rows = generatedComments(post.id, o.comments, Date.parse(extra[1].publishedAt));
    await db.kysely.insertInto("conversation_items").values(rows).execute();
    console.log(`  done in ${fmtMs(seedMs)} (+ comments)`);

    const { rounds, served } = await figureBurst(o, label, dataDir, db, databaseUrl);
    const page = await figurePage(o, label, work, dataDir, databaseUrl);
    return { db: label, rounds, served, page };
  } finally {
    await db.close();
  }
}

/** A round of Webmentions, named for the table. */
interface Round {
  jobs: string;
  r: RoundResult;
}

/**
 * Figure 1. First the endpoint alone (`--no-jobs`): a burst, left queued. Then with jobs
 * in-process: the queued burst verified with nothing else to do, a warm-up, Webmentions from one
 * client (the cost of one, without queueing), and the burst of the figure, each polled until all
 * are verified.
 */
async function figureBurst(
  o: WebmentionOptions,
  label: string,
  dataDir: string,
  db: Db,
  databaseUrl?: string,
): Promise<{ rounds: Round[]; served: number }> {
  // Each round's target: the post's URL on the server it was sent to (the port changes on a restart).
  const targets = new Map<string, string>();
  const sources = await startSourceServer((round) => targets.get(round) ?? "");
  const env = { LINER_ALLOW_PRIVATE_FETCH: "1", LINER_WEBMENTION_PER_HOUR: String(PER_HOUR) };
  const send = (base: string, name: string, count: number, clients: number) => {
    const target = `${base}/posts/${TARGET_SLUG}`;
    targets.set(name, target);
    return sendRound({ endpoint: `${base}/webmention`, prefix: `${sources.base}/${name}/`, target, count, clients });
  };
  try {
    // The endpoint alone: no job competes for the event loop or the database.
    let liner = await startLiner({ dataDir, databaseUrl, env });
    let off: Sent;
    try {
      const warm = await send(liner.url, "warmoff", WARM_UP, 5);
      if (warm.results.some((r) => r.status !== 201)) throw new Error("a warm-up Webmention was not accepted");
      console.log(`  ${label}: burst of ${fmt(o.mentions)} Webmentions, liner serve --no-jobs ...`);
      off = await send(liner.url, "off", o.mentions, o.clients);
    } catch (err) {
      throw new Error(`${(err as Error).message}\n--- liner output ---\n${liner.output().slice(-3000)}`);
    } finally {
      await liner.stop();
    }

    // Jobs in-process: the server verifies what the first one queued as soon as it starts.
    const since = { t0: performance.now(), wall0: Date.now() };
    liner = await startLiner({ dataDir, databaseUrl, jobs: true, env });
    try {
      console.log(`  ${label}: liner serve (jobs in-process) verifying those ...`);
      const offDone = await settleRound(db, off, o.waitS, since);
      const round = async (name: string, count: number, clients: number) =>
        settleRound(db, await send(liner.url, name, count, clients), o.waitS);
      // Warm-up: the whole path (endpoint, job, fetch, classification) once through, not reported.
      await round("warm", WARM_UP, 5);
      console.log(`  ${label}: ${fmt(o.single)} Webmentions from one keep-alive client ...`);
      const one = await round("one", o.single, 1);
      console.log(`  ${label}: burst of ${fmt(o.mentions)} Webmentions from ${o.clients} keep-alive clients ...`);
      const many = await round("m", o.mentions, o.clients);
      console.log(
        `  sent in ${fmtMs(many.sendMs)}; ${many.allVerifiedMs === undefined ? `not all verified within ${o.waitS} s` : `all verified after ${fmtMs(many.allVerifiedMs)}`}`,
      );
      // The same burst from fewer senders at once: how the answer time depends on the queue.
      console.log(`  ${label}: burst of ${fmt(o.mentions)} Webmentions from ${FEW_CLIENTS} keep-alive clients ...`);
      const few = await round("few", o.mentions, FEW_CLIENTS);
      const rounds = [
        { jobs: "in-process", r: many },
        { jobs: "in-process", r: one },
        { jobs: "off, then on", r: offDone },
        { jobs: "in-process", r: few },
      ];
      return { rounds, served: sources.served() };
    } catch (err) {
      throw new Error(`${(err as Error).message}\n--- liner output ---\n${liner.output().slice(-3000)}`);
    } finally {
      await liner.stop();
    }
  } finally {
    await sources.close();
  }
}

/** Figure 2: wrk on the post page with its comments, then on nginx serving the same bytes. */
async function figurePage(
  o: WebmentionOptions,
  label: string,
  work: string,
  dataDir: string,
  databaseUrl?: string,
): Promise<PageResult> {
  const tools = ensureTools(["wrk", "nginx"]);
  const pagePath = `/posts/${PAGE_SLUG}`;
  // As in `serve`: the page cache on, jobs off.
  const liner = await startLiner({ dataDir, databaseUrl });
  let nginx: Awaited<ReturnType<typeof startNginx>> | undefined;
  try {
    const url = `${liner.url}${pagePath}`;
    const page = await getOnce(url);
    if (page.status !== 200) throw new Error(`GET ${pagePath} answered ${page.status}`);
    const commentsShown = (page.body.toString().match(/class="u-comment h-cite comment/g) ?? []).length;
    const www = path.join(work, "www");
    const file = path.join(www, pagePath);
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.mkdirSync(path.join(work, "nginx-tmp"), { recursive: true });
    fs.writeFileSync(file, page.body);
    const cores = os.availableParallelism();
    nginx = await startNginx(tools.nginx, work, www, cores, pagePath);
    const same = await getOnce(nginx.url);
    if (!same.body.equals(page.body)) throw new Error("nginx does not serve the same bytes as Liner");
    const warm = Math.max(1, Math.min(5, Math.round(o.duration / 5)));
    const load = { threads: 2, connections: 50 };
    console.log(
      `  page (${label}): ${pagePath}, ${fmt(page.body.length)} bytes, ${commentsShown} comments; wrk -t2 -c50 -d${o.duration}s: nginx ...`,
    );
    await runWrk(tools.wrk, nginx.url, { ...load, seconds: warm });
    const rNginx = await runWrk(tools.wrk, nginx.url, { ...load, seconds: o.duration });
    await nginx.stop();
    nginx = undefined;
    console.log(`  page (${label}): Liner ...`);
    await runWrk(tools.wrk, url, { ...load, seconds: warm });
    const rLiner = await runWrk(tools.wrk, url, { ...load, seconds: o.duration });
    return { bytes: page.body.length, commentsShown, nginx: rNginx, liner: rLiner };
  } finally {
    await nginx?.stop();
    await liner.stop();
  }
}

export async function benchWebmention(o: WebmentionOptions): Promise<void> {
  ensureTools(["wrk", "nginx"]);
  const runs: DbRun[] = [];
  const dbNames: string[] = [];
  const work = makeWorkDir("webmention");
  const sqlite = sqliteVersion();
  dbNames.push(sqlite);
  runs.push(await runOn(o, sqlite, work));
  removeWorkDir(work);
  if (o.pg && (await pgAvailable())) {
    const name = "liner_bench_webmention";
    const pgWork = makeWorkDir("webmention-pg");
    try {
      const url = await createPgDatabase(name);
      const version = await pgVersion();
      dbNames.push(version);
      runs.push(await runOn(o, version, pgWork, url));
    } finally {
      await dropPgDatabase(name);
      removeWorkDir(pgWork);
    }
  } else if (o.pg) {
    console.log("webmention: PostgreSQL is not reachable; skipped.");
  }
  report(o, runs, dbNames);
}

function report(o: WebmentionOptions, runs: DbRun[], dbNames: string[]): void {
  const perS = (count: number, ms: number | undefined) =>
    ms !== undefined && Number.isFinite(ms) && ms > 0 ? `${fmt((count / ms) * 1000, 1)}/s` : "n/a";
  const header1 = [
    "database",
    "jobs",
    "clients",
    "201",
    "receive p50",
    "p99",
    "max",
    "sent in",
    "verified",
    "items",
    "all verified after",
    "verified/s",
    "job span",
    "jobs/s",
  ];
  const rows1: Row[] = runs.flatMap(({ db, rounds }) =>
    rounds.map(({ jobs, r }) => {
      const verified = r.counts.verified ?? 0;
      return [
        db,
        jobs,
        String(r.clients),
        `${fmt(r.statuses.get(201) ?? 0)}/${fmt(r.count)}`,
        fmtMs(percentile(r.times, 50)),
        fmtMs(percentile(r.times, 99)),
        fmtMs(Math.max(...r.times)),
        fmtMs(r.sendMs),
        `${fmt(verified)}/${fmt(r.count)}`,
        fmt(r.items),
        r.allVerifiedMs === undefined ? `incomplete (${o.waitS} s)` : fmtMs(r.allVerifiedMs),
        perS(verified, r.allVerifiedMs ?? o.waitS * 1000),
        `${fmtMs(r.firstCheckMs)} → ${fmtMs(r.lastCheckMs)}`,
        perS(verified - 1, r.lastCheckMs - r.firstCheckMs),
      ];
    }),
  );
  const header2 = ["database", "server", "req/s", "p50", "p99", "vs nginx", "errors"];
  const rows2: Row[] = runs.flatMap(({ db, page: p }) => [
    [
      db,
      "nginx (static file, same bytes)",
      fmt(p.nginx.rps),
      fmtMs(p.nginx.p50),
      fmtMs(p.nginx.p99),
      "1.00×",
      fmt(p.nginx.errors),
    ],
    [
      db,
      "Liner, page cache on",
      fmt(p.liner.rps),
      fmtMs(p.liner.p50),
      fmtMs(p.liner.p99),
      `${fmt(p.liner.rps / p.nginx.rps, 2)}×`,
      fmt(p.liner.errors),
    ],
  ]);
  const targets: Target[] = runs.flatMap(({ db, rounds: [{ r: b }, { r: one }, { r: off }, { r: few }], page: p }) => {
    const p99 = percentile(b.times, 99);
    const ratio = p.liner.rps / p.nginx.rps;
    const verified = b.counts.verified ?? 0;
    const accepted = b.statuses.get(201) ?? 0;
    return [
      {
        label: `${db}: receive p99 ≤ 20 ms in the burst (${o.clients} clients)`,
        met: p99 <= 20,
        actual: `${fmtMs(p99)}; with jobs off ${fmtMs(percentile(off.times, 99))}; one client ${fmtMs(percentile(one.times, 99))}`,
      },
      {
        label: `${db}: receive p99 ≤ 20 ms in the burst from ${FEW_CLIENTS} clients`,
        met: percentile(few.times, 99) <= 20,
        actual: `${fmtMs(percentile(few.times, 99))} (p50 ${fmtMs(percentile(few.times, 50))}), all ${fmt(few.counts.verified ?? 0)} verified`,
      },
      {
        label: `${db}: all ${fmt(b.count)} of the burst accepted (201) and verified, none lost (${fmt(b.count)} items)`,
        met: accepted === b.count && verified === b.count && b.items === b.count,
        actual: `${fmt(accepted)} accepted, ${fmt(verified)} verified, ${fmt(b.items)} items${b.allVerifiedMs === undefined ? `, incomplete after ${o.waitS} s` : ""}`,
      },
      {
        label: `${db}: page with ${o.comments} comments ≥ 0.30× nginx req/s`,
        met: ratio >= 0.3 && p.commentsShown === o.comments,
        actual: `${fmt(ratio, 2)}×, p99 ${fmtMs(p.liner.p99)} (nginx ${fmtMs(p.nginx.p99)}); ${p.commentsShown} comments on the page`,
      },
    ];
  });
  const notes = runs.flatMap(({ db, rounds, served, page: p }) => {
    const out: string[] = [];
    for (const { r } of rounds) {
      const other = [...r.statuses].filter(([s]) => s !== 201);
      if (other.length)
        out.push(
          `${db}, ${r.clients} clients: answers other than 201: ${other.map(([s, k]) => `${k}× ${s || "connection error"}`).join(", ")}; first: ${r.firstBad}`,
        );
      const notVerified = Object.entries(r.counts).filter(([s]) => s !== "verified");
      if (notVerified.length)
        out.push(`${db}, ${r.clients} clients: not verified: ${notVerified.map(([s, k]) => `${k} ${s}`).join(", ")}`);
    }
    const [{ r: b }, { r: one }, { r: off }] = rounds;
    const rate = (r: RoundResult) => (r.count / r.sendMs) * 1000;
    out.push(
      `${db}: the burst was answered at ${fmt(rate(b))} POST/s (jobs off: ${fmt(rate(off))} POST/s) with ${b.clients} requests always in flight, so a request waits about ${b.clients} / ${fmt(rate(b))} = ${fmtMs((b.clients / rate(b)) * 1000)} on average (Little's law); one client alone saw p50 ${fmtMs(percentile(one.times, 50))}`,
      `${db}: in the burst with jobs in-process, the first verification started ${fmtMs(b.firstCheckMs)} after the first POST (the runner polls every second when idle) and the last answer came at ${fmtMs(b.sendMs)}: the two overlapped for ${fmtMs(Math.max(0, b.sendMs - b.firstCheckMs))}`,
    );
    out.push(
      `${db}: the burst's items by kind: ${KINDS.map((k) => `${k} ${fmt(b.kinds[k] ?? 0)}`).join(", ")}; status URLs sampled (first, middle, last): ${b.statusUrls}; source pages served in all: ${fmt(served)} (incl. 2 × ${WARM_UP} warm-up); post page ${fmt(p.bytes)} bytes`,
    );
    return out;
  });

  console.log(`\n${consoleTable(header1, rows1)}\n\n${consoleTable(header2, rows2)}\n`);
  for (const l of notes) console.log(l);
  for (const l of targetLines(targets)) console.log(l);
  if (!o.record) return;
  writeSection(
    "webmention",
    `## webmention

${stamp()} · ${machineLine(dbNames)}

**Receiving.** \`liner serve\` on ${fmt(o.posts + 2)} posts with \`LINER_ALLOW_PRIVATE_FETCH=1\` (so that it may fetch loopback
sources), \`LINER_WEBMENTION_PER_HOUR=${PER_HOUR}\` (every Webmention comes from 127.0.0.1, where the default of 300 an
hour would answer 429) and \`LINER_LOG=warn\`. Each Webmention has its own source, a small h-entry page on a loopback
server in the benchmark process (a reply, a like or a mention in turn), and targets the same published post. The
burst: ${fmt(o.mentions)} \`POST /webmention\` from ${o.clients} concurrent clients, each on its own keep-alive connection
(node:http), as fast as answers come back; receive latency is the client's, from sending the request to the last
byte of the 201. In order: (1) \`--no-jobs\`, ${WARM_UP} warm-up Webmentions and the burst, left queued (the endpoint
alone); (2) the server restarted with jobs in-process, which verifies those ${fmt(o.mentions)} with nothing else to do (that
row's "all verified after" and "job span" count from the restart); then ${WARM_UP} warm-up Webmentions, ${fmt(o.single)} from
one client (the cost of one, without queueing), the burst of the figure, and the same burst from ${FEW_CLIENTS} clients at once. Each round's rows are polled every 50 ms
until all are \`verified\`, for at most ${o.waitS} s. "verified/s": verified over the time from the round's first POST
until polling saw the last one verified. "job span": the first and last verification's \`checked_at\` (when its job
started); "jobs/s": the rate over that span. The in-process job runner (\`src/lib/jobs/runner.ts\`) claims up to 10
due jobs and runs those of kinds that wait on other servers (verification is one) together, and polls every second
when idle; it shares the event loop with the endpoint. The endpoint stores the Webmentions that arrive together in one
transaction (\`src/conversation/webmention/intake.ts\`) and answers each once it is committed. The client is Node's
own (node:http) on the same two cores as the server: with wrk as the client (\`wrk -t1 -c50\`, a Lua script making each
body unique; not part of this benchmark) one server process answered about 2,600 POST/s with p99 48 ms on this
machine, so the 50-client p99 here includes the client's own queueing.

${markdownTable(header1, rows1)}

${notes.map((l) => `- ${l}`).join("\n")}

**Post page with ${o.comments} approved comments** (200-600 characters each, inserted through Kysely with the HTML of the
comments' renderer; the comment form is on the page): \`wrk -t2 -c50 -d${o.duration}s --latency\` after a short warm-up,
\`liner serve --no-jobs\` with the page cache on, against nginx serving the same bytes from a file (one worker per core,
access log off), in the same run. wrk, nginx and Liner share the same cores.

${markdownTable(header2, rows2)}

${targetLines(targets).join("\n")}`,
  );
}
