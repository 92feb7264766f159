/** The auth module's `liner` commands: their help texts, and their code loaded when they run. */
import type { CliCommandSpec } from "../lib/module.ts";

export const authCommands: CliCommandSpec[] = [
  {
    name: "user add",
    overview:
      "  user add EMAIL --role ROLE --password-stdin [--name NAME]\n                                  Create a staff account (owner, editor or author)\n",
    usage: `Usage: liner user add EMAIL --role owner|editor|author --password-stdin [--name NAME]

Creates a staff account. The password is read from standard input (at least 10 characters):
  printf '%s' "$PASSWORD" | liner user add ana@example.com --role editor --password-stdin
`,
    load: async () => (await import("./cli.ts")).userAdd,
  },
];
