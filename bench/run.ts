/**
 * Benchmark runner: `npm run bench -- <serve|import|search|startup|parse|poll|send|digest|webmention|federate|syndicate|insights|all> [options]`.
 * Each benchmark prints a table, measures its peer in the same run, and records its figures in
 * docs/benchmarks.md. See bench/README.md.
 */
import { parseArgs } from "node:util";
import { benchImport } from "./import.ts";
import { setLinerRoot } from "./lib/liner.ts";
import { setKeepWork } from "./lib/proc.ts";
import { benchSearch } from "./search.ts";
import { benchServe } from "./serve.ts";
import { benchStartup } from "./startup.ts";

const usage = `usage: npm run bench -- <serve|import|search|startup|parse|poll|send|digest|webmention|federate|syndicate|insights|all> [options]

  --duration S   wrk duration per run for serve (default 20) and webmention (default 10); federate's inbound seconds (default 10)
  --path P       page for serve (default: the generated ~1,000-word post)
  --posts N      posts to generate (defaults: serve 10000, import 10000, search 100000, startup 10000, webmention 1000, federate 1000, syndicate 1000)
  --followers N  fediverse followers for federate, 10 a server (default 10000)
  --rate N       signed activities a second POSTed to the inbox for federate (default 500); views a second for insights (default 5000)
  --seconds N    seconds of ingestion for insights (default 60)
  --views N      stored views for insights' dashboard figure (default 10000000); --outcomes N (default 50000)
  --mentions N   Webmentions in the webmention burst (default 1000)
  --queries N    search queries (default 200)
  --feeds N      feeds served for poll (default 10000)
  --recipients N recipients for send (default 50000) and digest (default 10000)
  --runs N       startup runs (default 5); import runs of each tool, best kept (default 2)
  --pg / --no-pg also run on PostgreSQL (search: on by default; import: on when DATABASE_URL is set; webmention: off)
  --no-record    print only; leave docs/benchmarks.md alone
  --keep         keep the work folder under bench/.work (debugging)
  --root DIR     benchmark the Liner checkout in DIR (e.g. a branch) instead of this one; use with --no-record`;

const names = [
  "serve",
  "import",
  "search",
  "startup",
  "parse",
  "poll",
  "send",
  "digest",
  "webmention",
  "federate",
  "syndicate",
  "insights",
] as const;
type Name = (typeof names)[number];

function intOpt(v: string | undefined, fallback: number, name: string): number {
  if (v === undefined) return fallback;
  const n = Number(v);
  if (!Number.isInteger(n) || n <= 0) throw new Error(`--${name} must be a positive whole number (got ${v})`);
  return n;
}

async function main(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      duration: { type: "string" },
      path: { type: "string" },
      posts: { type: "string" },
      queries: { type: "string" },
      runs: { type: "string" },
      feeds: { type: "string" },
      recipients: { type: "string" },
      mentions: { type: "string" },
      followers: { type: "string" },
      rate: { type: "string" },
      seconds: { type: "string" },
      views: { type: "string" },
      outcomes: { type: "string" },
      pg: { type: "boolean" },
      "no-pg": { type: "boolean" },
      "no-record": { type: "boolean" },
      keep: { type: "boolean" },
      root: { type: "string" },
      help: { type: "boolean", short: "h" },
    },
  });
  const [which] = positionals;
  if (values.help || !which) {
    console.log(usage);
    return which || values.help ? 0 : 2;
  }
  const selected: Name[] = which === "all" ? [...names] : names.includes(which as Name) ? [which as Name] : [];
  if (!selected.length) {
    console.error(`unknown benchmark: ${which}\n\n${usage}`);
    return 2;
  }
  setKeepWork(values.keep ?? false);
  if (values.root) setLinerRoot(values.root);
  const record = !values["no-record"];
  const posts = (fallback: number) => intOpt(values.posts, fallback, "posts");
  const pgFlag = values["no-pg"] ? false : values.pg;

  for (const name of selected) {
    const started = performance.now();
    console.log(`\n=== ${name} ===`);
    if (name === "serve") {
      await benchServe({
        duration: intOpt(values.duration, 20, "duration"),
        posts: posts(10_000),
        connections: 50,
        threads: 2,
        record,
        path: values.path,
      });
    } else if (name === "import") {
      await benchImport({
        posts: posts(10_000),
        pg: pgFlag ?? Boolean(process.env.DATABASE_URL),
        runs: intOpt(values.runs, 2, "runs"),
        record,
      });
    } else if (name === "search") {
      await benchSearch({
        posts: posts(100_000),
        queries: intOpt(values.queries, 200, "queries"),
        pg: pgFlag ?? true,
        record,
      });
    } else if (name === "startup") {
      await benchStartup({ posts: posts(10_000), runs: intOpt(values.runs, 5, "runs"), record });
    } else if (name === "parse") {
      await (await import("./parse.ts")).benchParse({ record, runs: intOpt(values.runs, 5, "runs") });
    } else if (name === "send") {
      await (await import("./send.ts")).benchSend({
        record,
        recipients: intOpt(values.recipients, 50_000, "recipients"),
      });
    } else if (name === "digest") {
      await (await import("./digest.ts")).benchDigest({
        record,
        entries: 200,
        recipients: intOpt(values.recipients, 10_000, "recipients"),
        runs: intOpt(values.runs, 5, "runs"),
      });
    } else if (name === "webmention") {
      await (await import("./webmention.ts")).benchWebmention({
        record,
        posts: posts(1_000),
        mentions: intOpt(values.mentions, 1_000, "mentions"),
        single: 200,
        clients: 50,
        comments: 200,
        duration: intOpt(values.duration, 10, "duration"),
        waitS: 120,
        pg: pgFlag ?? false,
      });
    } else if (name === "insights") {
      await (await import("./insights.ts")).benchInsights({
        record,
        views: intOpt(values.views, 10_000_000, "views"),
        outcomes: intOpt(values.outcomes, 50_000, "outcomes"),
        seconds: intOpt(values.seconds, 60, "seconds"),
        rate: intOpt(values.rate, 5_000, "rate"),
        duration: intOpt(values.duration, 10, "duration"),
        posts: posts(1_000),
        pg: pgFlag ?? true,
      });
    } else if (name === "syndicate") {
      await (await import("./syndicate.ts")).benchSyndicate({ record, posts: posts(1_000) });
    } else if (name === "federate") {
      await (await import("./federate.ts")).benchFederate({
        record,
        followers: intOpt(values.followers, 10_000, "followers"),
        posts: posts(1_000),
        rate: intOpt(values.rate, 500, "rate"),
        duration: intOpt(values.duration, 10, "duration"),
        serveDuration: 10,
        waitS: Number(process.env.BENCH_FEDI_WAIT ?? 180),
      });
    } else {
      await (await import("./poll.ts")).benchPoll({ record, feeds: intOpt(values.feeds, 10_000, "feeds") });
    }
    console.log(`(${name} took ${Math.round((performance.now() - started) / 1000)} s)`);
  }
  return 0;
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (err) => {
    console.error(`bench: ${err instanceof Error ? (process.env.BENCH_DEBUG ? err.stack : err.message) : String(err)}`);
    process.exit(1);
  },
);
