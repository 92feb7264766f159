/**
 * `search`: 100,000 posts; 200 queries of 1-3 words (common, middling and rare words of the
 * generated vocabulary) through the HTTP search page with the page cache off, one after another
 * on one keep-alive connection. SQLite, then PostgreSQL (a throwaway database, dropped after).
 */
import path from "node:path";
import { makeVocabulary, rng } from "./lib/corpus.ts";
import { KeepAliveClient } from "./lib/http.ts";
import { startLiner } from "./lib/liner.ts";
import { makeWorkDir, removeWorkDir } from "./lib/proc.ts";
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
} from "./lib/report.ts";
import { createPgDatabase, dropPgDatabase, pgAvailable, pgVersion, seedDatabase } from "./lib/seed.ts";

export interface SearchOptions {
  posts: number;
  queries: number;
  pg: boolean;
  record: boolean;
}

interface Measured {
  db: string;
  seedMs: number;
  times: number[];
  bytes: number[];
  failures: number;
  /** Why the run stopped early, if it did. */
  stopped?: string;
  slowest: { q: string; ms: number }[];
}

/** Queries of 1-3 words: 40% common words (top 200), 35% middling, 25% rare (rank ≥ 5,000). */
export function makeQueries(n: number, seed: number): string[] {
  const vocab = makeVocabulary();
  const rand = rng(seed);
  const pick = () => {
    const x = rand();
    const [lo, hi] = x < 0.4 ? [0, 200] : x < 0.75 ? [200, 5000] : [5000, vocab.words.length];
    return vocab.words[lo + Math.floor(rand() * (hi - lo))];
  };
  return Array.from({ length: n }, () => Array.from({ length: 1 + Math.floor(rand() * 3) }, pick).join(" "));
}

/**
 * Words per post. 400 rather than the import's 600 keeps generation of 100,000 posts on PostgreSQL
 * (where computing the tsvector is the cost) to about two minutes on 2 cores.
 */
const WORDS = 400;

const progress = (done: number) => {
  if (process.stdout.isTTY) process.stdout.write(`\r  ${fmt(done)} posts`);
};

/** Wall-time budget for one database's queries, and the longest a single query may take. */
const BUDGET_MS = 150_000;
const QUERY_TIMEOUT_MS = 20_000;

async function measure(
  label: string,
  dataDir: string,
  databaseUrl: string | undefined,
  queries: string[],
  warmup: string[],
): Promise<Omit<Measured, "db" | "seedMs">> {
  const server = await startLiner({ dataDir, databaseUrl, pageCache: false });
  const client = new KeepAliveClient(server.url);
  const answers: { q: string; ms: number; bytes: number; ok: boolean }[] = [];
  let stopped: string | undefined;
  const deadline = performance.now() + BUDGET_MS;
  const ask = (q: string) => client.get(`/search?q=${encodeURIComponent(q)}`, {}, QUERY_TIMEOUT_MS);
  try {
    const probe = await ask("a").catch(() => undefined);
    if (probe && probe.status !== 200) {
      throw new Error(`GET /search answered ${probe.status}: the search page is not there yet`);
    }
    console.log(`  ${label}: ${warmup.length} warm-up queries, then ${queries.length} measured ...`);
    for (const q of [...warmup, ...queries]) {
      let r: Awaited<ReturnType<typeof ask>>;
      try {
        r = await ask(q);
      } catch (err) {
        // The server is still busy with that query (SQLite blocks its event loop): stop this database here.
        stopped = `query "${q}" took over ${QUERY_TIMEOUT_MS / 1000} s (${(err as Error).message})`;
        break;
      }
      answers.push({ q, ms: r.ms, bytes: r.body.length, ok: r.status === 200 });
      if (performance.now() > deadline) {
        stopped = `the ${BUDGET_MS / 1000} s budget ran out`;
        break;
      }
    }
  } finally {
    client.close();
    await server.stop();
  }
  // Drop the warm-up answers.
  const kept = answers.slice(warmup.length);
  if (stopped) stopped = `stopped after ${kept.length} of ${queries.length} measured queries: ${stopped}`;
  return {
    times: kept.map((a) => a.ms),
    bytes: kept.map((a) => a.bytes),
    failures: kept.filter((a) => !a.ok).length,
    stopped,
    slowest: [...kept].sort((a, b) => b.ms - a.ms).slice(0, 3),
  };
}

export async function benchSearch(o: SearchOptions): Promise<void> {
  const queries = makeQueries(o.queries, 2024);
  const warmup = makeQueries(20, 99);
  const results: Measured[] = [];
  const dbNames: string[] = [];

  const work = makeWorkDir("search");
  const dataDir = path.join(work, "data");
  console.log(`search: generating ${fmt(o.posts)} posts in SQLite ...`);
  const seedMs = await seedDatabase({
    sqlitePath: path.join(dataDir, "liner.db"),
    posts: o.posts,
    words: WORDS,
    onProgress: progress,
  });
  console.log(`\n  done in ${fmtMs(seedMs)}`);
  const sqlite = sqliteVersion();
  dbNames.push(sqlite);
  results.push({ db: sqlite, seedMs, ...(await measure("SQLite", dataDir, undefined, queries, warmup)) });
  removeWorkDir(work);

  if (o.pg && (await pgAvailable())) {
    const name = "liner_bench_search";
    const pgWork = makeWorkDir("search-pg");
    try {
      const url = await createPgDatabase(name);
      const version = await pgVersion();
      dbNames.push(version);
      console.log(`search: generating ${fmt(o.posts)} posts in PostgreSQL (database ${name}) ...`);
      const pgSeedMs = await seedDatabase({
        databaseUrl: url,
        posts: o.posts,
        words: WORDS,
        onProgress: progress,
      });
      console.log(`\n  done in ${fmtMs(pgSeedMs)}`);
      results.push({ db: version, seedMs: pgSeedMs, ...(await measure("PostgreSQL", pgWork, url, queries, warmup)) });
    } finally {
      await dropPgDatabase(name);
      removeWorkDir(pgWork);
    }
  } else if (o.pg) {
    console.log("search: PostgreSQL is not reachable; skipped.");
  }

  const header = ["database", "queries", "p50", "p95", "p99", "mean", "max", "failures", "mean page"];
  const rows: Row[] = results.map((r) => [
    r.db,
    `${r.times.length}/${o.queries}`,
    fmtMs(percentile(r.times, 50)),
    fmtMs(percentile(r.times, 95)),
    fmtMs(percentile(r.times, 99)),
    fmtMs(mean(r.times)),
    fmtMs(Math.max(...r.times)),
    String(r.failures),
    r.bytes.length ? `${fmt(mean(r.bytes) / 1024, 1)} KB` : "n/a",
  ]);
  const sq = results[0];
  const sqliteP95 = percentile(sq.times, 95);
  const complete = !sq.stopped && sq.failures === 0;
  const targets: Target[] = [
    {
      label: "SQLite p95 ≤ 15 ms",
      met: sqliteP95 <= 15 && complete,
      actual: `${fmtMs(sqliteP95)}${complete ? "" : ", run incomplete"}`,
    },
  ];
  const notes = results.flatMap((r) => [
    ...(r.slowest.length ? [`- ${r.db}: slowest ${r.slowest.map((x) => `\`${x.q}\` ${fmtMs(x.ms)}`).join(", ")}`] : []),
    ...(r.stopped ? [`- ${r.db}: **${r.stopped}**`] : []),
  ]);
  console.log(`\n${consoleTable(header, rows)}\n`);
  for (const l of notes) console.log(l);
  for (const l of targetLines(targets)) console.log(l);
  if (!o.record) return;
  const samples = queries
    .slice(0, 6)
    .map((q) => `\`${q}\``)
    .join(", ");
  writeSection(
    "search",
    `## search

${stamp()} · ${machineLine(dbNames)}

${fmt(o.posts)} generated posts (~${WORDS} words each, Zipf-distributed vocabulary of 40,000 words) per database;
${fmt(o.queries)} queries of 1-3 words (40% common, 35% middling, 25% rare words; e.g. ${samples}) sent one after
another over one keep-alive connection to \`GET /search?q=...\` with \`LINER_PAGE_CACHE=0\`, after 20 warm-up
queries. Times are request to last byte of the full HTML page. Generation took
${results.map((r) => `${fmtMs(r.seedMs)} (${r.db.split(" ")[0]})`).join(", ")} and is not part of the figures.

${markdownTable(header, rows)}

${notes.join("\n")}

${targetLines(targets).join("\n")}`,
  );
}
