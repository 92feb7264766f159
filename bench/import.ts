/**
 * `import`: 10,000 generated Markdown files with YAML front matter, imported with
 * `liner import markdown DIR` into a fresh database, and built with Hugo in the same run.
 */
import fs from "node:fs";
import path from "node:path";
import { openDb } from "../src/lib/db/index.ts";
import { makeTemplate, makeVocabulary, postGenerator, themeNames } from "./lib/corpus.ts";
import { linerBin, linerEnv } from "./lib/liner.ts";
import { ensureTools, makeWorkDir, runTimed } from "./lib/proc.ts";
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
import { createPgDatabase, dropPgDatabase, pgVersion } from "./lib/seed.ts";

export interface ImportOptions {
  posts: number;
  /** Also import into PostgreSQL (default: when DATABASE_URL is set). */
  pg: boolean;
  /** Runs of each tool (alternating); the best of each is reported. */
  runs: number;
  record: boolean;
}

/** Write `n` Markdown posts with front matter into `dir`. Returns their total size in bytes. */
function writeMarkdownFiles(dir: string, n: number): number {
  fs.mkdirSync(dir, { recursive: true });
  const gen = postGenerator(makeTemplate(600, 17), makeVocabulary(), 3);
  let bytes = 0;
  for (let i = 0; i < n; i++) {
    const p = gen(i);
    const tags = p.themes.map((t) => JSON.stringify(themeNames[t])).join(", ");
    const text = `---
title: ${JSON.stringify(p.title)}
date: ${p.publishedAt}
tags: [${tags}]
slug: ${p.slug}
summary: ${JSON.stringify(p.summary)}
---

${p.bodyMd}
`;
    bytes += Buffer.byteLength(text);
    fs.writeFileSync(path.join(dir, `${p.slug}.md`), text);
  }
  return bytes;
}

/** A minimal Hugo site over the same files: trivial single, list and home layouts. */
function writeHugoSite(site: string, contentDir: string): void {
  const layouts = path.join(site, "layouts", "_default");
  fs.mkdirSync(layouts, { recursive: true });
  fs.mkdirSync(path.join(site, "content"), { recursive: true });
  fs.symlinkSync(contentDir, path.join(site, "content", "posts"));
  fs.writeFileSync(
    path.join(site, "hugo.toml"),
    `baseURL = "http://127.0.0.1/"
title = "Bench"
languageCode = "en"
disableKinds = ["RSS", "sitemap", "robotsTXT"]
`,
  );
  const head = `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>{{ .Title }}</title></head><body>`;
  fs.writeFileSync(
    path.join(layouts, "single.html"),
    `${head}<article><h1>{{ .Title }}</h1><time>{{ .Date.Format "2006-01-02" }}</time>
<p>{{ .Summary }}</p>{{ .Content }}<ul>{{ range .Params.tags }}<li>{{ . }}</li>{{ end }}</ul></article></body></html>\n`,
  );
  fs.writeFileSync(
    path.join(layouts, "list.html"),
    `${head}<h1>{{ .Title }}</h1><ul>{{ range .Pages }}<li><a href="{{ .RelPermalink }}">{{ .Title }}</a></li>{{ end }}</ul></body></html>\n`,
  );
  fs.writeFileSync(
    path.join(layouts, "index.html"),
    `${head}<h1>{{ .Site.Title }}</h1><ul>{{ range first 20 (where .Site.RegularPages "Section" "posts") }}<li><a href="{{ .RelPermalink }}">{{ .Title }}</a></li>{{ end }}</ul></body></html>\n`,
  );
}

async function countPosts(opts: { sqlitePath?: string; databaseUrl?: string }): Promise<number> {
  const db = openDb({ ...opts, poolSize: 1 });
  try {
    const r = await db.kysely
      .selectFrom("posts")
      .select((eb) => eb.fn.countAll<number>().as("n"))
      .executeTakeFirstOrThrow();
    return Number(r.n);
  } finally {
    await db.close();
  }
}

async function linerImport(label: string, dir: string, dataDir: string, databaseUrl?: string) {
  console.log(`  liner import markdown (${label}) ...`);
  const env = linerEnv({ dataDir, databaseUrl });
  const { bin, cwd } = linerBin();
  const r = await runTimed(process.execPath, [bin, "import", "markdown", dir], {
    env,
    cwd,
    timeoutMs: 20 * 60_000,
  });
  if (r.code !== 0) throw new Error(`liner import (${label}) exited ${r.code}:\n${r.output.slice(-3000)}`);
  const posts = await countPosts(databaseUrl ? { databaseUrl } : { sqlitePath: path.join(dataDir, "liner.db") });
  return { ms: r.ms, posts, output: r.output };
}

export async function benchImport(o: ImportOptions): Promise<void> {
  const tools = ensureTools(["hugo"]);
  const work = makeWorkDir("import");
  const contentDir = path.join(work, "posts");
  console.log(`import: writing ${fmt(o.posts)} Markdown files ...`);
  const bytes = writeMarkdownFiles(contentDir, o.posts);
  console.log(`  ${fmt(bytes / 1024 ** 2, 1)} MB`);
  const site = path.join(work, "hugo-site");
  writeHugoSite(site, contentDir);
  const hugoVersion = (await runTimed(tools.hugo, ["version"])).output.match(/v[\d.]+/)?.[0] ?? "";

  // Alternate Hugo and Liner runs and keep the best of each: on a shared 2-core machine a single
  // run says as much about the neighbours as about the tool.
  const hugoTimes: number[] = [];
  const sqliteTimes: number[] = [];
  let hugoPages = "?";
  let sqlitePosts = 0;
  for (let run = 1; run <= o.runs; run++) {
    console.log(`  run ${run}/${o.runs}: hugo ...`);
    const out = path.join(work, `public-${run}`);
    const hugo = await runTimed(
      tools.hugo,
      ["--source", site, "--destination", out, "--cacheDir", path.join(work, "hugo-cache")],
      { cwd: site, timeoutMs: 10 * 60_000 },
    );
    if (hugo.code !== 0) throw new Error(`hugo exited ${hugo.code}:\n${hugo.output.slice(-3000)}`);
    hugoPages = hugo.output.match(/Pages\s*\|\s*(\d+)/)?.[1] ?? "?";
    hugoTimes.push(hugo.ms);
    fs.rmSync(out, { recursive: true, force: true });
    const dataDir = path.join(work, `data-sqlite-${run}`);
    const r = await linerImport("SQLite", contentDir, dataDir);
    sqliteTimes.push(r.ms);
    sqlitePosts = r.posts;
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
  const hugoMs = Math.min(...hugoTimes);
  const sqliteMs = Math.min(...sqliteTimes);

  const runs: { label: string; times: number[]; posts: number }[] = [];
  runs.push({ label: `Liner, ${sqliteVersion()}`, times: sqliteTimes, posts: sqlitePosts });
  const dbNames = [sqliteVersion()];
  if (o.pg) {
    const name = "liner_bench_import";
    try {
      const version = await pgVersion();
      dbNames.push(version);
      const times: number[] = [];
      let posts = 0;
      for (let run = 1; run <= o.runs; run++) {
        const url = await createPgDatabase(name);
        const r = await linerImport("PostgreSQL", contentDir, path.join(work, `data-pg-${run}`), url);
        times.push(r.ms);
        posts = r.posts;
        await dropPgDatabase(name);
      }
      runs.push({ label: `Liner, ${version}`, times, posts });
    } finally {
      await dropPgDatabase(name);
    }
  }

  const all = (times: number[]) => times.map((t) => fmtMs(t)).join(", ");
  const header = ["tool", "best time", "vs Hugo", "posts / pages", "all runs"];
  const rows: Row[] = [
    [`Hugo ${hugoVersion} build`, fmtMs(hugoMs), "1.00×", `${hugoPages} pages`, all(hugoTimes)],
    ...runs.map((r) => {
      const best = Math.min(...r.times);
      return [r.label, fmtMs(best), `${fmt(best / hugoMs, 2)}×`, `${fmt(r.posts)} posts`, all(r.times)];
    }),
  ];
  const ratio = sqliteMs / hugoMs;
  const targets: Target[] = [
    { label: "Liner import (SQLite) ≤ 2× Hugo's build", met: ratio <= 2, actual: `${fmt(ratio, 2)}×` },
    {
      label: `all ${fmt(o.posts)} posts imported`,
      met: runs.every((r) => r.posts >= o.posts),
      actual: runs.map((r) => fmt(r.posts)).join(" / "),
    },
  ];
  console.log(`\n${consoleTable(header, rows)}\n`);
  for (const l of targetLines(targets)) console.log(l);
  if (!o.record) return;
  writeSection(
    "import",
    `## import

${stamp()} · ${machineLine(dbNames)}

${fmt(o.posts)} generated Markdown files (${fmt(bytes / 1024 ** 2, 1)} MB; ~600 words, 1-3 tags, YAML front matter with
title, date, tags, slug, summary). Wall time of \`liner import markdown DIR\` into a fresh database (a new process,
start-up and migrations included), and of \`hugo\` building a minimal site (trivial single/list/home layouts; RSS,
sitemap and robots.txt off) over the same files, in the same run. Hugo and Liner runs alternate, ${o.runs} of each;
the best time of each is compared (all runs listed).

${markdownTable(header, rows)}

${targetLines(targets).join("\n")}`,
  );
}
