#!/usr/bin/env node
// Entry point for the `liner` CLI. The source is TypeScript run through Node's built-in type
// stripping (on by default from Node 22.18), so there is no build step.
import module from "node:module";

const [major, minor] = process.versions.node.split(".").map(Number);
if (major < 22 || (major === 22 && minor < 18)) {
  process.stderr.write(
    `liner: Node.js 22.18 or newer is required (this is ${process.version}).\n` +
      'On a machine with an older Node, run: eval "$(bash scripts/bootstrap-node.sh)" to use Node 24 from .tools/\n',
  );
  process.exit(2);
}

// Keep compiled, type-stripped modules between runs (in the OS temp folder; NODE_COMPILE_CACHE
// moves it, NODE_DISABLE_COMPILE_CACHE=1 turns it off). Besides a faster start, a warm cache means
// Node never loads its TypeScript stripper, a WebAssembly module that keeps ~15 MB of memory.
module.enableCompileCache?.();

// Long-running processes: the web server and the job worker (whose mail sends are memory-bound).
if (process.argv[2] === "serve" || process.argv[2] === "worker") tuneServer();
await (await import("../src/cli/main.ts")).run();

/**
 * A long-running process (web server, worker) starts again as itself (execve: same process id, same arguments)
 * with a smaller V8 young generation and fewer glibc malloc arenas. V8 grows the young generation
 * to 2 × 16 MB under load and each thread that allocates gets its own malloc arena; together they
 * were ~60 MB of the server's memory (see docs/benchmarks.md), with no gain in requests/s.
 * Nothing happens when the flag is already set (by the user, or after this restart), or where
 * execve does not exist (Windows).
 */
function tuneServer() {
  const flag = "--max-semi-space-size";
  const given = [...process.execArgv, ...(process.env.NODE_OPTIONS ?? "").split(/\s+/)];
  if (given.some((a) => a.replaceAll("_", "-").startsWith(flag))) return;
  if (typeof process.execve !== "function" || process.platform === "win32") return;
  const env = { MALLOC_ARENA_MAX: "2", ...process.env };
  const args = [process.execPath, `${flag}=4`, ...process.execArgv, ...process.argv.slice(1)];
  try {
    process.execve(process.execPath, args, env);
  } catch {
    // Not allowed here (e.g. a sandbox): run untuned rather than not at all.
  }
}
