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
  {
    name: "user reset-password",
    overview: "  user reset-password EMAIL       Print a one-time link that sets a new password for an account\n",
    usage: `Usage: liner user reset-password EMAIL

Prints a link that sets a new password for the account with this email, for when its owner
cannot sign in and email is not set up. The link works once, for an hour; it voids earlier
links, and using it signs the account out everywhere else.
`,
    load: async () => (await import("./cli.ts")).userResetPassword,
  },
];
