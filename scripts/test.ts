/**
 * `npm test`: runs the test files with node:test, one file at a time, with Node's compile cache.
 *
 *   node scripts/test.ts                 every src/**\/*.test.ts
 *   node scripts/test.ts --db-only       only the files that reach the database (CI's PostgreSQL
 *                                        run: the database-free files already ran on SQLite)
 *   node scripts/test.ts FILE...         these files
 *
 * Files run one at a time unless TEST_CONCURRENCY says how many at once (each file's process has
 * databases of its own, so this is safe; CI keeps 1: its two lanes already fill both cores, and
 * 2 made the run slower).
 *
 * A file "reaches the database" when its relative imports, followed transitively, include
 * src/lib/db/index.ts (or it starts `liner`, which opens the database), unless it says
 * `// test lanes: sqlite only` (it uses a database only as a backdrop: sockets, parsing, rendering,
 * nothing a dialect changes), which keeps CI within its time.
 */
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const dbEntry = path.join(root, "src/lib/db/index.ts");
const IMPORT = /(?:^|\n)\s*(?:import|export)\s[^;]*?from\s*["'](\.[^"']+)["']|import\(\s*["'](\.[^"']+)["']\s*\)/g;

/** Every file a file imports with a relative specifier. */
function importsOf(file: string): string[] {
  const src = fs.readFileSync(file, "utf8");
  const out: string[] = [];
  for (const m of src.matchAll(IMPORT)) out.push(path.resolve(path.dirname(file), m[1] ?? m[2]));
  return out;
}

const importsCache = new Map<string, string[]>();

/** Does `file` import the database layer, directly or through other files? (A walk of its import graph.) */
function reachesDb(file: string): boolean {
  const seen = new Set<string>([file]);
  const todo = [file];
  for (let f = todo.pop(); f !== undefined; f = todo.pop()) {
    if (f === dbEntry || f.endsWith("/bin/liner.js")) return true;
    if (!fs.existsSync(f)) continue;
    const next = importsCache.get(f) ?? importsOf(f);
    importsCache.set(f, next);
    for (const n of next) {
      if (seen.has(n)) continue;
      seen.add(n);
      todo.push(n);
    }
  }
  return false;
}

function testFiles(dir: string): string[] {
  return fs
    .readdirSync(dir, { recursive: true, encoding: "utf8" })
    .filter((f) => f.endsWith(".test.ts"))
    .map((f) => path.join(dir, f))
    .sort();
}

const args = process.argv.slice(2);
const dbOnly = args.includes("--db-only");
const named = args.filter((a) => a !== "--db-only");
let files = named.length ? named.map((f) => path.resolve(f)) : testFiles(path.join(root, "src"));
const SQLITE_ONLY = "// test lanes: sqlite only";
if (dbOnly) files = files.filter((f) => reachesDb(f) && !fs.readFileSync(f, "utf8").includes(SQLITE_ONLY));
if (!files.length) {
  console.error("no test files");
  process.exit(1);
}

const concurrency = Number(process.env.TEST_CONCURRENCY ?? 1) || 1;
const env = { ...process.env, NODE_COMPILE_CACHE: process.env.NODE_COMPILE_CACHE ?? path.join(root, ".cache/node") };
const run = spawnSync(
  process.execPath,
  ["--test", `--test-concurrency=${concurrency}`, ...files.map((f) => path.relative(process.cwd(), f))],
  { stdio: "inherit", env },
);
process.exit(run.status ?? 1);
