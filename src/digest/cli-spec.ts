/** The digest module's `liner` commands: their help texts, and their code loaded when they run. */
import type { CliCommandSpec } from "../lib/module.ts";

export const digestCommands: CliCommandSpec[] = [
  {
    name: "digest draft",
    overview: "  digest draft [--since DATE]     Draft a digest from what was saved since the last one\n",
    usage: `Usage: liner digest draft [--since DATE]

Makes a draft digest of everything saved since the last digest (or since DATE, YYYY-MM-DD),
grouped by theme, with the owner's own posts of the period in a section of their own, and
prints its id and entries. Edit it in the admin under Digests.
`,
    load: async () => (await import("./cli.ts")).digestDraft,
  },
  {
    name: "digest send",
    overview: "  digest send ID --list SLUG...   Send a digest to lists and publish its page\n",
    usage: `Usage: liner digest send ID --list SLUG...

Queues digest ID to the confirmed subscribers of each --list and publishes its page (a private
list makes the digest private: its page is readable only with its secret link).
`,
    load: async () => (await import("./cli.ts")).digestSend,
  },
  {
    name: "digest list",
    overview: "  digest list                     List digests\n",
    usage: `Usage: liner digest list

Prints each digest: id, status, end of its period and title.
`,
    load: async () => (await import("./cli.ts")).digestList,
  },
  {
    name: "digest export",
    overview:
      "  digest export ID --format md|html\n                                  Print a digest as Markdown or HTML to paste elsewhere\n",
    usage: `Usage: liner digest export ID --format md|html

Prints digest ID as Markdown (default) or as an HTML fragment, without tracked links.
`,
    load: async () => (await import("./cli.ts")).digestExport,
  },
];
