/**
 * `poll`: a feed server (a child process listening on 200 loopback addresses, reached as 200 distinct hosts
 * 127.0.0.2 … 127.0.0.201) serves N generated feeds of 20 items each, half with an ETag and half
 * with Last-Modified, 2% broken (invalid XML, 500, 404, an HTML page, a body cut short). A fresh
 * SQLite data folder follows them all through `liner sources import-opml`; then
 * `liner sources poll --once` runs twice as a child process: the first pass stores everything, the
 * second is conditional GETs (mostly 304). Wall time and peak RSS (VmHWM) of each pass are measured,
 * and the items are checked: exactly 20 per healthy feed, none for broken ones, no duplicates.
 *
 * Run as `BENCH_POLL_SERVER=1 node bench/poll.ts` this file is the feed server itself.
 */
import type { ChildProcess } from "node:child_process";
import fs from "node:fs";
import http from "node:http";
import type { AddressInfo } from "node:net";
import path from "node:path";
import Database from "better-sqlite3";
import { linerBin, linerEnv } from "./lib/liner.ts";
import { makeWorkDir, spawnTracked, stopChild } from "./lib/proc.ts";
import {
  consoleTable,
  fmt,
  fmtMs,
  machineLine,
  markdownTable,
  sqliteVersion,
  stamp,
  type Target,
  targetLines,
  writeSection,
} from "./lib/report.ts";

const HOSTS = 200;
const ITEMS = 20;
/** One feed in 50 is broken (2%), in one of these ways. */
const BROKEN_KINDS = ["invalid-xml", "http-500", "http-404", "html", "cut-short"] as const;
const PASS_TIMEOUT_MS = 300_000;

export interface PollBenchOptions {
  record: boolean;
  feeds: number;
}

const hostOf = (i: number) => `127.0.0.${2 + (i % HOSTS)}`;
const brokenKind = (i: number) => (i % 50 === 7 ? BROKEN_KINDS[Math.floor(i / 50) % BROKEN_KINDS.length] : null);
const LAST_MODIFIED = "Sun, 01 Mar 2026 10:00:00 GMT";

/** The feed server (child process side): deterministic feeds, conditional GETs honoured. */
function feedXml(i: number): string {
  const base = Date.UTC(2026, 1, 1) + i * 1000;
  let items = "";
  for (let j = 0; j < ITEMS; j++) {
    const date = new Date(base + j * 3_600_000 * 6).toUTCString();
    items += `<item><guid isPermaLink="false">feed-${i}-item-${j}</guid><title>Post ${j} of feed ${i}: notes &amp; links</title>
<link>https://site${i}.example/posts/${j}</link><pubDate>${date}</pubDate><author>author${i}@site${i}.example (Author ${i})</author>
<category>topic-${j % 5}</category>
<description>&lt;p&gt;A short summary of post ${j} with &lt;a href="https://cited${j % 40}.example/page?utm_source=feed"&gt;a link&lt;/a&gt; and &lt;em&gt;emphasis&lt;/em&gt;. Lorem ipsum dolor sit amet, consectetur adipiscing elit, sed do eiusmod tempor incididunt ut labore et dolore magna aliqua.&lt;/p&gt;&lt;p&gt;Second paragraph with an image &lt;img src="/img/${j}.png" alt="figure ${j}"&gt; and a relative &lt;a href="/about"&gt;link&lt;/a&gt;.&lt;/p&gt;</description></item>\n`;
  }
  return `<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0"><channel><title>Feed ${i}</title><link>https://site${i}.example/</link>
<description>Generated feed ${i}</description><language>en</language>
${items}</channel></rss>`;
}

function runServer(): void {
  const server = http.createServer((req, res) => {
    const m = /^\/feeds\/(\d+)\.xml$/.exec(req.url ?? "");
    const i = m ? Number(m[1]) : -1;
    if (i < 0) {
      res.writeHead(404).end();
      return;
    }
    const kind = brokenKind(i);
    if (kind === "http-500") return void res.writeHead(500, { "content-type": "text/plain" }).end("error");
    if (kind === "http-404") return void res.writeHead(404, { "content-type": "text/plain" }).end("not found");
    if (kind === "html") {
      return void res
        .writeHead(200, { "content-type": "text/html" })
        .end("<!doctype html><title>Moved</title><p>We moved!");
    }
    if (kind === "invalid-xml") {
      return void res
        .writeHead(200, { "content-type": "application/rss+xml" })
        .end("<?xml version='1.0'?><rss><channel><title>Oops</title><item><title>x</channel></rss>");
    }
    if (kind === "cut-short") {
      res.writeHead(200, { "content-type": "application/rss+xml", "content-length": "100000" });
      res.write(feedXml(i).slice(0, 2000));
      setTimeout(() => res.destroy(), 10);
      return;
    }
    const headers: Record<string, string> = { "content-type": "application/rss+xml; charset=utf-8" };
    if (i % 2 === 0) headers.etag = `"feed-${i}-v1"`;
    else headers["last-modified"] = LAST_MODIFIED;
    const fresh =
      (headers.etag && req.headers["if-none-match"] === headers.etag) ||
      (headers["last-modified"] && req.headers["if-modified-since"] === headers["last-modified"]);
    if (fresh) return void res.writeHead(304, headers).end();
    res.writeHead(200, headers).end(feedXml(i));
  });
  server.keepAliveTimeout = 30_000;
  // One listener per loopback address (never 0.0.0.0): the first picks the port, the rest share it.
  server.listen(0, hostOf(0), async () => {
    const port = (server.address() as AddressInfo).port;
    for (let h = 1; h < HOSTS; h++) {
      const more = http.createServer(server.listeners("request")[0] as http.RequestListener);
      more.keepAliveTimeout = 30_000;
      await new Promise<void>((ok, fail) => more.once("error", fail).listen(port, hostOf(h), ok));
    }
    process.stdout.write(`listening ${port}\n`);
  });
}

if (process.env.BENCH_POLL_SERVER === "1") runServer();

/** Start the feed server child; resolves with its port. */
async function startServer(): Promise<{ child: ChildProcess; port: number }> {
  const child = spawnTracked(process.execPath, [new URL(import.meta.url).pathname], {
    env: { ...process.env, BENCH_POLL_SERVER: "1" },
  });
  const port = await new Promise<number>((resolve, reject) => {
    let out = "";
    const timer = setTimeout(() => reject(new Error(`feed server did not start: ${out}`)), 10_000);
    child.stdout?.on("data", (d) => {
      out += d;
      const m = /listening (\d+)/.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve(Number(m[1]));
      }
    });
    child.stderr?.on("data", (d) => {
      out += d;
    });
    child.once("exit", (code) => reject(new Error(`feed server exited (${code}): ${out}`)));
  });
  return { child, port };
}

function opml(feeds: number, port: number): string {
  const lines: string[] = [];
  for (let f = 0; f < 10; f++) {
    lines.push(`<outline text="Folder ${f}">`);
    for (let i = f; i < feeds; i += 10) {
      lines.push(`<outline type="rss" text="Feed ${i}" xmlUrl="http://${hostOf(i)}:${port}/feeds/${i}.xml"/>`);
    }
    lines.push("</outline>");
  }
  return `<?xml version="1.0" encoding="utf-8"?>\n<opml version="2.0"><head><title>bench</title></head><body>\n${lines.join("\n")}\n</body></opml>\n`;
}

interface Pass {
  ms: number;
  peakMb: number;
  summary: string;
  code: number | null;
  output: string;
}

/** Run `liner ARGS` to completion, sampling its VmHWM (peak RSS) while it runs. */
function runLiner(args: string[], env: Record<string, string>): Promise<Pass> {
  const started = performance.now();
  const child = spawnTracked(process.execPath, [linerBin().bin, ...args], { env, cwd: linerBin().cwd });
  let out = "";
  child.stdout?.on("data", (d) => {
    out += d;
  });
  child.stderr?.on("data", (d) => {
    out = (out + d).slice(-20_000);
  });
  let peak = 0;
  const sample = () => {
    try {
      const m = /^VmHWM:\s+(\d+) kB/m.exec(fs.readFileSync(`/proc/${child.pid}/status`, "utf8"));
      if (m) peak = Math.max(peak, Number(m[1]) / 1024);
    } catch {
      // Gone already.
    }
  };
  const timer = setInterval(sample, 50);
  const kill = setTimeout(() => child.kill("SIGKILL"), PASS_TIMEOUT_MS);
  return new Promise((resolve) => {
    child.once("exit", (code) => {
      clearInterval(timer);
      clearTimeout(kill);
      const summary = /Polled .*|Imported .*/.exec(out)?.[0] ?? "";
      resolve({ ms: performance.now() - started, peakMb: peak, summary, code, output: out });
    });
  });
}

/** Counts from a pass's summary line. */
function parseSummary(line: string) {
  const n = (re: RegExp) => Number((re.exec(line)?.[1] ?? "NaN").replace(/,/g, ""));
  return {
    polled: n(/Polled ([\d,]+) source/),
    fetched: n(/([\d,]+) fetched/),
    notModified: n(/([\d,]+) not modified/),
    newItems: n(/([\d,]+) new items?/),
    errors: n(/([\d,]+) errors?/),
  };
}

export async function benchPoll(o: PollBenchOptions): Promise<void> {
  const feeds = o.feeds;
  const broken = Array.from({ length: feeds }, (_, i) => brokenKind(i)).filter(Boolean).length;
  const healthy = feeds - broken;
  const work = makeWorkDir("poll");
  const dataDir = path.join(work, "data");
  const { child: server, port } = await startServer();
  console.log(
    `poll: ${fmt(feeds)} feeds (${fmt(broken)} broken) on ${HOSTS} hosts 127.0.0.2-127.0.0.${1 + HOSTS}, port ${port}`,
  );
  try {
    const env = linerEnv({ dataDir, extra: { LINER_ALLOW_PRIVATE_FETCH: "1" } });
    const file = path.join(work, "feeds.opml");
    fs.writeFileSync(file, opml(feeds, port));
    const imported = await runLiner(["sources", "import-opml", file], env);
    if (imported.code !== 0) throw new Error(`import-opml failed:\n${imported.output}`);
    console.log(`  import-opml: ${fmtMs(imported.ms)} (${imported.summary})`);

    const passes: Pass[] = [];
    for (const name of ["first", "second"]) {
      const p = await runLiner(["sources", "poll", "--once"], env);
      if (p.code !== 0) throw new Error(`${name} pass failed (exit ${p.code}):\n${p.output}`);
      console.log(`  ${name} pass: ${fmtMs(p.ms)}, peak RSS ${fmt(p.peakMb)} MB: ${p.summary}`);
      passes.push(p);
    }
    const check = verify(path.join(dataDir, "liner.db"), feeds);
    const [s1, s2] = passes.map((p) => parseSummary(p.summary));
    const header = ["pass", "wall time", "fetched (200)", "not modified (304)", "new items", "errors", "peak RSS"];
    const rows = passes.map((p, i) => {
      const s = [s1, s2][i];
      return [
        i ? "second (conditional GET)" : "first (all new)",
        fmtMs(p.ms),
        fmt(s.fetched),
        fmt(s.notModified),
        fmt(s.newItems),
        fmt(s.errors),
        `${fmt(p.peakMb)} MB`,
      ];
    });
    const expectedItems = healthy * ITEMS;
    const peak = Math.max(...passes.map((p) => p.peakMb));
    const targets: Target[] = [
      { label: "first pass ≤ 60 s", met: passes[0].ms <= 60_000, actual: fmtMs(passes[0].ms) },
      { label: "second pass ≤ 15 s", met: passes[1].ms <= 15_000, actual: fmtMs(passes[1].ms) },
      { label: "peak RSS ≤ 300 MB", met: peak <= 300, actual: `${fmt(peak)} MB` },
      {
        label: `zero lost or duplicated items (${fmt(expectedItems)} expected: ${ITEMS} × ${fmt(healthy)} healthy feeds)`,
        met:
          check.items === expectedItems && check.duplicates === 0 && check.short === 0 && check.brokenWithItems === 0,
        actual: `${fmt(check.items)} stored, ${check.duplicates} duplicated, ${check.short} healthy feeds short, ${check.brokenWithItems} broken feeds with items`,
      },
      {
        label: "second pass is conditional GETs (304 for every healthy feed)",
        met: s2.notModified === healthy && s2.newItems === 0,
        actual: `${fmt(s2.notModified)} × 304, ${fmt(s2.newItems)} new items`,
      },
    ];
    console.log(`\n${consoleTable(header, rows)}\n`);
    for (const l of targetLines(targets)) console.log(l);
    if (!o.record) return;
    writeSection(
      "poll",
      `## poll

${stamp()} · ${machineLine([sqliteVersion()])}

A feed server (a separate Node process listening on each of ${HOSTS} loopback addresses 127.0.0.2 … 127.0.0.${1 + HOSTS})
serves ${fmt(feeds)} generated RSS feeds of ${ITEMS} items each (~${fmt(Buffer.byteLength(feedXml(1)) / 1024, 1)} KB), half with an
ETag and half with Last-Modified; ${fmt(broken)} (2%) are broken (invalid XML, HTTP 500, HTTP 404, an HTML page, a body cut
short). A fresh SQLite data folder follows them through \`liner sources import-opml\` (${fmtMs(imported.ms)}), then
\`liner sources poll --once\` runs twice as a child process with \`LINER_ALLOW_PRIVATE_FETCH=1\`. Peak RSS is the child's
VmHWM. After both passes the items are counted per feed.

${markdownTable(header, rows)}

${targetLines(targets).join("\n")}`,
    );
  } finally {
    await stopChild(server);
  }
}

/** Count what the passes stored: items per feed, duplicates, broken feeds with items. */
function verify(dbFile: string, feeds: number) {
  const db = new Database(dbFile, { readonly: true });
  try {
    const perSource = db
      .prepare(
        "SELECT s.feed_url AS url, COUNT(i.id) AS n, COUNT(DISTINCT i.dedupe_key) AS d FROM sources s LEFT JOIN items i ON i.source_id = s.id GROUP BY s.id",
      )
      .all() as { url: string; n: number; d: number }[];
    let items = 0;
    let duplicates = 0;
    let short = 0;
    let brokenWithItems = 0;
    for (const r of perSource) {
      const i = Number(/\/feeds\/(\d+)\.xml$/.exec(r.url)?.[1]);
      items += r.n;
      duplicates += r.n - r.d;
      if (brokenKind(i)) brokenWithItems += r.n ? 1 : 0;
      else if (r.n !== ITEMS) short++;
    }
    if (perSource.length !== feeds) short += feeds - perSource.length;
    return { items, duplicates, short, brokenWithItems };
  } finally {
    db.close();
  }
}
