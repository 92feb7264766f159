/** Start and stop `liner serve` as a child process, exactly as a user would run it. */
import type { ChildProcess } from "node:child_process";
import path from "node:path";
import { waitFor200 } from "./http.ts";
import { captureOutput, freePort, repoRoot, spawnTracked, stopChild } from "./proc.ts";

let linerRoot = repoRoot;

/** Benchmark another checkout of Liner (e.g. a branch, to compare) instead of this one. */
export function setLinerRoot(dir: string): void {
  linerRoot = path.resolve(dir);
}

/** The `liner` entry point of the checkout under test, and the folder to run it in. */
export function linerBin(): { bin: string; cwd: string } {
  return { bin: path.join(linerRoot, "bin", "liner.js"), cwd: linerRoot };
}

export interface LinerServer {
  child: ChildProcess;
  pid: number;
  url: string;
  /** ms from spawn to the first 200 on the ready path. */
  readyMs: number;
  output(): string;
  stop(): Promise<void>;
}

export interface LinerOptions {
  dataDir: string;
  databaseUrl?: string;
  pageCache?: boolean;
  /** Path polled until it answers 200 (default "/"). */
  readyPath?: string;
  env?: Record<string, string>;
  /** Extra `liner serve` arguments, e.g. ["--processes", "2"]. */
  args?: string[];
  /** Run background jobs in the server process (default false: `--no-jobs`). */
  jobs?: boolean;
}

/** Environment for a Liner child: ours, minus anything that would point it elsewhere. */
export function linerEnv(opts: { dataDir: string; databaseUrl?: string; extra?: Record<string, string> }) {
  const env: Record<string, string> = {};
  for (const [k, v] of Object.entries(process.env)) {
    if (v !== undefined && !k.startsWith("LINER_") && k !== "DATABASE_URL" && k !== "HOST" && k !== "PORT") env[k] = v;
  }
  env.LINER_DATA = opts.dataDir;
  env.LINER_LOG = "warn";
  env.NODE_ENV = "production";
  if (opts.databaseUrl) env.DATABASE_URL = opts.databaseUrl;
  return { ...env, ...opts.extra };
}

/** `liner serve --host 127.0.0.1 --port <free> --no-jobs` (jobs on with `jobs: true`), resolved once it answers 200. */
export async function startLiner(opts: LinerOptions): Promise<LinerServer> {
  const port = await freePort();
  const env = linerEnv({
    dataDir: opts.dataDir,
    databaseUrl: opts.databaseUrl,
    // HOST/PORT too, in case this CLI version does not parse the flags yet.
    extra: {
      HOST: "127.0.0.1",
      PORT: String(port),
      LINER_PAGE_CACHE: opts.pageCache === false ? "0" : "1",
      ...opts.env,
    },
  });
  const started = performance.now();
  const { bin, cwd } = linerBin();
  const child = spawnTracked(
    process.execPath,
    [
      bin,
      "serve",
      "--host",
      "127.0.0.1",
      "--port",
      String(port),
      ...(opts.jobs ? [] : ["--no-jobs"]),
      ...(opts.args ?? []),
    ],
    {
      env,
      cwd,
    },
  );
  const output = captureOutput(child);
  const url = `http://127.0.0.1:${port}`;
  let readyMs: number;
  try {
    readyMs = await waitFor200(`${url}${opts.readyPath ?? "/"}`, {
      since: started,
      deadlineMs: 60_000,
      alive: () => child.exitCode === null && child.signalCode === null,
    });
  } catch (err) {
    await stopChild(child);
    throw new Error(`${(err as Error).message}\n--- liner output ---\n${output().slice(-4000)}`);
  }
  return { child, pid: child.pid!, url, readyMs, output, stop: () => stopChild(child) };
}
