/** The audience module's `liner` commands: their help texts, and their code loaded when they run. */
import type { CliCommandSpec } from "../lib/module.ts";

export const audienceCommands: CliCommandSpec[] = [
  {
    name: "mail send-post",
    overview:
      "  mail send-post SLUG --list SLUG...\n                                  Email a published post to the confirmed subscribers of lists\n",
    usage: `Usage: liner mail send-post SLUG --list SLUG... [--count-opens]

Queues the new-post email of the published post SLUG to the confirmed subscribers of each
--list (an address on several lists gets it once). A running \`liner serve\` or \`liner worker\`
delivers it; follow it with \`liner mail status ID\`. Clicks on its links are counted per link
(never per person). --count-opens adds a tracking image to count opens of this send (off by default).
`,
    load: async () => (await import("./cli.ts")).mailSendPost,
  },
  {
    name: "lists add",
    overview:
      "  lists add SLUG --name NAME [--private] [--promise TEXT]\n                                  Create a list (public lists are offered at /subscribe)\n",
    usage: `Usage: liner lists add SLUG --name NAME [--private] [--promise TEXT]

Creates a list. --promise is shown at signup and kept with every consent ("New articles, about
twice a month. Nothing else."). Private lists (a team list) are filled by the owner only.
`,
    load: async () => (await import("./cli.ts")).listsAdd,
  },
  {
    name: "lists list",
    overview: "  lists list                      Show every list with its counts of subscribers\n",
    usage: `Usage: liner lists list

Prints one line per list: its slug (what --list takes), name, public or private, and its
confirmed, pending and unsubscribed subscribers (erased ones are not counted).
`,
    load: async () => (await import("./cli.ts")).listsList,
  },
  {
    name: "subscribers add",
    overview:
      "  subscribers add EMAIL --list SLUG [--confirmed]\n                                  Add an address (without --confirmed it gets a confirmation email)\n",
    usage: `Usage: liner subscribers add EMAIL --list SLUG [--confirmed]

Adds an address to a list. With --confirmed (you have their consent already) it is confirmed at
once; without, it gets a confirmation email and nothing else until it is confirmed.
`,
    load: async () => (await import("./cli.ts")).subscribersAdd,
  },
  {
    name: "subscribers import",
    overview:
      "  subscribers import FILE.csv --list SLUG [--dry-run] [--skip-bad]\n                                  Import a Substack, Mailchimp or Ghost export (all or nothing)\n",
    usage: `Usage: liner subscribers import FILE.csv --list SLUG [--dry-run] [--skip-bad]

Imports subscribers into a list from a CSV file: an export of Substack, Mailchimp or Ghost, or a
file with an "email" (and "name") column. Everyone imported is confirmed, with the source
"imported from FILE on DATE" and the time the file gives (else now): import only people who
agreed to get your emails. Confirmed subscribers are left as they are; someone who unsubscribed
here, or whom the file marks as unsubscribed, is not subscribed again. Prints a report.

Options:
  --dry-run     only report what would happen; change nothing
  --skip-bad    import the good rows even when some rows are bad. Without it a file with bad
                rows imports nothing and the command exits 1
`,
    load: async () => (await import("./cli.ts")).subscribersImport,
  },
  {
    name: "subscribers export",
    overview: "  subscribers export --list SLUG  Print a list's subscribers as CSV\n",
    usage: `Usage: liner subscribers export --list SLUG

Prints the list's subscribers as CSV (email, name, status, source, requested_at, confirmed_at) on
standard output; erased subscribers are left out. \`liner subscribers import\` reads it back.
`,
    load: async () => (await import("./cli.ts")).subscribersExport,
  },
];
