/**
 * Test support for driving `liner`: a temporary data folder with a migrated database in it, or on
 * PostgreSQL (when DATABASE_URL is set) a database of its own, passed in LINER_DATA and
 * DATABASE_URL exactly as a user's environment would be. `runCli` runs a command in this process
 * through the CLI's `main(argv, streams)` (the same code `bin/liner.js` runs, with buffers for the
 * streams); `runCliProcess` and `startServe` start real `liner` processes, for what only a process
 * shows (signals, exit, forking, a first start from nothing).
 */
import { execFile, spawn } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { Readable } from "node:stream";
import { fileURLToPath } from "node:url";
import { loadConfig } from "../lib/config.ts";
import { type AppContext, createContext } from "../lib/context.ts";
import type { Output } from "../lib/module.ts";
import { freshDatabase, TEST_PASSWORD_HASH } from "../lib/testing.ts";
import { main } from "./main.ts";

export const linerBin = fileURLToPath(new URL("../../bin/liner.js", import.meta.url));

export interface CliEnv {
  env: NodeJS.ProcessEnv;
  dataDir: string;
  /** Open a context on the same database the CLI uses (close it with closeContext). */
  open(now?: () => Date): Promise<AppContext>;
  cleanup(): Promise<void>;
}

/**
 * A data folder and a fresh, migrated database for CLI runs; with `{ migrated: false }`, a
 * database without any tables (SQLite: no file at all), as on a first start.
 */
export async function cliEnv(opts: { migrated?: boolean } = {}): Promise<CliEnv> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "liner-cli-"));
  const env: NodeJS.ProcessEnv = { ...process.env, LINER_DATA: dataDir, LINER_LOG: "silent" };
  for (const k of ["NODE_TEST_CONTEXT", "LINER_BASE_URL", "HOST", "PORT", "LINER_SECRET", "NODE_OPTIONS", "SMTP_URL"])
    delete env[k];
  const db = await freshDatabase(process.env.DATABASE_URL, dataDir, opts);
  if (db.url) env.DATABASE_URL = db.url;
  else if (opts.migrated !== false) fs.renameSync(db.sqlitePath as string, path.join(dataDir, "liner.db"));
  return {
    env,
    dataDir,
    open: (now) => createContext(loadConfig(env), now ? { now } : {}),
    async cleanup() {
      await db.drop();
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

export interface RunResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** A buffer that collects what a command writes. */
function buffer(): Output & { text: string } {
  return {
    text: "",
    isTTY: false,
    write(s: string) {
      this.text += s;
      return true;
    },
  };
}

/**
 * Run `liner ARGS` to completion in this process, optionally feeding stdin. Passwords are hashed
 * at the test cost (a real process uses the real one).
 */
export async function runCli(args: string[], opts: { env: NodeJS.ProcessEnv; input?: string }): Promise<RunResult> {
  const stdout = buffer();
  const stderr = buffer();
  const code = await main(args, {
    stdout,
    stderr,
    stdin: Readable.from([Buffer.from(opts.input ?? "")]),
    env: opts.env,
    config: { passwordHash: TEST_PASSWORD_HASH },
  });
  if (code === "running") throw new Error(`liner ${args.join(" ")} keeps running: start it with startServe`);
  return { code, stdout: stdout.text, stderr: stderr.text };
}

/** Run `liner ARGS` as a child process to completion, optionally feeding stdin. */
export function runCliProcess(
  args: string[],
  opts: { env: NodeJS.ProcessEnv; input?: string; cwd?: string; timeoutMs?: number },
): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    const child = execFile(
      process.execPath,
      [linerBin, ...args],
      { env: opts.env, cwd: opts.cwd, timeout: opts.timeoutMs ?? 60_000, maxBuffer: 16 * 1024 * 1024 },
      (error, stdout, stderr) => {
        const code = error && typeof error.code === "number" ? error.code : error ? -1 : 0;
        if (error && code === -1) reject(new Error(`liner ${args.join(" ")} failed: ${error.message}\n${stderr}`));
        else resolve({ code, stdout, stderr });
      },
    );
    child.stdin?.end(opts.input ?? "");
  });
}

export interface Served {
  url: string;
  output: () => string;
  /** Send SIGTERM and resolve with the exit code. */
  stop(): Promise<number | null>;
}

/** Start `liner serve ARGS` and resolve once it prints the URL it is running at. */
export function startServe(args: string[], env: NodeJS.ProcessEnv): Promise<Served> {
  const child = spawn(process.execPath, [linerBin, "serve", ...args], { env, stdio: ["ignore", "pipe", "pipe"] });
  let out = "";
  const exited = new Promise<number | null>((r) => child.on("exit", (code) => r(code)));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill("SIGKILL");
      reject(new Error(`serve did not start:\n${out}`));
    }, 20_000);
    const onData = (d: Buffer) => {
      out += d.toString();
      const m = out.match(/running at (http:\/\/\S+)/);
      if (m) {
        clearTimeout(timer);
        resolve({
          url: m[1],
          output: () => out,
          stop: () => {
            child.kill("SIGTERM");
            return exited;
          },
        });
      }
    };
    child.stdout.on("data", onData);
    child.stderr.on("data", onData);
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`serve exited with ${code} before starting:\n${out}`));
    });
  });
}

/** Copy a folder of test data to a temporary place (tests may change files). */
export function copyTestdata(from: string): string {
  const to = fs.mkdtempSync(path.join(os.tmpdir(), "liner-md-"));
  fs.cpSync(from, to, { recursive: true });
  return to;
}
