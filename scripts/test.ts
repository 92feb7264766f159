/**
 * `npm test`: runs the test files with node:test, a group of files per process (see groupFiles),
 * with Node's compile cache.
 *
 *   node scripts/test.ts                 every src/**\/*.test.ts
 *   node scripts/test.ts --db-only       only the files that reach the database (CI's PostgreSQL
 *                                        run: the database-free files already ran on SQLite)
 *   node scripts/test.ts FILE...         these files
 *
 * Groups run one at a time unless TEST_CONCURRENCY says how many at once (each process has
 * databases of its own, so this is safe; CI keeps 1: its two lanes already fill both cores, and
 * 2 made the run slower). TEST_ISOLATION=file gives each file a process of its own, as plain
 * `node --test` does: to tell whether a failure comes from sharing one.
 *
 * A file "reaches the database" when its relative imports, followed transitively, include
 * src/lib/db/index.ts (or it starts `liner`, which opens the database), unless it says
 * `// test lanes: sqlite only` (it uses a database only as a backdrop: sockets, parsing, rendering,
 * nothing a dialect changes), which keeps CI within its time.
 */
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

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
const GROUP_SIZE = Number(process.env.TEST_GROUP_SIZE ?? 12) || 12;
const SQLITE_ONLY = "// test lanes: sqlite only";
if (dbOnly) files = files.filter((f) => reachesDb(f) && !fs.readFileSync(f, "utf8").includes(SQLITE_ONLY));
if (!files.length) {
  console.error("no test files");
  process.exit(1);
}

const concurrency = Number(process.env.TEST_CONCURRENCY ?? 1) || 1;
const env = { ...process.env, NODE_COMPILE_CACHE: process.env.NODE_COMPILE_CACHE ?? path.join(root, ".cache/node") };
fs.mkdirSync(path.join(root, ".cache"), { recursive: true });
const groupDir = fs.mkdtempSync(path.join(root, ".cache/test-groups-"));
let status = 1;
try {
  const entries = process.env.TEST_ISOLATION === "file" || files.length === 1 ? files : groupFiles(files, groupDir);
  const run = spawnSync(
    process.execPath,
    ["--test", `--test-concurrency=${concurrency}`, ...entries.map((f) => path.relative(process.cwd(), f))],
    { stdio: "inherit", env },
  );
  status = run.status ?? 1;
} finally {
  fs.rmSync(groupDir, { recursive: true, force: true });
}
process.exit(status);

/**
 * Entry files that run `all` in groups, one process per group. A process of its own costs a test
 * file ~0.45 s of CPU (starting Node, importing the app, migrating a template database): about
 * half of the suite's time when every file had one. A group is up to GROUP_SIZE files of one
 * module (src/<module>/), so what the files share (the module cache, the template database, a
 * PostgreSQL test database handed from test to test) is mostly what they would load anyway, and
 * a file that leaks state can only disturb its neighbours there. Each file's tests sit inside a
 * suite named after it: top-level hooks (beforeEach...) then apply to that file's tests only.
 */
function groupFiles(all: string[], dir: string): string[] {
  const byModule = new Map<string, string[]>();
  for (const f of all) {
    const rel = path.relative(root, f).split(path.sep);
    const key = rel.length > 2 ? rel.slice(0, 2).join("-") : rel[0]; // "src-reader"; "src" for src/*.test.ts
    byModule.set(key, [...(byModule.get(key) ?? []), f]);
  }
  const out: string[] = [];
  for (const [key, members] of byModule) {
    for (let i = 0; i < members.length; i += GROUP_SIZE) {
      const chunk = members.slice(i, i + GROUP_SIZE);
      const entry = path.join(dir, `${key}-${i / GROUP_SIZE + 1}.test.mjs`);
      const lines = chunk.map(
        (f) =>
          `describe(${JSON.stringify(path.relative(root, f))}, async () => { await import(${JSON.stringify(pathToFileURL(f).href)}); });`,
      );
      fs.writeFileSync(entry, ['import { describe } from "node:test";', ...lines, ""].join("\n"));
      out.push(entry);
    }
  }
  return out;
}
