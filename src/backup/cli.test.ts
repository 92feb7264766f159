/**
 * `liner backup` and `liner restore`, in-process: a verified backup of the environment's site;
 * a bad file refused in one line; a site with content refused without --force and replaced with it.
 */
import assert from "node:assert/strict";
import crypto from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { after, before, test } from "node:test";
import zlib from "node:zlib";
import { createUser } from "../auth/testing.ts";
import { type CliEnv, cliEnv, runCli } from "../cli/testing.ts";
import { savePost, seedDemo, systemActor } from "../content/testing.ts";
import { closeContext } from "../lib/context.ts";
import { craftArchive, repack } from "./testing.ts";

let env: CliEnv;
let file: string;
let posts: number;
const liner = (e: CliEnv, ...args: string[]) => runCli(args, { env: e.env });
const oneLine = (s: string) => assert.equal(s.trim().split("\n").length, 1, `one line: ${s}`);

before(async () => {
  env = await cliEnv();
  const ctx = await env.open();
  try {
    await createUser(ctx, { email: "owner@example.com", role: "owner", password: "correct horse battery" });
    posts = await seedDemo(ctx);
  } finally {
    await closeContext(ctx);
  }
  fs.mkdirSync(path.join(env.dataDir, "media"));
  fs.writeFileSync(path.join(env.dataDir, "media", "cover-640.webp"), "not really a picture");
  file = path.join(env.dataDir, "site.tar.gz");
});
after(() => env.cleanup());

test("liner backup writes a verified backup and will not overwrite a file", async () => {
  const r = await liner(env, "backup", file);
  assert.equal(r.code, 0, r.stderr);
  assert.match(
    r.stdout,
    /^Backed up \d+ tables \(\d+ rows\) and 1 media file to .*site\.tar\.gz \(\d+\.\d KB\); verified\.\n$/,
  );
  assert.equal(r.stderr, "", "no progress bar when stderr is not a terminal");
  assert.equal(fs.statSync(file).mode & 0o777, 0o600, "readable by the owner only");
  const again = await liner(env, "backup", file);
  assert.equal(again.code, 1);
  assert.equal(again.stderr, `liner: ${file} already exists; choose another name\n`);
});

test("liner restore refuses a bad file in one line, exit 1", async () => {
  const dir = fs.mkdtempSync(path.join(env.dataDir, "bad-"));
  const text = path.join(dir, "notes.txt");
  fs.writeFileSync(text, "these are not the backups you are looking for\n");
  const cut = path.join(dir, "cut.tar.gz");
  fs.writeFileSync(cut, fs.readFileSync(file).subarray(0, Math.floor(fs.statSync(file).size / 2)));
  const flipped = path.join(dir, "flipped.tar.gz");
  const bytes = fs.readFileSync(file);
  bytes[Math.floor(bytes.length / 2)] ^= 0xff;
  fs.writeFileSync(flipped, bytes);
  const other = path.join(dir, "other.gz");
  fs.writeFileSync(other, zlib.gzipSync("a gzip file, but no tar inside"));
  const tampered = await repack(file, path.join(dir, "tampered.tar.gz"), (d) => {
    const users = fs.readdirSync(path.join(d, "db")).find((f) => f.endsWith("_users.jsonl")) as string;
    const p = path.join(d, "db", users);
    fs.writeFileSync(p, fs.readFileSync(p, "utf8").replace("owner@example.com", "thief@example.com"));
  });
  const cases: [string, RegExp][] = [
    [text, new RegExp(`^liner: ${text} is not a backup \\(not a \\.tar\\.gz file\\)$`)],
    [path.join(dir, "missing.tar.gz"), /missing\.tar\.gz: no such file$/],
    [other, /^liner: \/.+\/other\.gz is not a backup \(.+\)$/],
    [cut, /^liner: \/.+\/cut\.tar\.gz is corrupt \(.+\)$/],
    [flipped, /^liner: \/.+\/flipped\.tar\.gz is corrupt \(.+\)$/],
    [tampered, /^liner: \/.+\/tampered\.tar\.gz is corrupt \(db\/\d{3}_users\.jsonl does not match its checksum\)$/],
  ];
  for (const [bad, message] of cases) {
    const r = await liner(env, "restore", bad, "--force");
    assert.equal(r.code, 1, `${bad}: ${r.stderr}`);
    oneLine(r.stderr);
    assert.match(r.stderr.trim(), message);
  }
  const usage = await liner(env, "restore");
  assert.equal(usage.code, 2);
  assert.match(usage.stderr, /missing FILE/);
});

test("liner restore of a backup cut short anywhere says it is corrupt in one line, and creates no database", async () => {
  const dir = fs.mkdtempSync(path.join(env.dataDir, "cut-"));
  // A large media entry that does not compress, so that most cuts fall inside an entry.
  const big = await repack(
    file,
    path.join(dir, "big.tar.gz"),
    (d) => fs.writeFileSync(path.join(d, "media", "cover-640.webp"), crypto.randomBytes(200_000)),
    { rehash: true },
  );
  const bytes = fs.readFileSync(big);
  const nowhere = path.join(dir, "no-site-here");
  for (let tenth = 1; tenth < 10; tenth++) {
    const cut = path.join(dir, `cut${tenth}.tar.gz`);
    fs.writeFileSync(cut, bytes.subarray(0, Math.floor((bytes.length * tenth) / 10)));
    const r = await runCli(["restore", cut], { env: { ...env.env, LINER_DATA: nowhere } });
    assert.equal(r.code, 1, `${tenth}/10: ${r.stderr}`);
    oneLine(r.stderr);
    assert.match(
      r.stderr,
      new RegExp(`^liner: ${cut} is corrupt \\((zlib: .+|Truncated input|no manifest\\.json: .+)\\)\n$`),
    );
    assert.equal(fs.existsSync(nowhere), false, "no data folder (and no liner.db) made");
  }
});

test("liner restore refuses an archive with a path outside its folder, a link or a device, and writes nothing", async () => {
  const dir = fs.mkdtempSync(path.join(env.dataDir, "crafted-"));
  const cases: [Parameters<typeof craftArchive>[1][number], string][] = [
    [{ name: "../evil", type: "file" }, "../evil"],
    [{ name: "/tmp/evil", type: "file" }, "/tmp/evil"],
    [{ name: "media/../../evil", type: "file" }, "media/../../evil"],
    [{ name: "media/passwd.webp", type: "symlink", linkname: "/etc/passwd" }, "media/passwd.webp"],
    [{ name: "media/hard.webp", type: "link", linkname: "/etc/passwd" }, "media/hard.webp"],
    [{ name: "media/tty.webp", type: "character-device" }, "media/tty.webp"],
  ];
  for (const [i, [entry, shown]] of cases.entries()) {
    const bad = await craftArchive(path.join(dir, `crafted${i}.tar.gz`), [entry]);
    const r = await liner(env, "restore", bad, "--force");
    assert.equal(r.code, 1, `${shown}: ${r.stderr}`);
    assert.equal(r.stderr, `liner: ${bad} is not a Liner Notes backup (unexpected entry ${JSON.stringify(shown)})\n`);
  }
  assert.equal(fs.existsSync(path.join(env.dataDir, "evil")), false);
  assert.equal(fs.existsSync(path.join(path.dirname(env.dataDir), "evil")), false);
});

test("liner restore refuses a site with content unless --force, which replaces all of it", async () => {
  const ctx = await env.open();
  try {
    await savePost(ctx, systemActor, { kind: "note", title: "Written after the backup", body: "x", status: "draft" });
  } finally {
    await closeContext(ctx);
  }
  fs.writeFileSync(path.join(env.dataDir, "media", "later.webp"), "later");

  const refused = await liner(env, "restore", file);
  assert.equal(refused.code, 1);
  const where = env.env.DATABASE_URL ?? path.join(env.dataDir, "liner.db");
  assert.equal(
    refused.stderr,
    `liner: the database at ${where} already has ${posts + 1} posts and 1 user, and the media folder ${path.join(env.dataDir, "media")} already has 2 files; use --force to replace them\n`,
  );

  const forced = await liner(env, "restore", file, "--force");
  assert.equal(forced.code, 0, forced.stderr);
  assert.match(
    forced.stdout,
    /^Restored \d+ tables \(\d+ rows\) and 1 media file from site\.tar\.gz \(made .+\) into /,
  );
  const after = await env.open();
  try {
    const titles = (await after.db.kysely.selectFrom("posts").select("title").execute()).map((p) => p.title);
    assert.equal(titles.length, posts);
    assert.ok(!titles.includes("Written after the backup"));
  } finally {
    await closeContext(after);
  }
  assert.deepEqual(fs.readdirSync(path.join(env.dataDir, "media")), ["cover-640.webp"]);
  assert.deepEqual(
    fs.readdirSync(env.dataDir).filter((f) => f.startsWith(".restore-")),
    [],
    "no staging folder left",
  );
});

test("liner restore fills an empty site without --force; files in its media folder are named as such", async () => {
  const empty = await cliEnv();
  try {
    const media = path.join(empty.dataDir, "media");
    fs.mkdirSync(media);
    fs.writeFileSync(path.join(media, "left-over.webp"), "x");
    const refused = await liner(empty, "restore", file);
    assert.equal(refused.code, 1);
    assert.equal(refused.stderr, `liner: the media folder ${media} already has 1 file; use --force to replace them\n`);
    fs.rmSync(media, { recursive: true });

    const r = await liner(empty, "restore", file);
    assert.equal(r.code, 0, r.stderr);
    const ctx = await empty.open();
    try {
      const users = await ctx.db.kysely.selectFrom("users").select("email").execute();
      assert.deepEqual(users, [{ email: "owner@example.com" }]);
    } finally {
      await closeContext(ctx);
    }
  } finally {
    await empty.cleanup();
  }
});

test("liner backup and liner export all refuse a data folder or database with no site, and create nothing", async () => {
  const blank = await cliEnv({ migrated: false });
  try {
    const out = path.join(blank.dataDir, "out");
    const where = blank.env.DATABASE_URL
      ? `no site in the database ${blank.env.DATABASE_URL} (no migrations applied): check DATABASE_URL`
      : `no site at ${blank.dataDir} (no liner.db there): check LINER_DATA`;
    for (const args of [
      ["backup", `${out}.tar.gz`],
      ["export", "all", out],
    ]) {
      const r = await liner(blank, ...args);
      assert.equal(r.code, 1, r.stderr);
      assert.equal(r.stderr, `liner: ${where}\n`);
    }
    assert.deepEqual(fs.readdirSync(blank.dataDir), [], "no liner.db, backup or export folder");
    if (!blank.env.DATABASE_URL) {
      const missing = path.join(blank.dataDir, "typo");
      const r = await runCli(["backup", `${out}.tar.gz`], { env: { ...blank.env, LINER_DATA: missing } });
      assert.equal(r.stderr, `liner: no site at ${missing} (no liner.db there): check LINER_DATA\n`);
      assert.equal(fs.existsSync(missing), false);
    }
  } finally {
    await blank.cleanup();
  }
});
