import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { afterEach, beforeEach, test } from "node:test";
import { fileURLToPath } from "node:url";
import { type CliEnv, cliEnv, linerBin, runCli } from "../../cli/testing.ts";
import { closeContext } from "../../lib/context.ts";
import { type FeedServer, feedServer, rss } from "./testing.ts";

const fixture = (name: string) => fileURLToPath(new URL(`./testdata/${name}`, import.meta.url));

let e: CliEnv;
let srv: FeedServer;
beforeEach(async () => {
  e = await cliEnv();
  e.env.LINER_ALLOW_PRIVATE_FETCH = "1";
  srv = await feedServer();
});
afterEach(async () => {
  await srv.close();
  await e.cleanup();
});

const feed = (title: string, n = 2) => ({
  body: rss({
    title,
    link: "https://alice.example/",
    items: Array.from({ length: n }, (_, i) => ({ id: `${title}-${i}` })),
  }),
});

test("sources add follows a page's feed and prints what it followed", async () => {
  srv.route("/", {
    headers: { "content-type": "text/html" },
    body: '<link rel="alternate" type="application/rss+xml" href="/feed.xml">',
  });
  srv.route("/feed.xml", feed("Alice's notes", 3));
  const r = await runCli(["sources", "add", srv.url("/")], { env: e.env });
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /^Following “Alice's notes”\n/);
  assert.match(r.stdout, new RegExp(`feed: ${srv.url("/feed.xml")} \\(linked from the page\\)`));
  assert.match(r.stdout, /3 items stored/);
  const again = await runCli(["sources", "add", srv.url("/feed.xml")], { env: e.env });
  assert.equal(again.code, 0);
  assert.match(again.stdout, /You already follow “Alice's notes”/);
  const bad = await runCli(["sources", "add", "ftp://example.com/"], { env: e.env });
  assert.equal(bad.code, 1);
  assert.match(bad.stderr, /^liner: The URL must start with http:\/\/ or https:\/\//);
  const missing = await runCli(["sources", "add"], { env: e.env });
  assert.equal(missing.code, 2);
  assert.match(missing.stderr, /missing URL/);
});

test("import-opml prints counts; a broken file exits 1 naming the problem; export-opml prints OPML", async () => {
  const broken = await runCli(["sources", "import-opml", fixture("truncated.opml")], { env: e.env });
  assert.equal(broken.code, 1);
  assert.match(
    broken.stderr,
    /truncated\.opml: The OPML file could not be imported: invalid XML on line 7: the tag <outline> is never closed\. Nothing was imported\./,
  );
  const nofile = await runCli(["sources", "import-opml", "/nonexistent.opml"], { env: e.env });
  assert.equal(nofile.code, 1);
  assert.match(nofile.stderr, /^liner: \/nonexistent\.opml: no such file or folder\n$/);

  const ok = await runCli(["sources", "import-opml", fixture("nested.opml")], { env: e.env });
  assert.equal(ok.code, 0, ok.stderr);
  assert.match(
    ok.stdout,
    /^Imported 5 sources and 4 new folders from .*nested\.opml; skipped 1 feed already followed and 1 outline that is not a feed\.\n/,
  );

  const out = await runCli(["sources", "export-opml"], { env: e.env });
  assert.equal(out.code, 0);
  assert.match(out.stdout, /^<\?xml version="1.0" encoding="utf-8"\?>\n<opml version="2.0">/);
  assert.match(
    out.stdout,
    /<outline text="Podcasts" title="Podcasts">\s*<outline text="Dave's show" type="rss" xmlUrl="https:\/\/dave.example\/podcast.rss"/,
  );
  assert.equal((out.stdout.match(/xmlUrl=/g) ?? []).length, 5);
});

test("sources poll --once polls every source now and prints a summary", async () => {
  srv.route("/a.xml", { etag: '"a"', body: rss({ items: [{ id: "a1" }, { id: "a2" }] }) });
  srv.route("/b.xml", { lastModified: "Sat, 28 Feb 2026 10:00:00 GMT", body: rss({ items: [{ id: "b1" }] }) });
  srv.route("/bad.xml", { status: 500 });
  const ctx = await e.open();
  try {
    const now = new Date().toISOString();
    // Not due for a day: --once polls them anyway.
    const later = new Date(Date.now() + 86_400_000).toISOString();
    for (const p of ["/a.xml", "/b.xml", "/bad.xml"]) {
      await ctx.db.kysely
        .insertInto("sources")
        .values(source(srv.url(p), later, now))
        .execute();
    }
  } finally {
    await closeContext(ctx);
  }
  const first = await runCli(["sources", "poll", "--once"], { env: e.env });
  assert.equal(first.code, 0, first.stderr);
  assert.match(first.stdout, /^Polled 3 sources in [\d.]+ s: 2 fetched, 0 not modified, 3 new items, 1 error\.\n$/);
  assert.match(first.stderr, /\/bad\.xml: The server answered HTTP 500/);
  const second = await runCli(["sources", "poll", "--once"], { env: e.env });
  assert.match(second.stdout, /^Polled 3 sources in [\d.]+ s: 0 fetched, 2 not modified, 0 new items, 1 error\.\n$/);
  // On a terminal (a pseudo-terminal from util-linux `script`) a progress bar is drawn and erased.
  // (Spawned asynchronously: the feed server runs in this process.)
  const pty = spawn("script", ["-qec", `"${process.execPath}" "${linerBin}" sources poll --once`, "/dev/null"], {
    env: e.env,
    stdio: ["ignore", "pipe", "inherit"],
  });
  let out = "";
  pty.stdout.setEncoding("utf8").on("data", (d: string) => {
    out += d;
  });
  const status = await new Promise<number | null>((resolve) => pty.on("close", resolve));
  const tty = { status, stdout: out };
  assert.equal(tty.status, 0, out);
  assert.match(tty.stdout, /\rPolling \[#+\] 3\/3 100%/);
  assert.ok(tty.stdout.includes("\u001b[K"), "the bar erases its line");
  assert.match(tty.stdout, /Polled 3 sources in [\d.]+ s: 0 fetched, 2 not modified/);
});

test("sources poll keeps polling until SIGTERM", async () => {
  srv.route("/a.xml", { body: rss({ items: [{ id: "a1" }] }) });
  const ctx = await e.open();
  try {
    const now = new Date().toISOString();
    await ctx.db.kysely
      .insertInto("sources")
      .values(source(srv.url("/a.xml"), now, now))
      .execute();
  } finally {
    await closeContext(ctx);
  }
  const child = spawn(process.execPath, [linerBin, "sources", "poll"], {
    env: e.env,
    stdio: ["ignore", "pipe", "pipe"],
  });
  let out = "";
  child.stdout.on("data", (d) => {
    out += d;
  });
  child.stderr.on("data", (d) => {
    out += d;
  });
  const exited = new Promise<number | null>((r) => child.on("exit", (code) => r(code)));
  const deadline = Date.now() + 20_000;
  while (!/Polled 1 source/.test(out) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
  assert.match(out, /Polling sources \(pid \d+\); Ctrl-C to stop\./);
  assert.match(out, /Polled 1 source in [\d.]+ s: 1 fetched, 0 not modified, 1 new item, 0 errors\./);
  child.kill("SIGTERM");
  assert.equal(await exited, 0);
  assert.equal(srv.hits("/a.xml").length, 1);
});

function source(feedUrl: string, nextFetchAt: string, now: string) {
  return {
    feed_url: feedUrl,
    site_url: "",
    site_host: "",
    title: "",
    custom_title: "",
    description: "",
    format: "",
    is_podcast: 0,
    interval_minutes: 60,
    error_count: 0,
    next_fetch_at: nextFetchAt,
    created_at: now,
  };
}
