/**
 * Issue 13, item 6 on the command line: a full disk or a read-only database is one line saying
 * where, exit 1, no stack trace, and nothing half-written. CI runs as root, so the failures are
 * injected (lib/db/faults.ts): genuine SQLite errors through a page limit or `query_only`,
 * PostgreSQL's own error codes through a trigger.
 */
import assert from "node:assert/strict";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, beforeEach, test } from "node:test";
import { pathToFileURL } from "node:url";
import { closeContext } from "../lib/context.ts";
import { type Fault, injectFault } from "../lib/db/faults.ts";
import { shownPath } from "../lib/db/storage-errors.ts";
import { type CliEnv, cliEnv, runCli, runCliProcess } from "./testing.ts";

let e: CliEnv;
let posts: string;
beforeEach(async () => {
  e = await cliEnv();
  posts = fs.mkdtempSync(path.join(os.tmpdir(), "liner-md-"));
  // Three long posts: more pages than the injected full disk leaves.
  for (const n of [1, 2, 3]) {
    fs.writeFileSync(
      path.join(posts, `post-${n}.md`),
      `---\ntitle: Post ${n}\ndate: 2024-0${n}-01\n---\n\n${"A paragraph of the imported post. ".repeat(3000)}\n`,
    );
  }
});
afterEach(async () => {
  await e.cleanup();
  fs.rmSync(posts, { recursive: true, force: true });
});

/** Run `liner ARGS` with `fault` on the database; the number of posts before and after. */
async function withFault(fault: Fault, args: string[]) {
  const ctx = await e.open();
  const count = async () =>
    Number(
      (
        await ctx.db.kysely
          .selectFrom("posts")
          .select((eb) => eb.fn.countAll().as("n"))
          .executeTakeFirstOrThrow()
      ).n,
    );
  try {
    const before = await count();
    const undo = await injectFault(ctx.db, fault, "posts");
    let res: Awaited<ReturnType<typeof runCli>>;
    try {
      res = await runCli(args, { env: e.env });
    } finally {
      await undo();
    }
    return { res, before, after: await count() };
  } finally {
    await closeContext(ctx);
  }
}

const pg = () => {
  const url = new URL(e.env.DATABASE_URL as string);
  return `the PostgreSQL database ${url.pathname.slice(1)} on ${url.hostname}`;
};

/** The last line on stderr, after checking there is no stack trace and no rollback noise. */
function failureLine(stderr: string): string {
  assert.doesNotMatch(stderr, /^\s+at /m, "no stack trace");
  assert.doesNotMatch(stderr, /rollback|no transaction/i);
  return stderr.trimEnd().split("\n").at(-1) as string;
}

test("liner import markdown on a full disk: one line naming the disk, exit 1, no post imported", async () => {
  const { res, before, after } = await withFault("full", ["import", "markdown", posts]);
  assert.equal(res.code, 1, res.stderr);
  const where = process.env.DATABASE_URL ? pg() : shownPath(e.dataDir);
  assert.equal(failureLine(res.stderr), `liner: the disk holding ${where} is full`);
  assert.equal(after, before, "the batch was rolled back whole");
  // With room again, the same import completes.
  const again = await runCli(["import", "markdown", posts], { env: e.env });
  assert.equal(again.code, 0, again.stderr);
  assert.match(again.stdout, /imported 3,/);
});

test("liner import markdown on a read-only database: one line naming it, exit 1", async () => {
  const { res, before, after } = await withFault("read-only", ["import", "markdown", posts]);
  assert.equal(res.code, 1, res.stderr);
  const where = process.env.DATABASE_URL ? pg() : shownPath(path.join(e.dataDir, "liner.db"));
  assert.equal(failureLine(res.stderr), `liner: ${where} is read-only`);
  assert.equal(after, before);
});

test("liner serve on a read-only data folder: one line naming the database, exit 1", {
  skip: process.env.DATABASE_URL ? "a data folder holds the database only on SQLite" : false,
}, async () => {
  // The demo seeding of a first start is the first write. The child's SQLite connections are
  // read-only through faults-read-only.ts, since chmod does not stop root.
  const preload = pathToFileURL(path.join(import.meta.dirname, "../lib/db/faults-read-only.ts")).href;
  const res = await runCliProcess(["serve", "--port", "0"], {
    env: { ...e.env, NODE_OPTIONS: `--import ${preload}` },
    timeoutMs: 20_000,
  });
  assert.equal(res.code, 1, res.stderr);
  assert.equal(res.stderr, `liner: ${path.join(e.dataDir, "liner.db")} is read-only\n`);
  assert.doesNotMatch(res.stdout, /running at/);
});
