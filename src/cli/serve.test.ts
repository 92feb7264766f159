/**
 * `liner serve` and `liner worker` as processes: signals, forking, the port, the address it last
 * served. The database is only a backdrop here (several processes on one PostgreSQL database are
 * cli/processes.test.ts), so this runs on the SQLite lane.
 */
// test lanes: sqlite only
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import fs from "node:fs";
import http from "node:http";
import type { AddressInfo } from "node:net";
import os from "node:os";
import path from "node:path";
import { afterEach, beforeEach, test } from "node:test";
import { type CliEnv, cliEnv, linerBin, runCli, runCliProcess, startServe } from "./testing.ts";

let e: CliEnv;
beforeEach(async () => {
  e = await cliEnv();
});
afterEach(async () => e.cleanup());

test("worker keeps running until SIGTERM, then exits cleanly", async () => {
  const child = spawn(process.execPath, [linerBin, "worker"], { env: e.env, stdio: ["ignore", "pipe", "pipe"] });
  const exited = new Promise<number | null>((r) => child.on("exit", (code) => r(code)));
  let out = "";
  await new Promise<void>((resolve, reject) => {
    child.stdout.on("data", (d: Buffer) => {
      out += d.toString();
      if (out.includes("worker running")) resolve();
    });
    void exited.then(() => reject(new Error(`worker exited early: ${out}`)));
  });
  child.kill("SIGTERM");
  assert.equal(await exited, 0);
});

test("serve seeds the demo, prints the setup link with the real port, answers HTTP, stops on SIGTERM", async () => {
  const s = await startServe(["--host", "127.0.0.1", "--port", "0"], e.env);
  try {
    assert.match(s.url, /^http:\/\/127\.0\.0\.1:\d+$/);
    assert.doesNotMatch(s.url, /:0$/);
    assert.match(s.output(), /Seeded a demo site/);
    assert.ok(s.output().includes(`${s.url}/setup/`), s.output());
    const home = await fetch(`${s.url}/`);
    assert.equal(home.status, 200);
    assert.match(await home.text(), /Picture the forward/);
    // A restore under the running server is refused; a stale pid file (a killed one) is not.
    const backup = path.join(e.dataDir, "any.tar.gz");
    fs.writeFileSync(backup, "checked only after");
    const refused = await runCli(["restore", backup], { env: e.env });
    assert.equal(refused.code, 1);
    assert.match(
      refused.stderr,
      new RegExp(
        `^liner: a Liner Notes server \\(pid \\d+\\) is running on ${e.dataDir}: stop it first \\(if it is not running, remove .+\\.pid\\)\n$`,
      ),
    );
  } finally {
    assert.equal(await s.stop(), 0);
  }
  assert.deepEqual(
    fs.readdirSync(e.dataDir).filter((f) => f.endsWith(".pid")),
    [],
    "removed on exit",
  );
  fs.writeFileSync(path.join(e.dataDir, "liner.4194999.pid"), "{}");
  const stale = await runCli(["restore", path.join(e.dataDir, "any.tar.gz")], { env: e.env });
  assert.match(stale.stderr, /any\.tar\.gz is not a backup/);
});

test("without LINER_BASE_URL, CLI links use the address `liner serve` last served, with a note", async () => {
  const s = await startServe(["--host", "127.0.0.1", "--port", "0"], e.env);
  assert.equal(await s.stop(), 0);
  const note = "(the address `liner serve` last used; set LINER_BASE_URL for the public address)";
  const init = await runCli(["init"], { env: e.env });
  assert.ok(init.stdout.includes(`  ${s.url}/setup/`), init.stdout);
  assert.ok(init.stdout.endsWith(`  ${note}\n`), init.stdout);
  const add = await runCli(["user", "add", "ann@example.com", "--role", "owner", "--password-stdin"], {
    env: e.env,
    input: "correct horse battery staple",
  });
  assert.equal(add.code, 0, add.stderr);
  const reset = await runCli(["user", "reset-password", "ann@example.com"], { env: e.env });
  assert.match(reset.stdout, new RegExp(`\n  ${s.url}/reset-password/[\\w-]+\n  \\(the address`));
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "liner-served-"));
  try {
    const file = path.join(dir, "served.md");
    fs.writeFileSync(file, "---\ntitle: Served\n---\n\nHello.\n");
    const post = await runCli(["post", "publish", file], { env: e.env });
    assert.equal(post.stdout, `${s.url}/posts/served\n`, post.stderr);
    assert.ok(post.stderr.includes(note), post.stderr);
    const out = path.join(dir, "export");
    assert.equal((await runCli(["export", "all", out], { env: e.env })).code, 0);
    assert.match(
      fs.readFileSync(path.join(out, "README.txt"), "utf8"),
      new RegExp(`^Liner Notes: an export of ${s.url},`),
    );
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
  const set = await runCli(["user", "reset-password", "ann@example.com"], {
    env: { ...e.env, LINER_BASE_URL: "https://notes.example" },
  });
  assert.match(set.stdout, /\n {2}https:\/\/notes\.example\/reset-password\/[\w-]+\n$/, "no note: the address is set");
});

test("serve --processes 2 forks web workers that share the port; SIGTERM stops them all", async () => {
  const s = await startServe(["--host", "127.0.0.1", "--port", "0", "--processes", "2"], e.env);
  try {
    assert.match(s.output(), /\(2 processes\)/);
    assert.ok(s.output().includes(`${s.url}/setup/`), s.output());
    const pages = await Promise.all(Array.from({ length: 6 }, () => fetch(`${s.url}/about`)));
    assert.deepEqual(
      pages.map((r) => r.status),
      [200, 200, 200, 200, 200, 200],
    );
  } finally {
    assert.equal(await s.stop(), 0);
  }
});

test("serve on a port another program holds says so in one line and exits 1", async () => {
  const holder = http.createServer();
  await new Promise<void>((r) => holder.listen(0, "127.0.0.1", r));
  try {
    const port = (holder.address() as AddressInfo).port;
    const line = `liner: 127.0.0.1:${port} is in use by another program: stop it, or choose another port (PORT or --port)\n`;
    const r = await runCliProcess(["serve", "--host", "127.0.0.1", "--port", String(port), "--no-jobs"], {
      env: e.env,
    });
    assert.equal(r.code, 1);
    assert.equal(r.stderr, line);
    // With several processes too: said once, before forking (it used to fork failing workers forever).
    const many = await runCliProcess(["serve", "--host", "127.0.0.1", "--port", String(port), "--processes", "2"], {
      env: e.env,
      timeoutMs: 20_000,
    });
    assert.equal(many.code, 1);
    assert.equal(many.stderr, line);
  } finally {
    await new Promise((r) => holder.close(r));
  }
});
