/**
 * What every `liner` command uses, whichever module it belongs to: argument parsing on top of
 * `node:util` parseArgs (usage errors exit 2, `--help` prints the command's usage), the two
 * error classes the CLI reports without a stack, and an open context that is always closed.
 */
import { type ParseArgsOptionsConfig, parseArgs } from "node:util";
import type { AppContext } from "./context.ts";
import { ValidationError } from "./errors.ts";
import type { CliIo, Output } from "./module.ts";

/** Wrong command line: the CLI prints the message and the command's usage on stderr and exits 2. */
export class UsageError extends Error {
  /** The command whose usage to show ("" for the top level). */
  readonly command: string;
  constructor(message: string, command = "") {
    super(message);
    this.name = "UsageError";
    this.command = command;
  }
}

/** `--help` was given: the CLI prints the command's usage on stdout and exits 0. */
export class HelpRequest extends Error {
  readonly command: string;
  constructor(command: string) {
    super(`help for ${command}`);
    this.name = "HelpRequest";
    this.command = command;
  }
}

/** A failure the user can fix (bad input, missing folder): one line on stderr, exit 1. */
export class CliError extends Error {
  readonly exitCode: number;
  constructor(message: string, exitCode = 1) {
    super(message);
    this.name = "CliError";
    this.exitCode = exitCode;
  }
}

export interface Parsed<T> {
  values: T;
  positionals: string[];
}

/**
 * Parse a command's arguments. `names` lists the positional arguments it takes (all required).
 * Unknown options, missing or extra positionals throw UsageError; `--help` throws HelpRequest.
 */
export function parseCommand<T extends ParseArgsOptionsConfig>(
  command: string,
  args: string[],
  options: T,
  names: string[] = [],
  optional: string[] = [],
): Parsed<Record<keyof T, unknown>> {
  let parsed: ReturnType<typeof parseArgs>;
  try {
    parsed = parseArgs({
      args,
      options: { ...options, help: { type: "boolean", short: "h" } },
      allowPositionals: true,
      strict: true,
    });
  } catch (err) {
    // Node's own advice about '--' (for positionals starting with '-') confuses more than it helps.
    const first = (err as Error).message.split("\n")[0].replace(/\. To specify a positional argument.*$/, "");
    throw new UsageError(first.charAt(0).toLowerCase() + first.slice(1), command);
  }
  const values = parsed.values as Record<string, unknown>;
  if (values.help === true) throw new HelpRequest(command);
  if (parsed.positionals.length < names.length) {
    throw new UsageError(`missing ${names[parsed.positionals.length]}`, command);
  }
  if (parsed.positionals.length > names.length + optional.length) {
    throw new UsageError(`unexpected argument: ${parsed.positionals[names.length + optional.length]}`, command);
  }
  return { values: values as Record<keyof T, unknown>, positionals: parsed.positionals };
}

/** Parse a whole number flag within [min, max], or throw UsageError naming the flag. */
export function intFlag(command: string, flag: string, value: unknown, min: number, max: number): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (typeof value !== "string" || !/^\d+$/.test(value) || n < min || n > max) {
    throw new UsageError(
      `--${flag} must be a whole number from ${min} to ${max} (got ${JSON.stringify(value)})`,
      command,
    );
  }
  return n;
}

/** Run a service call for a command: its ValidationErrors (which name a field) become plain failures (exit 1). */
export async function plainErrors<T>(run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (err) {
    if (err instanceof ValidationError) throw new CliError(err.message);
    throw err;
  }
}

/**
 * Run `fn` with a context opened for the command, and always close it so the process can exit.
 * With `mustExist`, a database that is not a site yet is refused instead of created.
 */
export async function withContext<T>(
  io: CliIo,
  fn: (ctx: AppContext) => Promise<T>,
  opts: { mustExist?: boolean } = {},
): Promise<T> {
  const ctx = await io.openContext(undefined, undefined, opts);
  try {
    return await fn(ctx);
  } finally {
    await io.closeContext(ctx);
  }
}

/** A function that prints one line on `out`. */
export function lineWriter(out: Output): (line: string) => void {
  return (line) => {
    out.write(`${line}\n`);
  };
}

/** Everything on standard input, as text. */
export async function readAll(stdin: NodeJS.ReadableStream): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of stdin) chunks.push(typeof chunk === "string" ? Buffer.from(chunk) : (chunk as Buffer));
  return Buffer.concat(chunks).toString("utf8");
}
