/**
 * The `liner` command: usage, configuration errors, init, serve, worker, user add, search. Most
 * run in-process (`runCli`); a first start and the worker run as processes (serve's signals, forking
 * and port: serve.test.ts).
 */
import assert from "node:assert/strict";
import { afterEach, beforeEach, test } from "node:test";
import { verifyLogin } from "../auth/testing.ts";
import { postStore, savePost, saveTheme, systemActor, themeStore } from "../content/testing.ts";
import { type AppContext, closeContext } from "../lib/context.ts";
import { type CliEnv, cliEnv, runCli, runCliProcess, startServe } from "./testing.ts";

let e: CliEnv;
beforeEach(async () => {
  e = await cliEnv();
});
afterEach(async () => e.cleanup());

async function withDb<T>(fn: (ctx: AppContext) => Promise<T>, now?: () => Date): Promise<T> {
  const ctx = await e.open(now);
  try {
    return await fn(ctx);
  } finally {
    await closeContext(ctx);
  }
}

test("usage: help on stdout, unknown commands and flags on stderr with exit 2", async () => {
  const help = await runCli(["help"], { env: e.env });
  assert.equal(help.code, 0);
  assert.match(help.stdout, /import markdown DIR/);
  const cmdHelp = await runCli(["search", "--help"], { env: e.env });
  assert.equal(cmdHelp.code, 0);
  assert.match(cmdHelp.stdout, /^Usage: liner search QUERY/);
  const none = await runCli([], { env: e.env });
  assert.equal(none.code, 2);
  assert.match(none.stderr, /missing command[\s\S]*Usage: liner <command>/);
  const unknown = await runCli(["frobnicate"], { env: e.env });
  assert.equal(unknown.code, 2);
  assert.match(unknown.stderr, /unknown command: frobnicate/);
  const flag = await runCli(["serve", "--bogus"], { env: e.env });
  assert.equal(flag.code, 2);
  assert.match(
    flag.stderr,
    /^liner: unknown option '--bogus'\n\nUsage: liner serve/,
    "one plain line, no advice about '--'",
  );
  const sub = await runCli(["import", "csv", "x"], { env: e.env });
  assert.equal(sub.code, 2);
  assert.match(sub.stderr, /unknown command: import csv/);
  const port = await runCli(["serve", "--port", "http"], { env: e.env });
  assert.equal(port.code, 2);
  assert.match(port.stderr, /--port must be a whole number/);
});

test("a bad environment value stops with one line naming the variable, exit 2", async () => {
  const r = await runCli(["init"], { env: { ...e.env, PORT: "abc" } });
  assert.equal(r.code, 2);
  assert.equal(r.stdout, "");
  const lines = r.stderr.trim().split("\n");
  assert.equal(lines.length, 1, r.stderr);
  assert.match(lines[0], /^liner: PORT: .*"abc"/);
});

test("init creates the database, seeds the demo once and prints the setup link until an owner exists", async () => {
  // A first start: a data folder (and on PostgreSQL a database) with nothing in it, in a real process.
  await e.cleanup();
  e = await cliEnv({ migrated: false });
  const first = await runCliProcess(["init"], { env: e.env });
  assert.equal(first.code, 0, first.stderr);
  assert.match(first.stdout, /Seeded a demo site/);
  assert.match(first.stdout, /http:\/\/127\.0\.0\.1:4321\/setup\/[\w-]{20,}/);
  const counts = await withDb(async (ctx) => ({
    posts: await postStore(ctx.db).count({}),
    decks: await postStore(ctx.db).count({ kinds: ["presentation"] }),
    about: (await postStore(ctx.db).bySlug("about"))?.kind,
    themes: (await themeStore(ctx.db).all()).length,
  }));
  assert.ok(counts.posts >= 7);
  assert.equal(counts.decks, 1);
  assert.equal(counts.about, "page");
  assert.equal(counts.themes, 3);

  const second = await runCli(["init"], { env: e.env });
  assert.doesNotMatch(second.stdout, /Seeded/);
  assert.match(second.stdout, /\/setup\//);
  assert.equal(await withDb((ctx) => postStore(ctx.db).count({})), counts.posts);

  const add = await runCli(["user", "add", "owner@example.com", "--role", "owner", "--password-stdin"], {
    env: e.env,
    input: "correct horse battery\n",
  });
  assert.equal(add.code, 0, add.stderr);
  const third = await runCli(["init"], { env: e.env });
  assert.doesNotMatch(third.stdout, /\/setup\//);
});

test("user add reads the password from stdin, and explains what is wrong", async () => {
  const args = ["user", "add", "Ana@Example.com", "--role", "editor", "--password-stdin", "--name", "Ana"];
  const ok = await runCli(args, { env: e.env, input: "a long passphrase\n" });
  assert.equal(ok.code, 0, ok.stderr);
  assert.match(ok.stdout, /Created editor ana@example\.com/);
  await withDb(async (ctx) => {
    const user = await verifyLogin(ctx, "ana@example.com", "a long passphrase");
    assert.equal(user?.role, "editor");
    assert.equal(user?.name, "Ana");
  });

  const taken = await runCli(args, { env: e.env, input: "another passphrase" });
  assert.equal(taken.code, 1);
  assert.match(taken.stderr, /ana@example\.com already has an account/);
  const short = await runCli(["user", "add", "b@example.com", "--role", "author", "--password-stdin"], {
    env: e.env,
    input: "short\n",
  });
  assert.equal(short.code, 1);
  assert.match(short.stderr, /password: must be at least 10 characters/);
  const role = await runCli(["user", "add", "c@example.com", "--role", "admin", "--password-stdin"], {
    env: e.env,
    input: "a long passphrase",
  });
  assert.equal(role.code, 2);
  assert.match(role.stderr, /--role must be owner, editor or author/);
  const noStdin = await runCli(["user", "add", "d@example.com", "--role", "author"], { env: e.env });
  assert.equal(noStdin.code, 2);
  assert.match(noStdin.stderr, /--password-stdin/);
  const email = await runCli(["user", "add", "not-an-email", "--role", "author", "--password-stdin"], {
    env: e.env,
    input: "a long passphrase",
  });
  assert.equal(email.code, 1);
  assert.match(email.stderr, /email/);
});

/** A scheduled post whose time has come, created with a clock set in the past (the CLI uses the real one). */
async function dueScheduledPost(): Promise<number> {
  const past = new Date(Date.now() - 3_600_000);
  return withDb(
    async (ctx) => {
      const theme = await saveTheme(ctx, { name: "Social web" });
      const p = await savePost(ctx, systemActor, {
        title: "Due now",
        body: "Scheduled an hour ago for half an hour ago.",
        status: "scheduled",
        publishedAt: new Date(past.getTime() + 1_800_000),
        themeIds: [theme.id],
      });
      assert.equal(p.status, "scheduled");
      return p.id;
    },
    () => past,
  );
}

const statusOf = (id: number) => withDb(async (ctx) => (await postStore(ctx.db).byId(id))?.status);

test("worker --once publishes a due scheduled post, then exits", async () => {
  const id = await dueScheduledPost();
  const r = await runCliProcess(["worker", "--once"], { env: e.env });
  assert.equal(r.code, 0, r.stderr);
  // The publish job, the Webmentions of the newly public post (it links nowhere: nothing more),
  // and the reader's poll chain, which every worker start runs at once.
  assert.match(r.stdout, /Ran 3 jobs/);
  assert.equal(await statusOf(id), "published");
  const again = await runCli(["worker", "--once"], { env: e.env });
  assert.match(again.stdout, /Ran 1 job\./, "only the poll chain is due again");
});

test("serve runs due jobs in-process, but not with --no-jobs", async () => {
  await runCli(["init"], { env: e.env });
  const id = await dueScheduledPost();
  const off = await startServe(["--port", "0", "--no-jobs"], e.env);
  try {
    assert.match(off.output(), /background jobs off/);
    // A server that runs jobs has queued its recurring ones (the reader's poll chain) before it says
    // it is running; this one has not, and it has not touched the due job.
    const jobs = await withDb((ctx) => ctx.db.kysely.selectFrom("jobs").select(["kind", "attempts"]).execute());
    assert.deepEqual(jobs, [{ kind: "content.publish", attempts: 0 }]);
    assert.equal(await statusOf(id), "scheduled");
  } finally {
    await off.stop();
  }
  const on = await startServe(["--port", "0"], e.env);
  try {
    let status: string | undefined;
    for (let i = 0; i < 50 && status !== "published"; i++) {
      await new Promise((r) => setTimeout(r, 100));
      status = await statusOf(id);
    }
    assert.equal(status, "published");
  } finally {
    await on.stop();
  }
});

test("search prints titles, URLs and plain snippets, or JSON", async () => {
  await runCli(["init"], { env: e.env });
  const text = await runCli(["search", "liner notes"], { env: { ...e.env, LINER_BASE_URL: "https://dana.example" } });
  assert.equal(text.code, 0, text.stderr);
  assert.match(text.stdout, /^\d+ results? for "liner notes"/);
  assert.match(
    text.stdout,
    /Liner notes: pass along the source's source\n {3}https:\/\/dana\.example\/posts\/liner-notes-source-of-the-source\n/,
  );
  assert.doesNotMatch(text.stdout, /<mark>|&quot;|&amp;/);

  const json = await runCli(["search", "conversation", "--json", "--limit", "2"], { env: e.env });
  assert.equal(json.code, 0, json.stderr);
  const data = JSON.parse(json.stdout) as {
    total: number;
    results: { title: string; slug: string; url: string; kind: string; published_at: string; snippet: string }[];
  };
  assert.ok(data.total >= 2);
  assert.equal(data.results.length, 2);
  for (const r of data.results) {
    assert.deepEqual(Object.keys(r).sort(), ["kind", "published_at", "slug", "snippet", "title", "url"]);
    assert.match(r.snippet, /conversation/i);
    assert.ok(r.url.endsWith(r.kind === "page" ? `/${r.slug}` : `/posts/${r.slug}`));
  }
  // The last word may be unfinished, as typed.
  const typed = await runCli(["search", "liner sour"], { env: e.env });
  assert.match(typed.stdout, /Liner notes: pass along the source's source/);
  const none = await runCli(["search", "xylophonist", "--json"], { env: e.env });
  assert.deepEqual(JSON.parse(none.stdout), { total: 0, moreThan: false, results: [] });
});
