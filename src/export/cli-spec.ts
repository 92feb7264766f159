/** The export module's `liner` command: its help text, and its code loaded when it runs. */
import type { CliCommandSpec } from "../lib/module.ts";

export const exportCommands: CliCommandSpec[] = [
  {
    name: "export all",
    overview: "  export all DIR [--force]        Write the whole site to DIR in open formats\n",
    usage: `Usage: liner export all DIR [--force]

Writes the whole site to DIR in open formats: posts as Markdown with front matter, media files,
sources as OPML, saves with their credit chains as JSON, subscribers with their consent records
as CSV, events as iCalendar with their registrants as CSV, inquiries as CSV, digests as
Markdown, and a README.txt that describes each file. DIR is created if it does not exist; the
owner's Export page in the admin offers the same as a .tar.gz download.

Options:
  --force       write into a DIR that is not empty: the export's own files and folders in it
                (posts/, media/, saves.json ...) are replaced, anything else is left alone
`,
    load: async () => (await import("./cli.ts")).exportAll,
  },
];
