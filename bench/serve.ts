/**
 * `serve`: wrk against a ~1,000-word post page on Liner (page cache on, then off) and against
 * nginx serving the very same bytes from a file, in the same run, on a 10,000-post database.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { makeTemplate, makeVocabulary, postGenerator } from "./lib/corpus.ts";
import { getOnce, runWrk, type WrkResult, waitFor200 } from "./lib/http.ts";
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

function nginxConfig(work: string, port: number, root: string): string {
  const user = process.getuid?.() === 0 ? "user root;\n" : "";
  const tmp = path.join(work, "nginx-tmp");
  return `${user}worker_processes ${os.availableParallelism()};
daemon off;
master_process on;
pid ${path.join(work, "nginx.pid")};
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

async function wrkPhase(wrk: string, url: string, o: ServeOptions): Promise<WrkResult> {
  const warm = Math.max(1, Math.min(5, Math.round(o.duration / 5)));
  await runWrk(wrk, url, { threads: o.threads, connections: o.connections, seconds: warm });
  return runWrk(wrk, url, { threads: o.threads, connections: o.connections, seconds: o.duration });
}

export async function benchServe(o: ServeOptions): Promise<void> {
  const tools = ensureTools(["wrk", "nginx"]);
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
  const wrkArgs = `wrk -t${o.threads} -c${o.connections} -d${o.duration}s --latency`;

  // Liner with its page cache (the default).
  let liner = await startLiner({ dataDir });
  const page = await getOnce(`${liner.url}${pagePath}`);
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
  const nginxPort = await freePort();
  const conf = path.join(work, "nginx.conf");
  fs.writeFileSync(conf, nginxConfig(work, nginxPort, www));
  const nginx = spawnTracked(tools.nginx, ["-p", work, "-c", conf, "-e", path.join(work, "nginx-error.log")]);
  const nginxOut = captureOutput(nginx);
  const nginxUrl = `http://127.0.0.1:${nginxPort}${pagePath}`;
  try {
    await waitFor200(nginxUrl, { deadlineMs: 10_000, alive: () => nginx.exitCode === null });
  } catch (err) {
    throw new Error(`nginx did not start: ${(err as Error).message}\n${nginxOut()}`);
  }
  const same = await getOnce(nginxUrl);
  if (!same.body.equals(page.body)) throw new Error("nginx does not serve the same bytes as Liner");

  console.log(`serve: page ${pagePath} is ${fmt(page.body.length)} bytes; running ${wrkArgs} (after a warm-up) ...`);
  console.log("  nginx ...");
  const rNginx = await wrkPhase(tools.wrk, nginxUrl, o);
  await stopChild(nginx);

  console.log("  Liner (page cache on) ...");
  const rCached = await wrkPhase(tools.wrk, `${liner.url}${pagePath}`, o);
  const rssCached = rssMb(liner.pid);
  await liner.stop();

  // One process per core, as nginx runs one worker per core.
  console.log("  Liner --processes 2 (page cache on) ...");
  liner = await startLiner({ dataDir, args: ["--processes", "2"] });
  let rCluster: WrkResult;
  try {
    rCluster = await wrkPhase(tools.wrk, `${liner.url}${pagePath}`, o);
  } finally {
    await liner.stop();
  }

  console.log("  Liner (LINER_PAGE_CACHE=0) ...");
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
  const row = (name: string, r: WrkResult, vs: string, rss?: number): Row => [
    name,
    fmt(r.rps),
    fmtMs(r.p50),
    fmtMs(r.p99),
    vs,
    fmt(r.errors),
    rss === undefined ? "" : `${fmt(rss)} MB`,
  ];
  const header = ["server", "req/s", "p50", "p99", "vs nginx", "errors", "RSS after"];
  const rows = [
    row("nginx (static file, same bytes)", rNginx, "1.00×"),
    row("Liner, page cache on", rCached, `${fmt(ratio, 2)}×`, rssCached),
    row("Liner --processes 2, page cache on", rCluster, `${fmt(rCluster.rps / rNginx.rps, 2)}×`),
    row("Liner, LINER_PAGE_CACHE=0", rUncached, `${fmt(rUncached.rps / rNginx.rps, 2)}×`, rssUncached),
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
    { label: "uncached ≥ 3,000 req/s", met: rUncached.rps >= 3000, actual: `${fmt(rUncached.rps)} req/s` },
    { label: "RSS after the run ≤ 150 MB", met: rssMax <= 150, actual: `${fmt(rssMax)} MB` },
  ];
  const errors = rNginx.errors + rCached.errors + rCluster.errors + rUncached.errors;

  console.log(`\n${consoleTable(header, rows)}\n`);
  console.log(`RSS idle after start: ${fmt(rssIdle ?? Number.NaN)} MB`);
  for (const l of targetLines(targets)) console.log(l);
  if (errors) console.log(`WARNING: ${errors} non-2xx responses or socket errors`);
  if (!o.record) return;
  writeSection(
    "serve",
    `## serve

${stamp()} · ${machineLine([sqliteVersion()])}

\`${wrkArgs}\` (after a short warm-up) against \`${pagePath}\`, a ${fmt(page.body.length)}-byte page for a
~1,000-word post, on a database of ${fmt(o.posts + 1)} posts; nginx serves the same bytes from a file (one worker
per core, access log off) in the same run. \`liner serve --no-jobs\`, \`LINER_LOG=warn\`. RSS is the server's VmRSS
after its run (${fmt(rssIdle ?? Number.NaN)} MB idle after start). wrk runs on the same 2 cores as the server.

${markdownTable(header, rows)}

${targetLines(targets).join("\n")}${errors ? `\n\nNote: ${errors} non-2xx responses or socket errors.` : ""}`,
  );
}
