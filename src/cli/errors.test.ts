/**
 * The CLI's rule for wrong values: every command given an unknown id, slug or list, a missing or
 * unusable file or folder, or an invalid address prints ONE line naming it and exits 1 (never a
 * stack trace); only a command line that does not fit the usage exits 2. The table must name every
 * command whose usage takes an ID, SLUG, FILE, DIR or URL (checked against the commands' specs).
 */
import assert from "node:assert/strict";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { after, before, test } from "node:test";
import { type CliEnv, cliEnv, runCli } from "./testing.ts";
import { commands } from "./usage.ts";

let e: CliEnv;
const dir = fs.mkdtempSync(path.join(os.tmpdir(), "liner-errors-"));
before(async () => {
  e = await cliEnv();
  fs.writeFileSync(path.join(dir, "a-file"), "x");
  fs.writeFileSync(path.join(dir, "a.tar.gz"), "x");
  // The demo site: a public list "articles", the page "about", themes.
  assert.equal((await runCli(["init"], { env: e.env })).code, 0);
});
after(async () => {
  await e.cleanup();
  fs.rmSync(dir, { recursive: true, force: true });
});

const missing = () => path.join(dir, "missing");
const aFile = () => path.join(dir, "a-file");
const aBackup = () => path.join(dir, "a.tar.gz");

/** [command, arguments, what the one line must say]. */
const cases: [string, () => string[], RegExp][] = [
  ["user add", () => ["not-an-email", "--role", "author", "--password-stdin"], /email/],
  ["import markdown", () => [missing()], /missing: no such folder/],
  ["import markdown", () => [aFile()], /a-file: no such folder/],
  ["export markdown", () => [aFile()], /a-file: already exists/],
  ["export all", () => [aFile()], /a-file is a file, not a folder/],
  ["export all", () => [dir], /is not empty: name a new or empty folder, or add --force/],
  ["post publish", () => [path.join(dir, "missing.md")], /missing\.md: no such file/],
  ["feed parse", () => [missing()], /missing: no such file/],
  ["feed parse", () => [dir], /a folder, not a file/],
  ["sources add", () => ["not-a-url"], /not a valid web address/],
  ["sources import-opml", () => [missing()], /missing: no such file or folder/],
  ["save", () => ["https://ok.example/", "--theme", "no-such-theme"], /no theme with the slug "no-such-theme"/],
  ["save", () => ["https://ok.example/", "--via", "not-a-url"], /not a web address/],
  ["save", () => ["not-a-url"], /not a web address/],
  ["mail status", () => ["999"], /no send #999/],
  ["mail send-post", () => ["no-such-post", "--list", "articles"], /no post “no-such-post”/],
  ["mail send-post", () => ["about", "--list", "no-such-list"], /no list “no-such-list”/],
  ["lists add", () => ["Bad_Slug", "--name", "X"], /not a valid slug/],
  ["lists add", () => ["articles", "--name", "X"], /already a list “articles”/],
  ["subscribers add", () => ["a@example.com", "--list", "no-such-list"], /no list “no-such-list”/],
  ["subscribers add", () => ["not-an-email", "--list", "articles"], /email/i],
  ["subscribers import", () => [missing(), "--list", "articles"], /missing: no such file or folder/],
  ["subscribers import", () => [aFile(), "--list", "no-such-list"], /no list “no-such-list”/],
  ["subscribers export", () => ["--list", "no-such-list"], /no list “no-such-list”/],
  ["digest send", () => ["999", "--list", "articles"], /no digest 999/],
  ["digest export", () => ["999", "--format", "md"], /no digest 999/],
  ["backup", () => [aFile()], /a-file: a backup's name ends in \.tar\.gz$/m],
  ["backup", () => [path.join(dir, "site.zip")], /site\.zip: a backup's name ends in \.tar\.gz$/m],
  ["backup", () => [path.join(missing(), "x.tar.gz")], /^liner: folder \/.+\/missing does not exist$/m],
  ["backup", () => [path.join(aFile(), "x.tar.gz")], /a-file is a file, not a folder$/m],
  ["backup", () => [aBackup()], /a\.tar\.gz already exists; choose another name/],
  ["restore", () => [missing()], /missing: no such file/],
  ["conversations approve", () => ["999"], /No such item: 999/],
  ["conversations spam", () => ["998", "999"], /No such item: 998, 999/],
  ["conversations delete", () => ["999"], /No such item: 999/],
  ["webmention send", () => ["no-such-post"], /no-such-post is not a published post of this site/],
  ["restore", () => [aFile()], /^liner: \/.+\/a-file is not a backup \(not a \.tar\.gz file\)$/m],
  [
    "accounts add",
    () => ["bluesky", "--handle", "alice.test", "--pds", "not a url", "--app-password-stdin"],
    /The server \(PDS\) must be an address such as https:\/\/bsky\.social \(got “not a url”\)/,
  ],
  ["accounts check", () => ["999"], /There is no connected account 999/],
  ["experiments stop", () => ["999"], /There is no running experiment 999/],
  ["accounts remove", () => ["999"], /There is no connected account 999/],
  ["syndicate", () => ["no-such-post", "--to", "bluesky"], /There is no post “no-such-post”/],
];

for (const [command, args, says] of cases) {
  test(`liner ${command} ${args().join(" ").replaceAll(dir, "DIR")}: one line, exit 1`, async () => {
    const r = await runCli([...command.split(" "), ...args()], { env: e.env, input: "a long enough password\n" });
    assert.equal(r.code, 1, r.stderr);
    assert.match(r.stderr, /^liner: [^\n]+\n$/, "exactly one line");
    assert.match(r.stderr, says);
    assert.doesNotMatch(r.stderr, /\n\s+at /);
  });
}

test("every command that takes an id, slug, file, folder or URL is in the table", () => {
  const named = new Set(cases.map(([c]) => c));
  const takesOne = commands
    .filter((c) => /\b(ID|SLUG|FILE|FILE\.md|FILE\.csv|DIR|URL)\b/.test(c.usage.split("\n")[0]))
    .map((c) => c.name);
  assert.ok(takesOne.length >= 15, takesOne.join(", "));
  assert.deepEqual(
    takesOne.filter((c) => !named.has(c)),
    [],
  );
});

test("a value in a form the usage rules out is a usage error: exit 2, with the usage", async () => {
  for (const argv of [
    ["digest", "export", "abc", "--format", "md"],
    ["mail", "status", "abc"],
    ["search", "x", "--limit", "many"],
  ]) {
    const r = await runCli(argv, { env: e.env });
    assert.equal(r.code, 2, `${argv.join(" ")}: ${r.stderr}`);
    assert.match(r.stderr, /^liner: .+\n\nUsage: liner /);
  }
  // The rule is in `liner help`.
  assert.match(
    (await runCli(["help"], { env: e.env })).stdout,
    /Exit status:\n {2}0 {2}done\n {2}1 {2}a value that is wrong/,
  );
});
