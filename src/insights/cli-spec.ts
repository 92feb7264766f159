/** The insights module's `liner` commands: their help texts, and their code loaded when they run. */
import type { CliCommandSpec } from "../lib/module.ts";

const load = (name: "statsCommand" | "outcomesCommand") => async () => (await import("./cli.ts"))[name];

export const insightsCommands: CliCommandSpec[] = [
  {
    name: "stats",
    overview: "  stats [--since DATE] [--json]   Outcomes first, then visits, sources and pages (30 days)\n",
    usage: `Usage: liner stats [--since DATE] [--json]

Prints what the writing led to since DATE (default: the last 30 days, today included): outcomes by
kind, then visits (visitors counted day by day: nobody is followed from one day to the next), the
sources, entry pages and pages. --json prints one object.
`,
    load: load("statsCommand"),
  },
  {
    name: "outcomes",
    overview: "  outcomes [--since DATE] [--json] Each outcome and the visit it came from\n",
    usage: `Usage: liner outcomes [--since DATE] [--json]

Lists the outcomes since DATE (default: the last 30 days), oldest first: subscriptions, inquiries,
registrations, comments, followers, digest clicks, forwards and those recorded by hand, with the
post, the source and entry page of the visit and the pages read before. --json prints one object
a line: kind, at, post (slug or null), entry_path, source, pages (in order), note, value.
`,
    load: load("outcomesCommand"),
  },
];
