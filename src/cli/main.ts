/**
 * The `liner` command line: the shell's own commands (init, serve, worker) and the commands each
 * module declares (src/modules.ts). A command's code is imported only when it runs, so
 * `liner search` never loads the web stack and `liner serve` starts fast.
 * Exit codes: 0 ok; 2 the command line does not fit the usage (unknown command or option, a missing
 * or extra argument, a value in a form the usage rules out: "abc" for an ID, a day that does not
 * exist, a choice not listed) or a bad configuration; 1 a well-formed value that is wrong (no such
 * id, slug, list, theme or file; an invalid address) or a failure. Both are one line on stderr
 * (usage errors add the usage), never a stack trace: a module's NotFoundError, ValidationError,
 * storage failures (a full disk, a read-only database: lib/db/storage-errors.ts) and file system
 * errors are reported here, whichever command threw them.
 *
 * `main(argv, streams)` runs one command to its exit code; tests call it in-process with buffers
 * for streams. `bin/liner.js` calls `run()`, which uses the process's streams and exits.
 */
import { CliError, HelpRequest, UsageError } from "../lib/cli.ts";
import { ConfigError, loadConfig } from "../lib/config.ts";
import { type StoragePlace, storageErrorOf, storagePlace } from "../lib/db/storage-errors.ts";
import { statusOf } from "../lib/errors.ts";
import type { CliStreams } from "../lib/module.ts";
import { cliIo } from "./context.ts";
import { commandSpec, groups, overview, usageFor } from "./usage.ts";

/** Run the CLI with `argv` (without node and the script): the exit code, or "running" for servers. */
export async function main(argv: string[], streams: CliStreams): Promise<number | "running"> {
  try {
    return await dispatch(argv, streams);
  } catch (err) {
    return report(err, streams);
  }
}

async function dispatch(argv: string[], streams: CliStreams): Promise<number | "running"> {
  const [first, ...rest] = argv;
  if (first === undefined) throw new UsageError("missing command");
  if (first === "-h" || first === "--help") {
    streams.stdout.write(overview);
    return 0;
  }
  if (first === "help") {
    const topic = rest.join(" ");
    if (topic && !commandSpec(topic) && !groups[topic]) throw new UsageError(`no help for "${topic}"`);
    streams.stdout.write(topic ? usageFor(topic) : overview);
    return 0;
  }
  let name = first;
  let args = rest;
  if (groups[first]) {
    const sub = rest[0];
    if (sub === undefined || sub === "-h" || sub === "--help") {
      if (sub === undefined) throw new UsageError(`"${first}" needs a subcommand`, first);
      streams.stdout.write(usageFor(first));
      return 0;
    }
    if (!groups[first].includes(sub)) throw new UsageError(`unknown command: ${first} ${sub}`, first);
    name = `${first} ${sub}`;
    args = rest.slice(1);
  }
  const spec = commandSpec(name);
  if (!spec) throw new UsageError(`unknown command: ${first}`);
  return (await spec.load())(args, cliIo(streams));
}

/** Print an error the way the CLI reports it and return the exit code. */
function report(err: unknown, streams: CliStreams): number {
  if (err instanceof HelpRequest) {
    streams.stdout.write(usageFor(err.command));
    return 0;
  }
  if (err instanceof UsageError) {
    streams.stderr.write(`liner: ${err.message}\n\n${usageFor(err.command)}`);
    return 2;
  }
  if (err instanceof ConfigError) {
    streams.stderr.write(`liner: ${err.message}\n`);
    return 2;
  }
  if (err instanceof CliError) {
    streams.stderr.write(`liner: ${err.message}\n`);
    return err.exitCode;
  }
  // A service's own errors (no such digest, bad input) are the user's to fix: one line, exit 1.
  if (isUserError(err)) {
    streams.stderr.write(`liner: ${err.message}\n`);
    return 1;
  }
  // A full disk or a read-only database or folder: where, in one line (not SQLite's words).
  const storage = storageErrorOf(err, placeOf(streams));
  if (storage) {
    streams.stderr.write(`liner: ${storage.message}\n`);
    return 1;
  }
  // A file or folder named on the command line that cannot be used, whichever command met it.
  const fileProblem = fileError(err);
  if (fileProblem) {
    streams.stderr.write(`liner: ${fileProblem}\n`);
    return 1;
  }
  streams.stderr.write(`liner: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  return 1;
}

/** NotFoundError, ValidationError, or an HttpError below 500: a message meant for the user. */
function isUserError(err: unknown): err is Error {
  return err instanceof Error && statusOf(err) < 500;
}

/** The data folder and database the command used (its contexts open this configuration). */
function placeOf(streams: CliStreams): StoragePlace {
  try {
    return storagePlace(loadConfig(streams.env, streams.config));
  } catch {
    return {}; // a bad configuration was reported before anything could fail on a disk
  }
}

const fileErrors: Record<string, string> = {
  ENOENT: "no such file or folder",
  EEXIST: "already exists (and is not a folder)",
  ENOTDIR: "not a folder",
  EISDIR: "a folder, not a file",
  EACCES: "permission denied",
  EPERM: "permission denied",
  EROFS: "on a read-only file system",
  ENOSPC: "no space left on the device",
};

/** "PATH: what is wrong" for a file system error on a path, else undefined. */
function fileError(err: unknown): string | undefined {
  const e = err as NodeJS.ErrnoException;
  if (!(err instanceof Error) || typeof e.path !== "string" || !e.code || !fileErrors[e.code]) return undefined;
  return `${e.path}: ${fileErrors[e.code]}`;
}

/** `liner` as a process: the process's streams and environment; exits once stdout is flushed. */
export async function run(): Promise<void> {
  const code = await main(process.argv.slice(2), {
    stdout: process.stdout,
    stderr: process.stderr,
    stdin: process.stdin,
    env: process.env,
  });
  // A piped stdout may still hold the last lines.
  if (code !== "running") process.stdout.write("", () => process.exit(code));
}
