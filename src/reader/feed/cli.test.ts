// test lanes: sqlite only
/** `liner feed parse` driven as a child process: files and URLs (through the guarded fetcher). */
import assert from "node:assert/strict";
import fs from "node:fs";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { after, afterEach, before, beforeEach, test } from "node:test";
import { fileURLToPath } from "node:url";
import { type CliEnv, cliEnv, runCli } from "../../cli/testing.ts";

const dir = fileURLToPath(new URL("./testdata/", import.meta.url));
const file = (name: string) => `${dir}${name}`;

const FEED_KEYS = ["format", "title", "link", "description", "language", "updated", "authors", "image", "items"];
const ITEM_KEYS = [
  "id",
  "title",
  "link",
  "published",
  "updated",
  "authors",
  "summary",
  "content",
  "categories",
  "enclosures",
  "comments",
];

let e: CliEnv;
beforeEach(async () => {
  e = await cliEnv();
});
afterEach(async () => e.cleanup());

let server: http.Server;
let origin: string;
before(async () => {
  server = http.createServer((req, res) => {
    if (req.url === "/cp1251.xml") {
      res.writeHead(200, { "content-type": "application/rss+xml; charset=windows-1251" });
      res.end(fs.readFileSync(file("windows-1251.xml")));
    } else if (req.url === "/moved") {
      res.writeHead(301, { location: "/feeds/relative.xml" });
      res.end();
    } else if (req.url === "/feeds/relative.xml") {
      res.writeHead(200, { "content-type": "application/rss+xml" });
      res.end(fs.readFileSync(file("relative-urls.xml")));
    } else if (req.url === "/page") {
      res.writeHead(200, { "content-type": "text/html; charset=utf-8" });
      res.end(fs.readFileSync(file("html-page.html")));
    } else {
      res.writeHead(404, { "content-type": "text/plain" });
      res.end("not found");
    }
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
after(() => new Promise<void>((resolve) => server.close(() => resolve())));

test("one file: indented JSON with exactly the documented keys; --json prints it on one line", async () => {
  const pretty = await runCli(["feed", "parse", file("podcast.xml")], { env: e.env });
  assert.equal(pretty.code, 0, pretty.stderr);
  assert.match(pretty.stdout, /^\{\n {2}"format": "rss",\n/);
  const feed = JSON.parse(pretty.stdout);
  assert.deepEqual(Object.keys(feed), FEED_KEYS);
  assert.deepEqual(Object.keys(feed.items[0]), ITEM_KEYS);
  assert.deepEqual(Object.keys(feed.items[0].authors[0]), ["name", "email", "url"]);
  assert.deepEqual(feed.items[0].enclosures[0], {
    url: "https://cdn.pod.example/ep3.mp3",
    type: "audio/mpeg",
    length: 12345678,
  });
  assert.equal(feed.items[0].published, "2024-01-05T10:00:00.000Z");
  assert.equal("isPodcast" in feed, false, "extra fields are not printed");

  const compact = await runCli(["feed", "parse", file("podcast.xml"), "--json"], { env: e.env });
  assert.equal(compact.code, 0, compact.stderr);
  assert.equal(compact.stdout.trim().split("\n").length, 1);
  assert.deepEqual(JSON.parse(compact.stdout), feed);
});

test("--base sets the document URL of a file", async () => {
  const r = await runCli(
    ["feed", "parse", "--json", "--base", "https://rel.example/feeds/main.xml", file("relative-urls.xml")],
    {
      env: e.env,
    },
  );
  assert.equal(r.code, 0, r.stderr);
  const feed = JSON.parse(r.stdout);
  assert.equal(feed.link, "https://rel.example/");
  assert.equal(feed.items[0].link, "https://rel.example/posts/relative?id=7");
});

test("several inputs: one line each in input order with `input`; a failing one prints {input, error}; exit 1", async () => {
  const inputs = [file("rdf.xml"), "missing.xml", file("invalid.xml"), file("jsonfeed-1.1.json")];
  const r = await runCli(["feed", "parse", ...inputs], { env: e.env });
  assert.equal(r.code, 1);
  const lines = r.stdout
    .trim()
    .split("\n")
    .map((l) => JSON.parse(l));
  assert.deepEqual(
    lines.map((l) => l.input),
    inputs,
  );
  assert.equal(lines[0].format, "rdf");
  assert.deepEqual(Object.keys(lines[0]), ["input", ...FEED_KEYS]);
  assert.deepEqual(lines[1], { input: "missing.xml", error: "no such file" });
  assert.match(lines[2].error, /^invalid XML on line 9: <\/channel> closes <item>/);
  assert.deepEqual(Object.keys(lines[2]), ["input", "error"]);
  assert.equal(lines[3].format, "json");

  const ok = await runCli(["feed", "parse", file("atom03.xml"), file("rss091.xml")], { env: e.env });
  assert.equal(ok.code, 0, ok.stderr);
  assert.equal(ok.stdout.trim().split("\n").length, 2);
});

test("one failing input: the reason on stderr, nothing on stdout, exit 1", async () => {
  const r = await runCli(["feed", "parse", file("html-page.html")], { env: e.env });
  assert.equal(r.code, 1);
  assert.equal(r.stdout, "");
  assert.match(r.stderr, /^liner: .*html-page\.html: this is an HTML page, not a feed/);
});

test("usage errors exit 2; --help prints the usage", async () => {
  const none = await runCli(["feed", "parse"], { env: e.env });
  assert.equal(none.code, 2);
  assert.match(none.stderr, /missing FILE or URL[\s\S]*Usage: liner feed parse/);
  const base = await runCli(["feed", "parse", "x.xml", "--base", "not-a-url"], { env: e.env });
  assert.equal(base.code, 2);
  assert.match(base.stderr, /--base must be an absolute http\(s\) URL/);
  const flag = await runCli(["feed", "parse", "x.xml", "--bogus"], { env: e.env });
  assert.equal(flag.code, 2);
  const help = await runCli(["feed", "parse", "--help"], { env: e.env });
  assert.equal(help.code, 0);
  assert.match(help.stdout, /^Usage: liner feed parse FILE\|URL\.\.\. \[--base URL\] \[--json\]/);
});

test("URLs go through the guarded fetcher: charset from HTTP, redirects resolved, errors per input", async () => {
  const env = { ...e.env, LINER_ALLOW_PRIVATE_FETCH: "1" };
  const inputs = [`${origin}/cp1251.xml`, `${origin}/moved`, `${origin}/nope`, `${origin}/page`];
  const r = await runCli(["feed", "parse", ...inputs], { env });
  assert.equal(r.code, 1);
  const [cp1251, moved, missing, page] = r.stdout
    .trim()
    .split("\n")
    .map((l) => JSON.parse(l));
  assert.equal(cp1251.input, inputs[0]);
  assert.equal(cp1251.title, "Новости дня");
  assert.equal(moved.items[0].link, `${origin}/posts/relative?id=7`, "relative to the final URL");
  assert.equal(moved.items[0].enclosures[0].url, `${origin}/feeds/media/file.mp3`);
  assert.match(missing.error, /HTTP 404/);
  assert.match(page.error, /HTML page, not a feed; it links to a feed at https:\/\/html\.example\/blog\/feed\.xml/);
});

test("--base also sets the document URL of a fetched feed", async () => {
  const env = { ...e.env, LINER_ALLOW_PRIVATE_FETCH: "1" };
  const r = await runCli(
    ["feed", "parse", "--json", "--base", "https://rel.example/feeds/main.xml", `${origin}/moved`],
    {
      env,
    },
  );
  assert.equal(r.code, 0, r.stderr);
  assert.equal(JSON.parse(r.stdout).items[0].link, "https://rel.example/posts/relative?id=7");
});

test("without LINER_ALLOW_PRIVATE_FETCH a loopback URL is refused by the SSRF guard", async () => {
  const env = { ...e.env, LINER_ALLOW_PRIVATE_FETCH: "0" };
  const r = await runCli(["feed", "parse", `${origin}/cp1251.xml`], { env });
  assert.equal(r.code, 1);
  assert.equal(r.stdout, "");
  assert.match(r.stderr, /127\.0\.0\.1/);
  assert.match(r.stderr, /block|private|loopback|refus/i);
});
