/** Argument parsing for `liner` commands on top of `node:util` parseArgs, with usage errors that exit 2. */
import { type ParseArgsOptionsConfig, parseArgs } from "node:util";
import { ValidationError } from "../lib/errors.ts";

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
  help: boolean;
}

/**
 * Parse a command's arguments. `names` lists the positional arguments it takes (all required).
 * Unknown options, missing or extra positionals throw UsageError.
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
    throw new UsageError((err as Error).message.split("\n")[0], command);
  }
  const values = parsed.values as Record<string, unknown>;
  const help = values.help === true;
  if (!help) {
    if (parsed.positionals.length < names.length) {
      throw new UsageError(`missing ${names[parsed.positionals.length]}`, command);
    }
    if (parsed.positionals.length > names.length + optional.length) {
      throw new UsageError(`unexpected argument: ${parsed.positionals[names.length + optional.length]}`, command);
    }
  }
  return { values: values as Record<keyof T, unknown>, positionals: parsed.positionals, help };
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
