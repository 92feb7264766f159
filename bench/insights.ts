/**
 * `insights`: first-party counting under load. Two parts, each with its peer in the same run.
 * - Ingestion: views noted at a steady rate (default 5,000/s for 60 s, each from its own visitor,
 *   a browser's User-Agent) into the counter a server uses, on SQLite and on PostgreSQL; then
 *   every view must be in the table (none lost), and the write batches' times are reported.
 * - Serve: wrk against a cached post page of a real `liner serve`, counting on and counting off,
 *   alternating (on, off, off, on), every request a browser from its own address (X-Forwarded-For
 *   through a trusted proxy), so that each one is counted when counting is on.
 * The dashboard figures (10 million views, 50,000 outcomes) come with the dashboard.
 */
import fs from "node:fs";
import path from "node:path";
import { counterOf } from "../src/insights/sink.ts";
import { insightStore } from "../src/insights/store.ts";
import { loadConfig } from "../src/lib/config.ts";
import { type AppContext, closeContext, createContext } from "../src/lib/context.ts";
import { runWrk, type WrkResult } from "./lib/http.ts";
import { startLiner } from "./lib/liner.ts";
import { ensureTools, makeWorkDir, removeWorkDir } from "./lib/proc.ts";
import {
  consoleTable,
  fmt,
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

export interface InsightsOptions {
  /** Seconds of ingestion at `rate`. */
  seconds: number;
  rate: number;
  /** wrk seconds per serve run. */
  duration: number;
  posts: number;
  pg: boolean;
  record: boolean;
}

const UA = "Mozilla/5.0 (X11; Linux x86_64; rv:133.0) Gecko/20100101 Firefox/133.0";
const SLUG = "counted-page";

interface Ingest {
  db: string;
  noted: number;
  stored: number;
  seconds: number;
  p99FlushMs: number;
  maxFlushMs: number;
}

/** Note `rate` views a second for `seconds` into the context's counter; then count what is stored. */
async function ingest(ctx: AppContext, db: string, o: InsightsOptions): Promise<Ingest> {
  const counter = counterOf(ctx);
  const flushes: number[] = [];
  const flush = counter.flush.bind(counter);
  counter.flush = async () => {
    const t = performance.now();
    await flush();
    flushes.push(performance.now() - t);
  };
  const total = o.rate * o.seconds;
  const started = performance.now();
  let noted = 0;
  // Every 10 ms, the views due by now: a steady rate, not a burst.
  await new Promise<void>((resolve) => {
    const tick = setInterval(() => {
      const due = Math.min(total, Math.floor(((performance.now() - started) / 1000) * o.rate));
      for (; noted < due; noted++) {
        const n = noted;
        counter.note({
          path: `/posts/p-${n % 500}`,
          search: n % 7 === 0 ? "?ref=email" : "",
          peer: `10.${(n >> 16) & 255}.${(n >> 8) & 255}.${n & 255}`,
          ua: UA,
          referer: n % 3 === 0 ? "https://mastodon.social/@a/1" : undefined,
          at: Date.now(),
        });
      }
      if (noted >= total) {
        clearInterval(tick);
        resolve();
      }
    }, 10);
  });
  await counter.flush();
  const seconds = (performance.now() - started) / 1000;
  const stored = Number(
    (
      await ctx.db.kysely
        .selectFrom("insight_views")
        .select((eb) => eb.fn.countAll().as("n"))
        .executeTakeFirstOrThrow()
    ).n,
  );
  return {
    db,
    noted,
    stored,
    seconds,
    p99FlushMs: percentile(flushes, 99),
    maxFlushMs: Math.max(0, ...flushes),
  };
}

async function ingestOn(dataDir: string, databaseUrl: string | undefined, db: string, o: InsightsOptions) {
  const env: NodeJS.ProcessEnv = { ...process.env, LINER_DATA: dataDir, LINER_LOG: "warn" };
  delete env.DATABASE_URL;
  if (databaseUrl) env.DATABASE_URL = databaseUrl;
  const ctx = await createContext(loadConfig(env));
  try {
    console.log(`insights: ${fmt(o.rate)} views/s for ${o.seconds} s on ${db} ...`);
    return await ingest(ctx, db, o);
  } finally {
    await closeContext(ctx);
  }
}

interface ServeRun {
  counting: boolean;
  order: string;
  r: WrkResult;
  /** Requests made, the warm-up's included. */
  requests: number;
  counted: number;
}

async function serveRuns(work: string, o: InsightsOptions): Promise<ServeRun[]> {
  const tools = ensureTools(["wrk"]);
  const dataDir = path.join(work, "serve");
  await seedDatabase({ sqlitePath: path.join(dataDir, "liner.db"), posts: o.posts, words: 1000 });
  const script = path.join(work, "browsers.lua");
  // Each request a different browser address (through the trusted proxy), a browser's User-Agent.
  fs.writeFileSync(
    script,
    `local n = 0
request = function()
  n = n + 1
  local ip = string.format("10.%d.%d.%d", math.random(0, 255), math.random(0, 255), n % 256)
  return wrk.format("GET", nil, { ["User-Agent"] = "${UA}", ["X-Forwarded-For"] = ip })
end
`,
  );
  const env: NodeJS.ProcessEnv = { ...process.env, LINER_DATA: dataDir, LINER_LOG: "warn" };
  delete env.DATABASE_URL;
  const setCounting = async (on: boolean) => {
    const ctx = await createContext(loadConfig(env));
    try {
      await insightStore(ctx.db).setSetting("counting", on ? "1" : "0");
      return Number(
        (
          await ctx.db.kysely
            .selectFrom("insight_views")
            .select((eb) => eb.fn.countAll().as("n"))
            .executeTakeFirstOrThrow()
        ).n,
      );
    } finally {
      await closeContext(ctx);
    }
  };
  const slug = (await firstSlug(env)) ?? SLUG;
  const runs: ServeRun[] = [];
  const plan: [boolean, string][] = [
    [true, "round 1, first"],
    [false, "round 1, second"],
    [false, "round 2, first"],
    [true, "round 2, second"],
  ];
  for (const [counting, order] of plan) {
    const before = await setCounting(counting);
    const liner = await startLiner({ dataDir, env: { LINER_TRUST_PROXY: "1" } });
    try {
      const url = `${liner.url}/posts/${slug}`;
      const warm = await runWrk(tools.wrk, url, { threads: 1, connections: 50, seconds: 3, script });
      const r = await runWrk(tools.wrk, url, { threads: 1, connections: 50, seconds: o.duration, script });
      await liner.stop(); // writes what it still holds
      const requests = warm.requests + r.requests;
      runs.push({ counting, order, r, requests, counted: (await setCounting(counting)) - before });
      console.log(`  counting ${counting ? "on " : "off"} (${order}): ${fmt(r.rps)} req/s`);
    } finally {
      await liner.stop();
    }
  }
  return runs;
}

async function firstSlug(env: NodeJS.ProcessEnv): Promise<string | undefined> {
  const ctx = await createContext(loadConfig(env));
  try {
    const row = await ctx.db.kysely
      .selectFrom("posts")
      .select("slug")
      .where("status", "=", "published")
      .orderBy("id")
      .executeTakeFirst();
    return row?.slug;
  } finally {
    await closeContext(ctx);
  }
}

/** Run the benchmark and record it. */
export async function benchInsights(o: InsightsOptions): Promise<void> {
  const work = makeWorkDir("insights");
  const dbs = [`SQLite ${sqliteVersion()}`];
  const ingests: Ingest[] = [];
  try {
    ingests.push(await ingestOn(path.join(work, "ingest"), undefined, dbs[0], o));
    if (o.pg && (await pgAvailable())) {
      const name = "liner_bench_insights";
      try {
        const url = await createPgDatabase(name);
        const version = await pgVersion();
        dbs.push(version);
        ingests.push(await ingestOn(path.join(work, "ingest-pg"), url, version, o));
      } finally {
        await dropPgDatabase(name);
      }
    }
    const runs = await serveRuns(work, o);
    report(o, dbs, ingests, runs);
  } finally {
    removeWorkDir(work);
  }
}

function report(o: InsightsOptions, dbs: string[], ingests: Ingest[], runs: ServeRun[]) {
  const iHead: Row = ["database", "views noted", "stored", "lost", "seconds", "views/s", "write p99", "write max"];
  const iRows: Row[] = ingests.map((i) => [
    i.db,
    fmt(i.noted),
    fmt(i.stored),
    fmt(i.noted - i.stored),
    i.seconds.toFixed(1),
    fmt(i.stored / i.seconds),
    `${i.p99FlushMs.toFixed(1)} ms`,
    `${i.maxFlushMs.toFixed(1)} ms`,
  ]);
  const sHead: Row = ["run", "order", "req/s", "p99", "requests (with warm-up)", "views stored"];
  const sRows: Row[] = runs.map((r) => [
    r.counting ? "Liner, counting on" : "Liner, counting off (peer)",
    r.order,
    fmt(r.r.rps),
    `${r.r.p99.toFixed(1)} ms`,
    fmt(r.requests),
    fmt(r.counted),
  ]);
  const avg = (on: boolean) => {
    const xs = runs.filter((r) => r.counting === on).map((r) => r.r.rps);
    return xs.reduce((a, b) => a + b, 0) / xs.length;
  };
  const ratio = avg(true) / avg(false);
  const targets: Target[] = [
    ...ingests.map((i) => ({
      met: i.stored === i.noted && i.stored / i.seconds >= o.rate * 0.98,
      label: `page-view ingestion on ${i.db} sustained at ${fmt(o.rate)} views/s for ${o.seconds} s, none lost`,
      actual: `${fmt(i.stored / i.seconds)} views/s, ${fmt(i.noted - i.stored)} lost of ${fmt(i.noted)}`,
    })),
    {
      met: ratio >= 0.9,
      label: "serve throughput with counting on ≥ 0.9× counting off, same run",
      actual: `${ratio.toFixed(2)}× (${fmt(avg(true))} against ${fmt(avg(false))} req/s)`,
    },
  ];
  console.log(`\n${consoleTable(iHead, iRows)}\n\n${consoleTable(sHead, sRows)}\n\n${targetLines(targets).join("\n")}`);
  if (!o.record) return;
  writeSection(
    "insights",
    `## insights

${stamp()} · ${machineLine(dbs)}

**Ingestion**: ${fmt(o.rate)} views a second for ${o.seconds} s noted into the counter \`liner serve\`
uses (each from its own visitor, a browser's User-Agent, a third from a Mastodon instance, one in
seven with \`ref=email\`), written in batches a few times a second; then the table is counted.

${markdownTable(iHead, iRows)}

**Serve**: wrk (\`-t1 -c50\`, ${o.duration} s after a 3 s warm-up) against a cached ~1,000-word post of
a ${fmt(o.posts)}-post site, every request a browser from its own address (\`X-Forwarded-For\`
through a trusted proxy), with counting on and off (the peer), alternating.

${markdownTable(sHead, sRows)}

${targetLines(targets).join("\n")}`,
  );
}
