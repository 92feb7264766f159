/** The mail module's `liner` commands: their help texts, and their code loaded when they run. */
import type { CliCommandSpec } from "../lib/module.ts";

export const mailCommands: CliCommandSpec[] = [
  {
    name: "mail test",
    overview: "  mail test EMAIL                 Send a test message through SMTP_URL now and show the answer\n",
    usage: `Usage: liner mail test EMAIL

Sends one test message to EMAIL through SMTP_URL now (not through the background worker) and
prints the server's answer; exit 1 with the reason when it was refused or could not connect.
`,
    load: async () => (await import("./cli.ts")).mailTest,
  },
  {
    name: "mail status",
    overview: "  mail status [ID]                Recent sends, or one send's progress (rate, ETA)\n",
    usage: `Usage: liner mail status [ID]

Without ID: the recent sends with their progress. With ID: that send's progress (sent of total,
failed, suppressed, rate and ETA); on a terminal a progress bar follows it until it is done.
`,
    load: async () => (await import("./cli.ts")).mailStatus,
  },
];
