/** `startup`: spawn `liner serve` on an existing 10,000-post database and time the first 200 on `/`. */
import path from "node:path";
import { startLiner } from "./lib/liner.ts";
import { makeWorkDir } from "./lib/proc.ts";
import {
  consoleTable,
  fmt,
  fmtMs,
  machineLine,
  markdownTable,
  median,
  sqliteVersion,
  stamp,
  type Target,
  targetLines,
  writeSection,
} from "./lib/report.ts";
import { seedDatabase } from "./lib/seed.ts";

export interface StartupOptions {
  posts: number;
  runs: number;
  record: boolean;
}

export async function benchStartup(o: StartupOptions): Promise<void> {
  const work = makeWorkDir("startup");
  const dataDir = path.join(work, "data");
  console.log(`startup: generating ${fmt(o.posts)} posts in SQLite ...`);
  const seedMs = await seedDatabase({ sqlitePath: path.join(dataDir, "liner.db"), posts: o.posts });
  console.log(`  done in ${fmtMs(seedMs)}`);

  const times: number[] = [];
  for (let i = 0; i < o.runs; i++) {
    const s = await startLiner({ dataDir });
    times.push(s.readyMs);
    await s.stop();
    console.log(`  run ${i + 1}: ${fmtMs(s.readyMs)}`);
  }
  const med = median(times);
  const header = ["runs", "median", "min", "max"];
  const rows = [[String(o.runs), fmtMs(med), fmtMs(Math.min(...times)), fmtMs(Math.max(...times))]];
  const targets: Target[] = [{ label: "first response ≤ 1 s", met: med <= 1000, actual: fmtMs(med) }];
  console.log(`\n${consoleTable(header, rows)}\n`);
  for (const l of targetLines(targets)) console.log(l);
  if (!o.record) return;
  writeSection(
    "startup",
    `## startup

${stamp()} · ${machineLine([sqliteVersion()])}

Time from spawning \`liner serve --no-jobs\` (a new Node process) on an existing database of ${fmt(o.posts)} posts to
the first \`200\` on \`/\` (polled every 5 ms), ${o.runs} runs. Runs: ${times.map((t) => fmtMs(t)).join(", ")}.

${markdownTable(header, rows)}

${targetLines(targets).join("\n")}`,
  );
}
