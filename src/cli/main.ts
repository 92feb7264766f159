/**
 * The `liner` command line. Each command's module is imported only when that command runs,
 * so `liner search` never loads the web stack and `liner serve` starts fast.
 * Exit codes: 0 ok, 1 failure (bad input, failed files), 2 usage or configuration error.
 */
import { ConfigError } from "../lib/config.ts";
import { CliError, UsageError } from "./args.ts";
import { commandUsage, groups, overview, usageFor } from "./usage.ts";

/** A command: gets its arguments, returns an exit code, or "running" for long-lived processes. */
export type Command = (args: string[]) => Promise<number | "running">;

const commands: Record<string, () => Promise<Command>> = {
  init: async () => (await import("./commands/serve.ts")).init,
  serve: async () => (await import("./commands/serve.ts")).serve,
  worker: async () => (await import("./commands/worker.ts")).worker,
  "user add": async () => (await import("./commands/user.ts")).userAdd,
  "import markdown": async () => (await import("./commands/markdown.ts")).importMarkdown,
  "export markdown": async () => (await import("./commands/markdown.ts")).exportMarkdown,
  "post publish": async () => (await import("./commands/markdown.ts")).postPublish,
  search: async () => (await import("./commands/search.ts")).search,
  "feed parse": async () => (await import("./commands/feed.ts")).feedParse,
  "sources add": async () => (await import("./commands/sources.ts")).sourcesAdd,
  "sources import-opml": async () => (await import("./commands/sources.ts")).sourcesImportOpml,
  "sources export-opml": async () => (await import("./commands/sources.ts")).sourcesExportOpml,
  "sources poll": async () => (await import("./commands/sources.ts")).sourcesPoll,
  save: async () => (await import("./commands/save.ts")).save,
  "mail test": async () => (await import("./commands/mail.ts")).mailTest,
  "mail status": async () => (await import("./commands/mail.ts")).mailStatus,
  "mail send-post": async () => (await import("./commands/audience.ts")).mailSendPost,
  "lists add": async () => (await import("./commands/audience.ts")).listsAdd,
  "subscribers add": async () => (await import("./commands/audience.ts")).subscribersAdd,
  "subscribers import": async () => (await import("./commands/audience.ts")).subscribersImport,
  "subscribers export": async () => (await import("./commands/audience.ts")).subscribersExport,
  "digest draft": async () => (await import("./commands/digest.ts")).digestDraft,
  "digest send": async () => (await import("./commands/digest.ts")).digestSend,
  "digest list": async () => (await import("./commands/digest.ts")).digestList,
  "digest export": async () => (await import("./commands/digest.ts")).digestExport,
};

/** Run the CLI with `argv` (without node and the script). */
async function main(argv: string[]): Promise<number | "running"> {
  const [first, ...rest] = argv;
  if (first === undefined) throw new UsageError("missing command");
  if (first === "-h" || first === "--help") {
    process.stdout.write(overview);
    return 0;
  }
  if (first === "help") {
    const topic = rest.join(" ");
    if (topic && !commandUsage[topic] && !groups[topic]) throw new UsageError(`no help for "${topic}"`);
    process.stdout.write(topic ? usageFor(topic) : overview);
    return 0;
  }
  let name = first;
  let args = rest;
  if (groups[first]) {
    const sub = rest[0];
    if (sub === undefined || sub === "-h" || sub === "--help") {
      if (sub === undefined) throw new UsageError(`"${first}" needs a subcommand`, first);
      process.stdout.write(usageFor(first));
      return 0;
    }
    if (!groups[first].includes(sub)) throw new UsageError(`unknown command: ${first} ${sub}`, first);
    name = `${first} ${sub}`;
    args = rest.slice(1);
  }
  const load = commands[name];
  if (!load) throw new UsageError(`unknown command: ${first}`);
  return (await load())(args);
}

/** Print an error the way the CLI reports it and return the exit code. */
function report(err: unknown): number {
  if (err instanceof UsageError) {
    process.stderr.write(`liner: ${err.message}\n\n${usageFor(err.command)}`);
    return 2;
  }
  if (err instanceof ConfigError) {
    process.stderr.write(`liner: ${err.message}\n`);
    return 2;
  }
  if (err instanceof CliError) {
    process.stderr.write(`liner: ${err.message}\n`);
    return err.exitCode;
  }
  process.stderr.write(`liner: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  return 1;
}

/** Exit once stdout has been flushed (a piped stdout may still hold the last lines). */
function exit(code: number): void {
  process.stdout.write("", () => process.exit(code));
}

main(process.argv.slice(2)).then(
  (code) => {
    if (code !== "running") exit(code);
  },
  (err) => exit(report(err)),
);
