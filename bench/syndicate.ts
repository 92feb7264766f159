/**
 * `syndicate` (issue 16): copies of posts sent to a real local Bluesky PDS (`@atproto/dev-env`'s
 * TestNetworkNoAppView, in this process), through Liner's own path (`syndicate()` per post: the
 * post read, its copy row made and taken, the text shaped, facets detected, a link card, the
 * record created under the copy's key, the copy marked sent and the page invalidated, every request
 * through the guarded fetcher), against a bare `@atproto/api` loop posting the same texts and cards
 * from another account of the same PDS. One post at a time on each side, two rounds alternating
 * which side goes first. Then every record is counted in each repo.
 */
import path from "node:path";
import { AtpAgent, RichText } from "@atproto/api";
import { TestNetworkNoAppView } from "@atproto/dev-env";
import { loadConfig } from "../src/lib/config.ts";
import { closeContext, createContext } from "../src/lib/context.ts";
import { addBluesky } from "../src/syndication/accounts.ts";
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
  const network = await TestNetworkNoAppView.create({});
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
    report(o, posts.length, runs, { linerRecords, bareRecords, againAlready: again[0]?.already === true, afterAgain });
  } finally {
    await closeContext(ctx);
    await network.close();
    removeWorkDir(work);
  }
}

function report(
  o: SyndicateOptions,
  total: number,
  runs: { side: string; order: string; n: number; ms: number; failed: number }[],
  check: { linerRecords: number; bareRecords: number; againAlready: boolean; afterAgain: number },
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
  const notes = [
    "the backfeed figure (a pass over 1,000 idle copies: time, requests, requests per hour) is not measured: backfeed is not built yet",
  ];
  console.log(`\n${consoleTable(header, rows)}\n`);
  for (const l of [...notes.map((n) => `- ${n}`), ...targetLines(targets)]) console.log(l);
  if (!o.record) return;
  writeSection(
    "syndicate",
    `## syndicate

${stamp()} · ${machineLine([sqliteVersion()])}

${total} generated posts (200-word bodies) of one SQLite site, each sent as a copy to a real
Bluesky PDS on loopback (\`@atproto/dev-env\` TestNetworkNoAppView, in the benchmark's process) by
Liner's \`syndicate()\` (as \`liner syndicate SLUG --to bluesky\` runs it: the copy row made and taken,
the text shaped to 300 graphemes, facets, a link card, the record under the copy's key, the copy
marked sent, the post's page invalidated; requests through the guarded fetcher; one sign-in kept
for the process), against a bare \`@atproto/api\` loop (\`RichText.detectFacets\` and \`agent.post\`
with the same text and card) from a second account of the same PDS. One post at a time on both
sides; ${WARM} posts each first, not measured; then two rounds, alternating which side goes first.

${markdownTable(header, rows)}

${notes.map((n) => `- ${n}`).join("\n")}

${targetLines(targets).join("\n")}`,
  );
}
