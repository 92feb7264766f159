/**
 * The module rules, checked in CI (`node scripts/check-modules.ts`; docs/architecture.md states them):
 *
 * 1. A module (a folder under src/ other than lib/ and cli/) is imported by other modules only
 *    through its `index.ts`; the shell (src/app.ts, admin.ts, modules.ts, server.ts, cli/) also
 *    reads its declaration, `module.ts`; test code may also use its `testing.ts`.
 * 2. lib/ imports no module and no shell file; modules import no shell file.
 * 3. A module imports only the modules `allowed` lists for it below, so the graph is the
 *    layering written in docs/architecture.md, and it has no cycle.
 * 4. SQL (Kysely query builders, `sql` templates, `.kysely`) appears only in store files
 *    (`store.ts`, `*-store.ts`), with src/lib/db/ and src/lib/jobs/ as the stated exceptions.
 *    Test files are not checked for this rule.
 * 5. A store writes only to the tables its module owns (`owners` below).
 * 6. The module graph drawn in docs/architecture.md (between `<!-- module-graph -->` markers) is
 *    the one the imports make: each line `module → dependency, dependency`.
 *
 * Prints every violation as `file: rule: detail` and exits 1 if there is any. `--graph` prints
 * the graph as docs/architecture.md has it.
 */
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const src = path.join(root, "src");

/** Which modules each module may import (through their index.ts). The layering, lowest first. */
export const allowed: Record<string, string[]> = {
  mail: [],
  auth: ["mail"],
  content: ["auth"],
  site: ["content"],
  reader: ["content"],
  audience: ["content", "site", "mail"],
  events: ["content", "site", "mail", "audience"],
  inquiries: ["auth", "content", "site", "mail"],
  digest: ["auth", "content", "site", "mail", "reader", "audience"],
  export: [],
  backup: [],
  conversation: ["auth", "content", "site", "mail", "audience"],
  fediverse: ["auth", "content", "site", "mail", "reader", "conversation"],
  syndication: ["auth", "content", "site", "conversation"],
  insights: ["auth", "content", "site", "mail"],
};

/** The tables each owner writes; `lib` owns the plumbing tables. */
export const owners: Record<string, string[]> = {
  lib: ["jobs", "settings", "rate_counters", "page_invalidations", "kysely_migration", "kysely_migration_lock"],
  auth: ["users", "sessions", "setup_tokens", "login_failures", "password_resets"],
  content: [
    "posts",
    "post_themes",
    "themes",
    "revisions",
    "redirects",
    "media",
    "content_state",
    "posts_fts",
    "post_autosaves",
    "post_tombstones",
  ],
  site: [],
  mail: ["outbox", "mail_sends", "suppressions"],
  reader: [
    "folders",
    "sources",
    "items",
    "item_texts",
    "saves",
    "save_themes",
    "save_credits",
    "citations",
    "discover_dismissed",
    "reader_state",
    "reader_undo",
    "saves_trash",
  ],
  audience: ["lists", "subscribers", "subscriptions", "audience_settings", "post_email_links", "post_email_opens"],
  events: ["events", "registrations"],
  inquiries: ["inquiries", "inquiry_settings"],
  digest: ["digests", "digest_sections", "digest_entries", "digest_clicks", "digest_settings"],
  export: [],
  backup: ["backup_settings"],
  conversation: [
    "conversation_items",
    "webmentions_in",
    "webmentions_out",
    "conversation_blocks",
    "conversation_settings",
    "conversation_post_settings",
  ],
  fediverse: [
    "fedi_kv",
    "fedi_keys",
    "fedi_settings",
    "fedi_followers",
    "fedi_following",
    "fedi_blocks",
    "fedi_pins",
    "fedi_notes",
  ],
  syndication: ["synd_accounts", "synd_copies", "synd_settings"],
  insights: [
    "insight_salts",
    "insight_views",
    "insight_daily",
    "insight_outcomes",
    "insight_experiments",
    "insight_settings",
  ],
};

const SHELL_FILES = new Set(["app.ts", "server.ts", "modules.ts", "admin.ts"].map((f) => path.join(src, f)));

interface Where {
  /** "lib", "shell", or a module name. */
  kind: string;
  file: string;
}

function locate(file: string): Where {
  const rel = path.relative(src, file);
  const top = rel.split(path.sep)[0];
  if (SHELL_FILES.has(file) || top === "cli") return { kind: "shell", file };
  if (top === "lib") return { kind: "lib", file };
  return { kind: top, file };
}

const isTest = (f: string) => f.endsWith(".test.ts") || /(^|\/)testing\.ts$/.test(f) || f.includes("/testdata/");
const isStore = (f: string) => /(^|[/-])store\.ts$/.test(path.basename(f)) || path.basename(f) === "store.ts";

const IMPORT =
  /(?:^|\n)\s*(?:import|export)\s+(type\s+)?(?:[^;'"]*?\sfrom\s*)?["'](\.[^"']+)["']|import\(\s*["'](\.[^"']+)["']\s*\)/g;

const SQL_PATTERNS: [RegExp, string][] = [
  [/\.kysely\b/, "uses .kysely"],
  [/\b(selectFrom|insertInto|updateTable|deleteFrom|replaceInto|mergeInto)\(/, "builds a query"],
  [/\bsql\s*(<[^>]*>)?\s*`/, "writes an sql template"],
  [/import\s+\{[^}]*\bsql\b[^}]*\}\s+from\s+["']kysely["']/, "imports sql from kysely"],
];

function files(dir: string): string[] {
  return fs
    .readdirSync(dir, { recursive: true, encoding: "utf8" })
    .filter((f) => f.endsWith(".ts"))
    .map((f) => path.join(dir, f));
}

const problems: string[] = [];
const edges = new Map<string, Set<string>>();
const say = (file: string, rule: string, detail: string) =>
  problems.push(`${path.relative(root, file)}: ${rule}: ${detail}`);

for (const file of files(src)) {
  const from = locate(file);
  const text = fs.readFileSync(file, "utf8");
  for (const m of text.matchAll(IMPORT)) {
    const spec = m[2] ?? m[3];
    const target = path.resolve(path.dirname(file), spec);
    const to = locate(target);
    if (!target.startsWith(src)) continue;
    if (to.kind === from.kind) continue;
    const rel = path.relative(src, target);
    if (to.kind === "shell") {
      if (from.kind !== "shell" && !isTest(file)) say(file, "imports the shell", rel);
      continue;
    }
    if (to.kind === "lib") continue;
    // `to` is a module.
    if (from.kind === "lib") {
      say(file, "lib imports a module", rel);
      continue;
    }
    const entry = path.relative(path.join(src, to.kind), target);
    const publicEntry =
      entry === "index.ts" ||
      (entry === "testing.ts" && isTest(file)) ||
      (entry === "module.ts" && from.kind === "shell");
    if (!publicEntry) say(file, "reaches into a module", `${rel} (import ../${to.kind}/index.ts)`);
    if (from.kind === "shell" || isTest(file)) continue;
    if (!allowed[from.kind]?.includes(to.kind)) say(file, "layering", `${from.kind} may not import ${to.kind}`);
    const set = edges.get(from.kind) ?? new Set<string>();
    edges.set(from.kind, set);
    set.add(to.kind);
  }

  const exempt = isTest(file) || isStore(file) || /^lib\/(db|jobs)\//.test(path.relative(src, file));
  if (!exempt) {
    for (const [re, what] of SQL_PATTERNS) if (re.test(text)) say(file, "SQL outside a store", what);
  }
  if (isStore(file) && !isTest(file)) {
    const owner = from.kind === "shell" ? "" : from.kind;
    const mine = new Set(owners[owner] ?? []);
    for (const m of text.matchAll(/\b(?:insertInto|updateTable|deleteFrom|replaceInto)\(\s*["'](\w+)/g)) {
      if (!mine.has(m[1])) say(file, "writes another module's table", m[1]);
    }
  }
}

for (const m of Object.keys(allowed)) {
  if (!fs.existsSync(path.join(src, m, "index.ts"))) say(path.join(src, m), "module without index.ts", m);
}

// A cycle can only come from edges the layering allows; check anyway, in case `allowed` drifts.
const visiting = new Set<string>();
const done = new Set<string>();
function visit(n: string, trail: string[]): void {
  if (done.has(n)) return;
  if (visiting.has(n)) {
    problems.push(`module cycle: ${[...trail.slice(trail.indexOf(n)), n].join(" → ")}`);
    return;
  }
  visiting.add(n);
  for (const next of edges.get(n) ?? []) visit(next, [...trail, n]);
  visiting.delete(n);
  done.add(n);
}
for (const n of edges.keys()) visit(n, []);

/** The graph as docs/architecture.md writes it: one line per module, in `allowed`'s order. */
function graphText(): string {
  return Object.keys(allowed)
    .map((m) => `${m} → ${[...(edges.get(m) ?? [])].sort((a, b) => order(a) - order(b)).join(", ") || "(lib only)"}`)
    .join("\n");
}
const order = (m: string) => Object.keys(allowed).indexOf(m);

if (process.argv.includes("--graph")) {
  console.log(graphText());
  process.exit(0);
}

const docs = fs.readFileSync(path.join(root, "docs/architecture.md"), "utf8");
const drawn = /<!-- module-graph -->\n```\n([\s\S]*?)\n```\n<!-- \/module-graph -->/.exec(docs)?.[1];
if (drawn === undefined) problems.push("docs/architecture.md: no module graph between <!-- module-graph --> markers");
else if (drawn.trim() !== graphText())
  problems.push(`docs/architecture.md: the module graph is not the one the imports make; it is:\n${graphText()}`);

if (problems.length) {
  console.error(problems.join("\n"));
  console.error(`\n${problems.length} module rule violation(s); see docs/architecture.md, "Module rules".`);
  process.exit(1);
}
console.log(`module rules: ${Object.keys(allowed).length} modules, no violations`);
