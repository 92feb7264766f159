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
import { homePanel } from "../src/insights/admin/views.ts";
import { dashboard } from "../src/insights/dashboard.ts";
import { rollUp } from "../src/insights/rollup.ts";
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
  /** Views and outcomes stored for the dashboard's figure. */
  views: number;
  outcomes: number;
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
  counter.onStored = (ms) => flushes.push(ms);
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
    const dash = await dashboardFigures(work, { views: o.views, outcomes: o.outcomes, pg: o.pg });
    report(o, dbs, ingests, runs, dash);
  } finally {
    removeWorkDir(work);
  }
}

function report(
  o: InsightsOptions,
  dbs: string[],
  ingests: Ingest[],
  runs: ServeRun[],
  dash: { rows: Row[]; targets: Target[] },
) {
  const dHead: Row = ["database", "views", "outcomes", "load", "rollup", "dashboard median", "slowest"];
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
  targets.push(...dash.targets);
  console.log(
    `\n${consoleTable(iHead, iRows)}\n\n${consoleTable(sHead, sRows)}\n\n${consoleTable(dHead, dash.rows)}\n\n${targetLines(targets).join("\n")}`,
  );
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
through a trusted proxy), with counting on and off (the peer), alternating. While the server is
this busy the counting thread holds the views back (up to 60 s or 1,000,000 views) and writes them
once the load eases, here when the server stops: "views stored" counts them after that. Under
saturation longer than a minute the writes go on beside serving (\`--duration 90\` measures it).

${markdownTable(sHead, sRows)}

**Dashboard**: raw views over the last 90 days (three views a visit, 500 pages, seven sources) and
outcomes, then the daily rollups made by the rollup job's code; then the admin home's panel (its
figures and HTML) made seven times, the first not counted.

${markdownTable(dHead, dash.rows)}

${targetLines(targets).join("\n")}`,
  );
}

interface DashboardRun {
  db: string;
  views: number;
  outcomes: number;
  loadS: number;
  rollupS: number;
  medianMs: number;
  maxMs: number;
}

/** Fill a database with `views` raw views over 90 days and `outcomes` outcomes; roll up; time the dashboard. */
async function dashboardOn(dataDir: string, databaseUrl: string | undefined, db: string, o: DashboardOptions) {
  const env: NodeJS.ProcessEnv = { ...process.env, LINER_DATA: dataDir, LINER_LOG: "warn" };
  delete env.DATABASE_URL;
  if (databaseUrl) env.DATABASE_URL = databaseUrl;
  const ctx = await createContext(loadConfig(env));
  try {
    const store = insightStore(ctx.db);
    const days = 90;
    const perDay = Math.ceil(o.views / days);
    const now = Date.now();
    const sources = ["direct", "search", "mastodon", "bluesky", "linkedin", "newsletter", "someblog.example"];
    console.log(`insights: ${fmt(o.views)} views over ${days} days and ${fmt(o.outcomes)} outcomes into ${db} ...`);
    const t0 = performance.now();
    let made = 0;
    for (let d = days; d >= 1 && made < o.views; d--) {
      const day = new Date(now - d * 86_400_000).toISOString().slice(0, 10);
      for (let i = 0; i < perDay && made < o.views; i += 10_000) {
        const rows = [];
        for (let j = i; j < Math.min(perDay, i + 10_000) && made < o.views; j++, made++) {
          const visitor = `v${d}-${Math.floor(j / 3)}`; // three views a visit
          rows.push({
            day,
            at: `${day}T${String(Math.floor(j / (perDay / 24 + 1))).padStart(2, "0")}:00:00.000Z`,
            visitor,
            path: `/posts/p-${(j * 7919) % 500}`,
            source: sources[j % sources.length],
            referrer_host: "",
            utm_source: "",
            utm_medium: "",
            utm_campaign: "",
            ref: j % 50 === 0 ? "email" : null,
            device: j % 3 === 0 ? "mobile" : "desktop",
          });
        }
        await store.addViews(rows);
      }
      process.stdout.write(`\r  ${fmt(made)} views`);
    }
    const kinds = ["subscription", "inquiry", "registration", "comment", "follower", "click", "forward"];
    for (let i = 0; i < o.outcomes; i += 1_000) {
      const rows = [];
      for (let j = i; j < Math.min(o.outcomes, i + 1_000); j++) {
        const at = new Date(now - ((j * 7) % (days * 24)) * 3_600_000).toISOString();
        rows.push({
          kind: kinds[j % kinds.length],
          at,
          post_id: null,
          who: `person:${j % 20_000}`,
          entry_path: `/posts/p-${j % 500}`,
          source: sources[j % sources.length],
          pages: JSON.stringify([`/posts/p-${j % 500}`, "/about"]),
          visitor: null,
          attributed_at: at,
          note: "",
          created_at: at,
        });
      }
      await store.addOutcomes(rows);
    }
    const loadS = (performance.now() - t0) / 1000;
    console.log(`\n  loaded in ${loadS.toFixed(0)} s; rolling up ...`);
    const t1 = performance.now();
    await rollUp(ctx);
    const rollupS = (performance.now() - t1) / 1000;
    const times: number[] = [];
    for (let i = 0; i < 7; i++) {
      const t = performance.now();
      String(homePanel(await dashboard(ctx)));
      times.push(performance.now() - t);
    }
    times.shift(); // the first warms the statement cache
    times.sort((a, b) => a - b);
    return {
      db,
      views: made,
      outcomes: o.outcomes,
      loadS,
      rollupS,
      medianMs: times[Math.floor(times.length / 2)],
      maxMs: times.at(-1) ?? 0,
    } satisfies DashboardRun;
  } finally {
    await closeContext(ctx);
  }
}

export interface DashboardOptions {
  views: number;
  outcomes: number;
  pg: boolean;
}

/** The dashboard figures on SQLite and (when there) PostgreSQL, as table rows and targets. */
export async function dashboardFigures(
  work: string,
  o: DashboardOptions,
): Promise<{ rows: Row[]; targets: Target[]; dbs: string[] }> {
  const runs: DashboardRun[] = [await dashboardOn(path.join(work, "dash"), undefined, `SQLite ${sqliteVersion()}`, o)];
  if (o.pg && (await pgAvailable())) {
    const name = "liner_bench_insights_dash";
    try {
      const url = await createPgDatabase(name);
      runs.push(await dashboardOn(path.join(work, "dash-pg"), url, await pgVersion(), o));
    } finally {
      await dropPgDatabase(name);
    }
  }
  return {
    dbs: runs.map((r) => r.db),
    rows: runs.map((r) => [
      r.db,
      fmt(r.views),
      fmt(r.outcomes),
      `${r.loadS.toFixed(0)} s`,
      `${r.rollupS.toFixed(1)} s`,
      `${r.medianMs.toFixed(0)} ms`,
      `${r.maxMs.toFixed(0)} ms`,
    ]),
    targets: runs.map((r) => ({
      met: r.maxMs <= 500,
      label: `the dashboard over ${fmt(r.views)} views and ${fmt(r.outcomes)} outcomes renders in ≤ 500 ms on ${r.db} (with rollups)`,
      actual: `median ${r.medianMs.toFixed(0)} ms, slowest of 6 ${r.maxMs.toFixed(0)} ms`,
    })),
  };
}
