/**
 * Process plumbing for benchmarks: a work folder under bench/.work, child processes that are
 * always killed on exit (even on Ctrl-C or a thrown error), free loopback ports, and the
 * Debian tools a benchmark needs, installed on first use.
 */
import { type ChildProcess, type SpawnOptions, spawn, spawnSync } from "node:child_process";
import fs from "node:fs";
import net from "node:net";
import path from "node:path";
import { fileURLToPath } from "node:url";

/** Repository root (the folder holding package.json). */
export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");

const children = new Set<ChildProcess>();
const workDirs = new Set<string>();
let keepWork = false;

/** Leave work folders in place (for debugging a run). */
export function setKeepWork(keep: boolean): void {
  keepWork = keep;
}

function cleanupSync(): void {
  for (const child of children) {
    if (child.exitCode === null && child.signalCode === null && child.pid) {
      try {
        process.kill(child.pid, "SIGKILL");
      } catch {
        // Already gone.
      }
    }
  }
  children.clear();
  if (!keepWork) for (const dir of workDirs) fs.rmSync(dir, { recursive: true, force: true });
  workDirs.clear();
}

process.on("exit", cleanupSync);
for (const sig of ["SIGINT", "SIGTERM", "SIGHUP"] as const) {
  process.on(sig, () => {
    cleanupSync();
    process.exit(130);
  });
}

/** A fresh folder under bench/.work, removed when the process exits (unless --keep). */
export function makeWorkDir(name: string): string {
  const dir = path.join(repoRoot, "bench", ".work", `${name}-${process.pid}-${Date.now().toString(36)}`);
  fs.mkdirSync(dir, { recursive: true });
  workDirs.add(dir);
  return dir;
}

/** Remove a work folder now (large databases should not wait for exit). */
export function removeWorkDir(dir: string): void {
  if (keepWork) return;
  fs.rmSync(dir, { recursive: true, force: true });
  workDirs.delete(dir);
}

/** Spawn a tracked child: it is killed when the benchmark exits, whatever the reason. */
export function spawnTracked(cmd: string, args: string[], opts: SpawnOptions = {}): ChildProcess {
  const child = spawn(cmd, args, { stdio: ["ignore", "pipe", "pipe"], ...opts });
  children.add(child);
  child.on("exit", () => children.delete(child));
  return child;
}

/** Stop a child with SIGTERM, then SIGKILL after `graceMs`. Resolves when it has exited. */
export async function stopChild(child: ChildProcess, graceMs = 5000): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  child.kill("SIGTERM");
  const timer = setTimeout(() => child.kill("SIGKILL"), graceMs);
  await exited;
  clearTimeout(timer);
  children.delete(child);
}

/** Collect a child's output into a bounded buffer (the tail is what matters on failure). */
export function captureOutput(child: ChildProcess, maxChars = 20_000): () => string {
  let out = "";
  const add = (d: Buffer) => {
    out += d.toString();
    if (out.length > maxChars) out = out.slice(-maxChars);
  };
  child.stdout?.on("data", add);
  child.stderr?.on("data", add);
  return () => out;
}

/** Run a command to completion; resolves with exit code, wall time and output tail. */
export function runTimed(
  cmd: string,
  args: string[],
  opts: SpawnOptions & { timeoutMs?: number } = {},
): Promise<{ code: number | null; ms: number; output: string }> {
  const started = performance.now();
  const child = spawnTracked(cmd, args, opts);
  const output = captureOutput(child);
  const timer = opts.timeoutMs ? setTimeout(() => child.kill("SIGKILL"), opts.timeoutMs) : undefined;
  return new Promise((resolve, reject) => {
    child.once("error", reject);
    child.once("exit", (code) => {
      clearTimeout(timer);
      resolve({ code, ms: performance.now() - started, output: output() });
    });
  });
}

/** A port that is free on 127.0.0.1 right now. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.unref();
    srv.once("error", reject);
    srv.listen(0, "127.0.0.1", () => {
      const addr = srv.address();
      const port = typeof addr === "object" && addr ? addr.port : 0;
      srv.close(() => resolve(port));
    });
  });
}

/** Resolve a command on PATH (or in /usr/sbin, where Debian puts nginx). */
export function whichTool(cmd: string): string | undefined {
  const r = spawnSync("sh", ["-c", `command -v ${cmd}`], { encoding: "utf8" });
  const found = r.stdout.trim();
  if (r.status === 0 && found) return found;
  for (const dir of ["/usr/sbin", "/usr/bin", "/usr/local/bin"]) {
    const p = path.join(dir, cmd);
    if (fs.existsSync(p)) return p;
  }
  return undefined;
}

let aptUpdated = false;

/** Make sure the Debian tools exist, installing missing ones with apt-get. Returns their paths. */
export function ensureTools(tools: string[]): Record<string, string> {
  const missing = tools.filter((t) => !whichTool(t));
  if (missing.length) {
    console.log(`Installing ${missing.join(", ")} with apt-get ...`);
    const env = { ...process.env, DEBIAN_FRONTEND: "noninteractive" };
    // Another process (a teammate's install) may hold the dpkg lock: wait for it rather than fail.
    const lock = ["-o", "DPkg::Lock::Timeout=600"];
    if (!aptUpdated) {
      spawnSync("apt-get", [...lock, "update", "-qq"], { stdio: "inherit", env });
      aptUpdated = true;
    }
    const r = spawnSync("apt-get", [...lock, "install", "-y", "-qq", ...missing], { stdio: "inherit", env });
    if (r.status !== 0) throw new Error(`apt-get install ${missing.join(" ")} failed (exit ${r.status})`);
  }
  const paths: Record<string, string> = {};
  for (const t of tools) {
    const p = whichTool(t);
    if (!p) throw new Error(`${t} is not installed and could not be installed`);
    paths[t] = p;
  }
  return paths;
}

/** Resident set size of a process in MB, from /proc/<pid>/status (undefined if it is gone). */
export function rssMb(pid: number): number | undefined {
  try {
    const status = fs.readFileSync(`/proc/${pid}/status`, "utf8");
    const m = status.match(/^VmRSS:\s+(\d+)\s+kB/m);
    return m ? Number(m[1]) / 1024 : undefined;
  } catch {
    return undefined;
  }
}
