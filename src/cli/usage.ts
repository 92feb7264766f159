/**
 * Help texts for `liner help`, `liner <command> --help` and usage errors: the shell's own commands
 * (init, serve, worker) and every module's commands (src/modules.ts), in module order.
 */
import type { CliCommandSpec } from "../lib/module.ts";
import { modules } from "../modules.ts";

/** The shell's commands: the server, the worker, and setting up a data folder. */
const shellCommands: CliCommandSpec[] = [
  {
    name: "init",
    overview:
      "  init                            Create the data folder and database, seed a demo site on an\n                                  empty database, and print the one-time owner setup link\n",
    usage: `Usage: liner init

Creates the data folder and the database (running migrations), seeds a small demo site when
the database has no posts, and prints a one-time link to create the owner account when there
are no staff accounts yet.
`,
    load: async () => (await import("./commands/serve.ts")).init,
  },
  {
    name: "serve",
    overview:
      "  serve [--host H] [--port P] [--no-jobs] [--processes N]\n                                  Serve the site (runs background jobs too, unless --no-jobs)\n",
    usage: `Usage: liner serve [--host H] [--port P] [--no-jobs] [--processes N]

Serves the site. On an empty database it first seeds the demo site; while there are no staff
accounts it prints a one-time owner setup link. Background jobs (scheduled publishing) run in
the same process unless --no-jobs is given (then run \`liner worker\` separately).

Options:
  --host H      address to listen on (default: HOST or 127.0.0.1)
  --port P      port to listen on, 0 for any free port (default: PORT or 4321)
  --no-jobs     do not run background jobs in this process
  --processes N serve from N processes sharing the port (e.g. one per core); the first
                process runs background jobs and forks the others (default 1)
`,
    load: async () => (await import("./commands/serve.ts")).serve,
  },
  {
    name: "worker",
    overview: "  worker [--once]                 Run background jobs only\n",
    usage: `Usage: liner worker [--once]

Runs background jobs (scheduled publishing) without serving the site, until stopped with
Ctrl-C or SIGTERM. Safe to run beside any number of web processes on PostgreSQL.

Options:
  --once        run the jobs that are due now, then exit
`,
    load: async () => (await import("./commands/worker.ts")).worker,
  },
];

/** Every command, in the order `liner help` lists them. */
export const commands: CliCommandSpec[] = [...shellCommands, ...modules.flatMap((m) => m.cli ?? [])];

const byName = new Map(commands.map((c) => [c.name, c]));

/** The spec of a command ("search", "digest draft"), if there is one. */
export function commandSpec(name: string): CliCommandSpec | undefined {
  return byName.get(name);
}

/** Commands that take a subcommand ("sources"), with their subcommands. */
export const groups: Record<string, string[]> = {};
for (const c of commands) {
  const [group, sub] = c.name.split(" ");
  if (sub) groups[group] = [...(groups[group] ?? []), sub];
}

export const overview = `Usage: liner <command> [options]

Commands:
${commands.map((c) => c.overview).join("")}  help [COMMAND]                  Show help for a command

Environment:
  LINER_DATA       data folder (default ./data)
  DATABASE_URL     postgres://... to use PostgreSQL instead of the embedded SQLite
  LINER_BASE_URL   public URL of the site (default http://HOST:PORT)
  HOST, PORT       where serve listens (default 127.0.0.1:4321)
  SMTP_URL         smtp://user:pass@host:587 or smtps://... for outgoing email
  LINER_MAIL_FROM  the From address, e.g. "Ann <ann@example.com>"

Exit status:
  0  done
  1  a value that is wrong (no such id, slug, list or file; an invalid address) or a failure
  2  the command line does not fit the usage (unknown command or option, missing or extra
     argument, a value in the wrong form such as "abc" for an ID), or a bad setting
`;

/** Usage for a command name like "serve" or "user add"; groups list their subcommands. */
export function usageFor(command: string): string {
  const spec = byName.get(command);
  if (spec) return spec.usage;
  const subs = groups[command];
  // Each subcommand's synopsis: its usage up to the first blank line (one line, or several forms).
  if (subs) return `${subs.map((s) => (byName.get(`${command} ${s}`)?.usage ?? "").split("\n\n")[0]).join("\n")}\n`;
  return overview;
}
