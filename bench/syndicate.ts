/**
 * `syndicate` (issue 16): copies of posts sent to a real local Bluesky PDS (`@atproto/dev-env`'s
 * TestNetwork, with its AppView, in this process), through Liner's own path (`syndicate()` per post: the
 * post read, its copy row made and taken, the text shaped, facets detected, a link card, the
 * record created under the copy's key, the copy marked sent and the page invalidated, every request
 * through the guarded fetcher), against a bare `@atproto/api` loop posting the same texts and cards
 * from another account of the same PDS. One post at a time on each side, two rounds alternating
 * which side goes first. Then every record is counted in each repo.
 */
import path from "node:path";
import { AtpAgent, RichText } from "@atproto/api";
import { TestNetwork } from "@atproto/dev-env";
import pg from "pg";
import { loadConfig } from "../src/lib/config.ts";
import { closeContext, createContext } from "../src/lib/context.ts";
import { addBluesky } from "../src/syndication/accounts.ts";
import { MAX_INTERVAL_S, MIN_INTERVAL_S, nextInterval, pollAccount } from "../src/syndication/backfeed.ts";
import { blueskyText } from "../src/syndication/shape.ts";
import { syndicate } from "../src/syndication/syndicate.ts";
import { makeWorkDir, removeWorkDir } from "./lib/proc.ts";
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

export interface SyndicateOptions {
  record: boolean;
  posts: number;
}

const SITE = "https://site.example";
/** Posts each side sends first, not measured (sign-in, connections, the JIT). */
const WARM = 10;

async function countRecords(agent: AtpAgent): Promise<number> {
  let n = 0;
  let cursor: string | undefined;
  do {
    const r = await agent.com.atproto.repo.listRecords({
      repo: agent.session?.did ?? "",
      collection: "app.bsky.feed.post",
      limit: 100,
      cursor,
    });
    n += r.data.records.length;
    cursor = r.data.records.length ? r.data.cursor : undefined;
  } while (cursor);
  return n;
}

export async function benchSyndicate(o: SyndicateOptions): Promise<void> {
  const work = makeWorkDir("syndicate");
  const dataDir = path.join(work, "data");
  await seedDatabase({ sqlitePath: path.join(dataDir, "liner.db"), posts: o.posts + WARM, words: 200 });
  // With its AppView (PostgreSQL and Redis, in schemas of this run's own): backfeed reads it.
  process.env.REDIS_HOST ??= "127.0.0.1:6379";
  const pgUrl = "postgres://postgres@127.0.0.1:5432/test";
  const schema = `bench_${String(process.pid).replace(/\d/g, (d) => "abcdefghij"[Number(d)])}`;
  const network = await TestNetwork.create({ dbPostgresUrl: pgUrl, dbPostgresSchema: schema } as never);
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    LINER_DATA: dataDir,
    LINER_LOG: "warn",
    LINER_ALLOW_PRIVATE_FETCH: "1",
    LINER_BASE_URL: SITE,
  };
  for (const k of ["DATABASE_URL", "LINER_SECRET"]) delete env[k];
  const ctx = await createContext(loadConfig(env));
  try {
    const accounts: AtpAgent[] = [];
    for (const handle of ["liner.test", "bare.test"]) {
      const a = new AtpAgent({ service: network.pds.url });
      await a.createAccount({ handle, email: `${handle}@bench.example`, password: "bench-password" });
      accounts.push(a);
    }
    const [linerAgent, bare] = accounts;
    await addBluesky(ctx, { handle: "liner.test", pds: network.pds.url, password: "bench-password" });
    const posts = await ctx.db.kysely
      .selectFrom("posts")
      .select(["slug", "kind", "title", "summary", "body_text"])
      .where("status", "=", "published")
      .orderBy("id")
      .limit(o.posts + WARM)
      .execute();
    const warm = posts.splice(0, WARM);
    console.log(`syndicate: ${fmt(posts.length)} posts, a local PDS at ${network.pds.url}`);
    const halves = [posts.slice(0, Math.ceil(posts.length / 2)), posts.slice(Math.ceil(posts.length / 2))];
    const runs: { side: string; order: string; n: number; ms: number; failed: number }[] = [];

    const linerRun = async (batch: typeof posts, order: string) => {
      const t0 = performance.now();
      let failed = 0;
      for (const p of batch) {
        const [r] = await syndicate(ctx, p.slug, ["bluesky"]);
        if (r.error) failed++;
      }
      runs.push({ side: "liner", order, n: batch.length, ms: performance.now() - t0, failed });
    };
    const bareRun = async (batch: typeof posts, order: string) => {
      const t0 = performance.now();
      let failed = 0;
      for (const p of batch) {
        const url = `${SITE}/posts/${p.slug}`;
        const rt = new RichText({
          text: blueskyText({ kind: p.kind, title: p.title, summary: p.summary, text: p.body_text, url }),
        });
        try {
          await rt.detectFacets(bare);
          await bare.post({
            text: rt.text,
            facets: rt.facets,
            embed: { $type: "app.bsky.embed.external", external: { uri: url, title: p.title, description: p.summary } },
            createdAt: new Date().toISOString(),
          });
        } catch {
          failed++;
        }
      }
      runs.push({ side: "bare", order, n: batch.length, ms: performance.now() - t0, failed });
    };
    // Warm-up (not counted): a sign-in each, connections, and the JIT.
    await bare.login({ identifier: "bare.test", password: "bench-password" });
    await linerRun(warm, "warm-up");
    await bareRun(warm, "warm-up");
    runs.length = 0;
    await linerRun(halves[0], "round 1, first");
    await bareRun(halves[0], "round 1, second");
    await bareRun(halves[1], "round 2, first");
    await linerRun(halves[1], "round 2, second");
    for (const r of runs)
      console.log(`  ${r.side} ${r.order}: ${fmt(r.n)} posts in ${fmtMs(r.ms)}, ${fmt((r.n / r.ms) * 1000, 1)}/s`);
    await linerAgent.login({ identifier: "liner.test", password: "bench-password" });
    const [linerRecords, bareRecords] = [(await countRecords(linerAgent)) - WARM, (await countRecords(bare)) - WARM];
    // Asked again: every copy is sent already, so nothing more may land.
    const again = await syndicate(ctx, posts[0].slug, ["bluesky"]);
    const afterAgain = (await countRecords(linerAgent)) - WARM;
    await network.processAll();
    const backfeed = await backfeedPasses(ctx);
    report(
      o,
      posts.length,
      runs,
      { linerRecords, bareRecords, againAlready: again[0]?.already === true, afterAgain },
      backfeed,
    );
  } finally {
    await closeContext(ctx);
    await network.close();
    await dropSchemas(pgUrl, schema);
    removeWorkDir(work);
  }
}

async function dropSchemas(url: string, schema: string) {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    for (const p of ["appview", "bsync", "ozone"]) await client.query(`DROP SCHEMA IF EXISTS "${p}_${schema}" CASCADE`);
  } finally {
    await client.end();
  }
}

interface Pass {
  label: string;
  ms: number;
  requests: number;
  found: number;
}

/**
 * Backfeed passes over the copies with no new activity: as sent (all young: their threads are
 * read) and aged past two days (idle: only the notifications). Requests are counted at the
 * guarded fetcher, which every one of them goes through.
 */
async function backfeedPasses(ctx: Awaited<ReturnType<typeof createContext>>): Promise<Pass[]> {
  let requests = 0;
  const inner = ctx.fetcher.fetch.bind(ctx.fetcher);
  ctx.fetcher.fetch = (url, opts) => {
    requests++;
    return inner(url, opts);
  };
  const pass = async (label: string): Promise<Pass> => {
    const account = await ctx.db.kysely.selectFrom("synd_accounts").selectAll().executeTakeFirstOrThrow();
    requests = 0;
    const t0 = performance.now();
    const found = await pollAccount(ctx, account);
    return { label, ms: performance.now() - t0, requests, found };
  };
  const copies = (await ctx.db.kysely.selectFrom("synd_copies").select("id").execute()).length;
  const young = await pass(`${fmt(copies)} copies sent just now (threads read: under two days old)`);
  await ctx.db.kysely
    .updateTable("synd_copies")
    .set({ sent_at: new Date(Date.now() - 3 * 86_400_000).toISOString() })
    .execute();
  const idle = await pass(`${fmt(copies)} idle copies (sent three days ago)`);
  return [young, idle];
}

/** Polls in the first `hours` of idleness, the interval doubling from 5 min to 6 h. Pure. */
function pollsIn(hours: number): number {
  let t = 0;
  let n = 0;
  let interval = MIN_INTERVAL_S;
  while (t + interval <= hours * 3600) {
    t += interval;
    n++;
    interval = nextInterval(interval, 0);
  }
  return n;
}

function report(
  o: SyndicateOptions,
  total: number,
  runs: { side: string; order: string; n: number; ms: number; failed: number }[],
  check: { linerRecords: number; bareRecords: number; againAlready: boolean; afterAgain: number },
  passes: Pass[],
) {
  const rate = (side: string) => {
    const rs = runs.filter((r) => r.side === side);
    return (rs.reduce((a, r) => a + r.n, 0) / rs.reduce((a, r) => a + r.ms, 0)) * 1000;
  };
  const liner = rate("liner");
  const bare = rate("bare");
  const header = ["run", "order", "posts", "time", "posts/s", "failed"];
  const name = { liner: "Liner `syndicate()`", bare: "bare @atproto/api loop (peer)" } as Record<string, string>;
  const rows: Row[] = [
    ...runs.map((r) => [name[r.side], r.order, fmt(r.n), fmtMs(r.ms), fmt((r.n / r.ms) * 1000, 1), fmt(r.failed)]),
    ["bare, overall", "", "", "", fmt(bare, 1), ""],
    ["Liner, overall", "", "", "", `${fmt(liner, 1)} (${fmt(liner / bare, 2)}×)`, ""],
  ];
  const targets: Target[] = [
    {
      label: "1,000 posts to the local PDS at ≥ 0.7× the bare @atproto/api loop's rate",
      met: liner / bare >= 0.7 && check.linerRecords === total,
      actual: `${fmt(liner / bare, 2)}× (${fmt(liner, 1)} against ${fmt(bare, 1)} posts/s)`,
    },
    {
      label: "every copy landed once",
      met: check.linerRecords === total && check.againAlready && check.afterAgain === total,
      actual: `${fmt(check.linerRecords)}/${fmt(total)} records in Liner's repo (the bare loop's: ${fmt(check.bareRecords)}); asked again: ${check.againAlready ? "sent before, nothing posted" : "posted again"}`,
    },
  ];
  const idle = passes[1];
  const perHour = (idle.requests * 3600) / MAX_INTERVAL_S;
  const header2 = ["backfeed pass", "time", "requests", "items found"];
  const rows2: Row[] = passes.map((p) => [p.label, fmtMs(p.ms), fmt(p.requests), fmt(p.found)]);
  targets.push({
    label: `backfeed of idle copies costs little: requests per hour for ${fmt(total + WARM)} idle copies`,
    met: idle.requests <= 2,
    actual: `${fmt(idle.requests)} request${idle.requests === 1 ? "" : "s"} a pass; ${fmt(perHour, 2)} an hour once polls are 6 h apart (${pollsIn(24)} polls in the first 24 idle hours)`,
  });
  const notes = [
    `polls back off from 5 min, doubling to 6 h while nothing comes: ${pollsIn(24)} polls in the first 24 h of idleness, then 4 a day`,
  ];
  console.log(`\n${consoleTable(header, rows)}\n\n${consoleTable(header2, rows2)}\n`);
  for (const l of [...notes.map((n) => `- ${n}`), ...targetLines(targets)]) console.log(l);
  if (!o.record) return;
  writeSection(
    "syndicate",
    `## syndicate

${stamp()} · ${machineLine([sqliteVersion()])}

${total} generated posts (200-word bodies) of one SQLite site, each sent as a copy to a real
Bluesky network on loopback (\`@atproto/dev-env\` TestNetwork: PDS, PLC and the AppView on PostgreSQL and Redis, in the benchmark's process) by
Liner's \`syndicate()\` (as \`liner syndicate SLUG --to bluesky\` runs it: the copy row made and taken,
the text shaped to 300 graphemes, facets, a link card, the record under the copy's key, the copy
marked sent, the post's page invalidated; requests through the guarded fetcher; one sign-in kept
for the process), against a bare \`@atproto/api\` loop (\`RichText.detectFacets\` and \`agent.post\`
with the same text and card) from a second account of the same PDS. One post at a time on both
sides; ${WARM} posts each first, not measured; then two rounds, alternating which side goes first.

${markdownTable(header, rows)}

**Backfeed** (one poll of the account, after the copies above, with no new activity; requests
counted at the guarded fetcher)

${markdownTable(header2, rows2)}

${notes.map((n) => `- ${n}`).join("\n")}

${targetLines(targets).join("\n")}`,
  );
}
