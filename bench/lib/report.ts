/**
 * Reporting: statistics, console tables, the machine description, and docs/benchmarks.md,
 * where each benchmark owns one section (between markers) that a new run replaces.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import Database from "better-sqlite3";
import { repoRoot } from "./proc.ts";

/** Percentile (nearest-rank) of unsorted samples. */
export function percentile(samples: number[], p: number): number {
  if (!samples.length) return Number.NaN;
  const sorted = [...samples].sort((a, b) => a - b);
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length - 1, Math.max(0, rank - 1))];
}

export function mean(samples: number[]): number {
  return samples.reduce((a, b) => a + b, 0) / samples.length;
}

export function median(samples: number[]): number {
  return percentile(samples, 50);
}

/** Format a number for tables: thousands separators, fixed decimals. */
export function fmt(n: number, decimals = 0): string {
  if (!Number.isFinite(n)) return "n/a";
  return n.toLocaleString("en-US", { minimumFractionDigits: decimals, maximumFractionDigits: decimals });
}

export function fmtMs(ms: number): string {
  if (!Number.isFinite(ms)) return "n/a";
  if (ms >= 1000) return `${fmt(ms / 1000, 2)} s`;
  return `${fmt(ms, ms < 10 ? 2 : 1)} ms`;
}

export type Row = string[];

/** A plain-text table for the console. */
export function consoleTable(header: Row, rows: Row[]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? "").length)));
  const line = (r: Row) => r.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join("  ");
  return [line(header), widths.map((w) => "-".repeat(w)).join("  "), ...rows.map(line)].join("\n");
}

/** A Markdown table. */
export function markdownTable(header: Row, rows: Row[]): string {
  const line = (r: Row) => `| ${r.join(" | ")} |`;
  return [line(header), `|${header.map((_, i) => (i === 0 ? " --- " : " ---: ")).join("|")}|`, ...rows.map(line)].join(
    "\n",
  );
}

export interface Target {
  label: string;
  met: boolean;
  /** What was measured, e.g. "0.42×". */
  actual: string;
}

export function targetLines(targets: Target[]): string[] {
  return targets.map((t) => `- ${t.met ? "✅ met" : "❌ missed"}: ${t.label} (measured ${t.actual})`);
}

/** The machine, as recorded with every figure. */
export function machineInfo(): { nproc: number; cpu: string; ramGb: number; node: string } {
  let cpu = os.cpus()[0]?.model ?? "unknown";
  try {
    const m = fs.readFileSync("/proc/cpuinfo", "utf8").match(/^model name\s*:\s*(.+)$/m);
    if (m) cpu = m[1].trim();
  } catch {
    // Not Linux: keep os.cpus().
  }
  return { nproc: os.availableParallelism(), cpu, ramGb: os.totalmem() / 1024 ** 3, node: process.version };
}

export function machineLine(databases: string[]): string {
  const m = machineInfo();
  // The load average shows whether something else (a test suite) shared the machine during the run.
  const load = os
    .loadavg()
    .map((l) => fmt(l, 2))
    .join(" / ");
  return `${m.nproc} cores (nproc), ${m.cpu}, ${fmt(m.ramGb, 1)} GiB RAM, Node ${m.node}, ${databases.join(" and ")}; load average ${load} (1/5/15 min) at the end of the run`;
}

/** SQLite library version as used by better-sqlite3. */
export function sqliteVersion(): string {
  const db = new Database(":memory:");
  try {
    const row = db.prepare("select sqlite_version() as v").get() as { v: string };
    return `SQLite ${row.v}`;
  } finally {
    db.close();
  }
}

const docsPath = path.join(repoRoot, "docs", "benchmarks.md");
const order = ["serve", "import", "search", "startup"];

const preamble = `# Benchmarks

Figures from \`npm run bench -- <name>\` (see [bench/README.md](../bench/README.md) for what each
benchmark does and how to run it). Every benchmark runs on 127.0.0.1 only and measures its peer
(nginx, Hugo) **in the same run**, on the same machine. Each section below is rewritten by the
latest run of its benchmark; the date and machine are part of it. Targets come from issue 2.
`;

/** Replace (or add) the section of one benchmark in docs/benchmarks.md. */
export function writeSection(name: string, body: string): void {
  let doc = fs.existsSync(docsPath) ? fs.readFileSync(docsPath, "utf8") : preamble;
  const start = `<!-- bench:${name} -->`;
  const end = `<!-- /bench:${name} -->`;
  const block = `${start}\n${body.trim()}\n${end}`;
  const re = new RegExp(`${start}[\\s\\S]*?${end}`);
  if (re.test(doc)) {
    doc = doc.replace(re, () => block);
  } else {
    // Insert before the first section that comes later in the fixed order, else append.
    const later = order.slice(order.indexOf(name) + 1).find((n) => doc.includes(`<!-- bench:${n} -->`));
    if (later && order.includes(name)) {
      const at = doc.indexOf(`<!-- bench:${later} -->`);
      doc = `${doc.slice(0, at)}${block}\n\n${doc.slice(at)}`;
    } else {
      doc = `${doc.trimEnd()}\n\n${block}\n`;
    }
  }
  fs.writeFileSync(docsPath, doc);
  console.log(`\nRecorded in ${path.relative(repoRoot, docsPath)} (section "${name}").`);
}

/** Today's date and time in UTC, for the record. */
export function stamp(): string {
  return `${new Date().toISOString().slice(0, 16).replace("T", " ")} UTC`;
}
