/**
 * `serve`: wrk against a ~1,000-word post page on Liner (page cache on, then off) and against
 * nginx serving the very same bytes from a file, in the same run, on a 10,000-post database.
 * Three loads: `-t2 -c50` (nginx with a worker per core); one Liner process beside nginx with
 * `worker_processes 1` under `-t1 -c50`; and 1,000 connections (`-t2 -c1000`), where what counts
 * is that every connection is served: timeouts, errors and p99.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { makeTemplate, makeVocabulary, postGenerator } from "./lib/corpus.ts";
import { getOnce, hardFdLimit, runWrk, type WrkResult, waitFor200, withFdLimit } from "./lib/http.ts";
import { startLiner } from "./lib/liner.ts";
import { captureOutput, ensureTools, freePort, makeWorkDir, rssMb, spawnTracked, stopChild } from "./lib/proc.ts";
import {
  consoleTable,
  fmt,
  fmtMs,
  machineLine,
  markdownTable,
  type Row,
  sqliteVersion,
  stamp,
  type Target,
  targetLines,
  writeSection,
} from "./lib/report.ts";
import { seedDatabase } from "./lib/seed.ts";

export interface ServeOptions {
  duration: number;
  posts: number;
  connections: number;
  threads: number;
  record: boolean;
  /** Page to measure (default: the generated ~1,000-word post). */
  path?: string;
}

const SLUG = "what-a-page-cache-is-for";

/** The page under test: a ~1,000-word article with headings, lists, a quote, code and links. */
function targetPost() {
  const post = postGenerator(makeTemplate(1000, 29), makeVocabulary(), 4242)(0);
  return { ...post, title: "What a page cache is for", slug: SLUG, publishedAt: "2024-12-30T09:00:00.000Z" };
}

/** The many-connections row: wrk's threads and connections. */
const MANY = { threads: 2, connections: 1000 };
/** The one-worker-each row. */
const ONE = { threads: 1, connections: 50 };

function nginxConfig(work: string, port: number, root: string, workers: number): string {
  const user = process.getuid?.() === 0 ? "user root;\n" : "";
  const tmp = path.join(work, "nginx-tmp");
  return `${user}worker_processes ${workers};
daemon off;
master_process on;
pid ${path.join(work, `nginx-${port}.pid`)};
error_log ${path.join(work, "nginx-error.log")} warn;
events { worker_connections 4096; }
http {
  access_log off;
  sendfile on;
  tcp_nopush on;
  tcp_nodelay on;
  keepalive_timeout 75s;
  keepalive_requests 1000000;
  default_type text/html;
  client_body_temp_path ${tmp}/body;
  proxy_temp_path ${tmp}/proxy;
  fastcgi_temp_path ${tmp}/fastcgi;
  uwsgi_temp_path ${tmp}/uwsgi;
  scgi_temp_path ${tmp}/scgi;
  server {
    listen 127.0.0.1:${port};
    root ${root};
    location / { }
  }
}
`;
}

type Load = { threads: number; connections: number };

/**
 * One wrk run, after a warm-up run unless `warmUp` is false: the 1,000-connection runs go without,
 * on servers already warm from the rows before, so that they start with all their connections
 * at once, as `wrk -c1000` alone does (a warm-up's connections, closed by wrk but still queued
 * for accept, changed what the run measured).
 */
async function wrkPhase(wrk: string, url: string, o: ServeOptions, load: Load = o, warmUp = true): Promise<WrkResult> {
  const warm = Math.max(1, Math.min(5, Math.round(o.duration / 5)));
  if (warmUp) await runWrk(wrk, url, { threads: load.threads, connections: load.connections, seconds: warm });
  return runWrk(wrk, url, { threads: load.threads, connections: load.connections, seconds: o.duration });
}

/** nginx with `workers` worker processes serving `www`, on a free port; resolves once it answers. */
export async function startNginx(nginxBin: string, work: string, www: string, workers: number, pagePath: string) {
  const port = await freePort();
  const conf = path.join(work, `nginx-${port}.conf`);
  fs.writeFileSync(conf, nginxConfig(work, port, www, workers));
  // Its open-files limit raised like wrk's: 1,000 connections need more than the usual 1,024.
  const [cmd, args] = withFdLimit(nginxBin, ["-p", work, "-c", conf, "-e", path.join(work, "nginx-error.log")]);
  const child = spawnTracked(cmd, args);
  const out = captureOutput(child);
  const url = `http://127.0.0.1:${port}${pagePath}`;
  try {
    await waitFor200(url, { deadlineMs: 10_000, alive: () => child.exitCode === null });
  } catch (err) {
    await stopChild(child);
    throw new Error(`nginx did not start: ${(err as Error).message}\n${out()}`);
  }
  return { url, stop: () => stopChild(child) };
}

export async function benchServe(o: ServeOptions): Promise<void> {
  const tools = ensureTools(["wrk", "nginx"]);
  const fdLimit = hardFdLimit();
  if (fdLimit < MANY.connections * 2 + 100) {
    console.log(
      `WARNING: the hard open-files limit is ${fdLimit}; ${fmt(MANY.connections)} connections need more (raise it, e.g. ulimit -Hn 65536 as root)`,
    );
  }
  const work = makeWorkDir("serve");
  const dataDir = path.join(work, "data");
  console.log(`serve: generating ${fmt(o.posts)} posts (+ the page under test) in SQLite ...`);
  const seedMs = await seedDatabase({
    sqlitePath: path.join(dataDir, "liner.db"),
    posts: o.posts,
    extra: [targetPost()],
  });
  console.log(`  done in ${fmtMs(seedMs)}`);
  const pagePath = o.path ?? `/posts/${SLUG}`;
  const wrkArgs = (l: Load) => `wrk -t${l.threads} -c${l.connections} -d${o.duration}s --latency`;

  // Liner with its page cache (the default).
  let liner = await startLiner({ dataDir });
  const linerUrl = `${liner.url}${pagePath}`;
  const page = await getOnce(linerUrl);
  if (page.status !== 200) {
    await liner.stop();
    throw new Error(
      `GET ${pagePath} answered ${page.status} (is the post page route there yet?)\n--- liner output ---\n${liner.output().slice(-3000)}`,
    );
  }
  const rssIdle = rssMb(liner.pid);

  // nginx serving the same bytes from a file at the same path.
  const www = path.join(work, "www");
  // The same URL path on nginx: a file named like the path (index.html for a folder path).
  const file = path.join(www, pagePath.endsWith("/") ? `${pagePath}index.html` : pagePath);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.mkdirSync(path.join(work, "nginx-tmp"), { recursive: true });
  fs.writeFileSync(file, page.body);
  const cores = os.availableParallelism();
  let nginx = await startNginx(tools.nginx, work, www, cores, pagePath);
  const same = await getOnce(nginx.url);
  if (!same.body.equals(page.body)) throw new Error("nginx does not serve the same bytes as Liner");

  console.log(`serve: page ${pagePath} is ${fmt(page.body.length)} bytes; each run after a warm-up ...`);
  console.log(`  ${wrkArgs(o)}: nginx (${cores} workers) ...`);
  const rNginx = await wrkPhase(tools.wrk, nginx.url, o);
  await nginx.stop();

  console.log(`  ${wrkArgs(o)}: Liner (page cache on) ...`);
  const rCached = await wrkPhase(tools.wrk, linerUrl, o);
  const rssCached = rssMb(liner.pid);

  // One process each: nginx's one worker against one Liner process, wrk on one thread.
  nginx = await startNginx(tools.nginx, work, www, 1, pagePath);
  let rNginx1: WrkResult;
  let rOne: WrkResult;
  let rNginxMany: WrkResult;
  let rMany: WrkResult;
  let rssMany: number | undefined;
  try {
    console.log(`  ${wrkArgs(ONE)}: nginx (1 worker) ...`);
    rNginx1 = await wrkPhase(tools.wrk, nginx.url, o, ONE);
    console.log(`  ${wrkArgs(ONE)}: Liner (one process) ...`);
    rOne = await wrkPhase(tools.wrk, linerUrl, o, ONE);
    console.log(`  ${wrkArgs(MANY)}: nginx (1 worker) ...`);
    rNginxMany = await wrkPhase(tools.wrk, nginx.url, o, MANY, false);
    console.log(`  ${wrkArgs(MANY)}: Liner (one process) ...`);
    rMany = await wrkPhase(tools.wrk, linerUrl, o, MANY, false);
    rssMany = rssMb(liner.pid);
  } finally {
    await nginx.stop();
    await liner.stop();
  }

  // One process per core, as nginx runs one worker per core.
  console.log(`  ${wrkArgs(o)}: Liner --processes 2 (page cache on) ...`);
  liner = await startLiner({ dataDir, args: ["--processes", "2"] });
  let rCluster: WrkResult;
  try {
    rCluster = await wrkPhase(tools.wrk, `${liner.url}${pagePath}`, o);
  } finally {
    await liner.stop();
  }

  console.log(`  ${wrkArgs(o)}: Liner (LINER_PAGE_CACHE=0) ...`);
  liner = await startLiner({ dataDir, pageCache: false });
  let rUncached: WrkResult;
  let rssUncached: number | undefined;
  try {
    const check = await getOnce(`${liner.url}${pagePath}`);
    if (check.status !== 200) throw new Error(`uncached GET ${pagePath} answered ${check.status}`);
    rUncached = await wrkPhase(tools.wrk, `${liner.url}${pagePath}`, o);
    rssUncached = rssMb(liner.pid);
  } finally {
    await liner.stop();
  }

  const ratio = rCached.rps / rNginx.rps;
  const ratioOne = rOne.rps / rNginx1.rps;
  const load = (l: Load) => `-t${l.threads} -c${fmt(l.connections)}`;
  const row = (name: string, l: Load, r: WrkResult, vs: string, rss?: number): Row => [
    name,
    load(l),
    fmt(r.rps),
    fmtMs(r.p50),
    fmtMs(r.p99),
    vs,
    fmt(r.timeouts),
    fmt(r.socketErrors + r.non2xx),
    rss === undefined ? "" : `${fmt(rss)} MB`,
  ];
  const header = ["server", "wrk", "req/s", "p50", "p99", "vs nginx", "timeouts", "errors", "RSS after"];
  const rows = [
    row(`nginx (static file, same bytes, ${cores} workers)`, o, rNginx, "1.00×"),
    row("Liner, page cache on", o, rCached, `${fmt(ratio, 2)}×`, rssCached),
    row("Liner --processes 2, page cache on", o, rCluster, `${fmt(rCluster.rps / rNginx.rps, 2)}×`),
    row("Liner, LINER_PAGE_CACHE=0", o, rUncached, `${fmt(rUncached.rps / rNginx.rps, 2)}×`, rssUncached),
    row("nginx, worker_processes 1", ONE, rNginx1, "1.00×"),
    row("Liner, one process", ONE, rOne, `${fmt(ratioOne, 2)}×`),
    row("nginx, worker_processes 1", MANY, rNginxMany, "1.00×"),
    row("Liner, one process", MANY, rMany, `${fmt(rMany.rps / rNginxMany.rps, 2)}×`, rssMany),
  ];
  const rssMax = Math.max(rssCached ?? 0, rssUncached ?? 0);
  const targets: Target[] = [
    { label: "Liner (one process) ≥ 0.30× nginx req/s", met: ratio >= 0.3, actual: `${fmt(ratio, 2)}×` },
    {
      label: "Liner --processes 2 ≥ 0.30× nginx req/s",
      met: rCluster.rps / rNginx.rps >= 0.3,
      actual: `${fmt(rCluster.rps / rNginx.rps, 2)}×, p99 ${fmtMs(rCluster.p99)}`,
    },
    { label: "Liner p99 ≤ 10 ms (cached)", met: rCached.p99 <= 10, actual: fmtMs(rCached.p99) },
    {
      label: `one worker each (${load(ONE)}): Liner ≥ 0.30× nginx req/s, p99 ≤ 10 ms`,
      met: ratioOne >= 0.3 && rOne.p99 <= 10,
      actual: `${fmt(ratioOne, 2)}×, p99 ${fmtMs(rOne.p99)}`,
    },
    {
      label: `${fmt(MANY.connections)} connections (${load(MANY)}): Liner 0 timeouts and errors, p99 ≤ 1 s`,
      met: rMany.errors === 0 && rMany.p99 <= 1000,
      actual: `${fmt(rMany.timeouts)} timeouts, ${fmt(rMany.socketErrors + rMany.non2xx)} errors, p99 ${fmtMs(rMany.p99)}`,
    },
    { label: "uncached ≥ 3,000 req/s", met: rUncached.rps >= 3000, actual: `${fmt(rUncached.rps)} req/s` },
    { label: "RSS after the run ≤ 150 MB", met: rssMax <= 150, actual: `${fmt(rssMax)} MB` },
  ];
  const all = [rNginx, rCached, rCluster, rUncached, rNginx1, rOne, rNginxMany, rMany];
  const errors = all.reduce((n, r) => n + r.errors, 0);

  console.log(`\n${consoleTable(header, rows)}\n`);
  console.log(`RSS idle after start: ${fmt(rssIdle ?? Number.NaN)} MB`);
  for (const l of targetLines(targets)) console.log(l);
  if (errors) console.log(`WARNING: ${errors} non-2xx responses, socket errors or timeouts in all`);
  if (!o.record) return;
  writeSection(
    "serve",
    `## serve

${stamp()} · ${machineLine([sqliteVersion()])}

\`wrk -d${o.duration}s --latency\` (after a short warm-up) against \`${pagePath}\`, a ${fmt(page.body.length)}-byte page for a
~1,000-word post, on a database of ${fmt(o.posts + 1)} posts; nginx serves the same bytes from a file (access log off)
in the same run. \`liner serve --no-jobs\`, \`LINER_LOG=warn\`. RSS is the server's VmRSS after its run
(${fmt(rssIdle ?? Number.NaN)} MB idle after start; the ${fmt(MANY.connections)}-connection row's is after that run). wrk runs on the same ${cores} cores as the server.
Three loads: \`${load(o)}\` against nginx with one worker per core; \`${load(ONE)}\`, one Liner process against
nginx with \`worker_processes 1\`; and \`${load(MANY)}\`, the same pair, where timeouts (wrk's 2 s) and errors
are what count (no warm-up run there: both servers are warm from the rows before, and the run starts with its
${fmt(MANY.connections)} connections at once). wrk and nginx run with the open-files limit raised (Node raises its own).

${markdownTable(header, rows)}

${targetLines(targets).join("\n")}${errors ? `\n\nNote: ${errors} non-2xx responses, socket errors or timeouts in all.` : ""}`,
  );
}
