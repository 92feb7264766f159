/** The insights module's `liner` commands: their help texts, and their code loaded when they run. */
import type { CliCommandSpec } from "../lib/module.ts";

const load =
  (name: "statsCommand" | "outcomesCommand" | "experimentsList" | "experimentsStart" | "experimentsStop") => async () =>
    (await import("./cli.ts"))[name];

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
  {
    name: "experiments list",
    overview: "  experiments list [--json]        Experiments, each against the same time just before\n",
    usage: `Usage: liner experiments list [--json]

Lists the experiments, newest first: what was tried, where, when, and its outcomes and visitors
against the same number of days just before it, as a ratio with a 90% interval, or "too few to
tell" under 10 events in all. --json prints one object a line.
`,
    load: load("experimentsList"),
  },
  {
    name: "experiments start",
    overview:
      "  experiments start --hypothesis TEXT --channel TEXT [--start DATE] --end DATE\n                                  Start an experiment (from today unless --start)\n",
    usage: `Usage: liner experiments start --hypothesis TEXT --channel TEXT [--start DATE] --end DATE

Starts an experiment: what you expect (--hypothesis), what you will do and where (--channel, e.g.
"post on LinkedIn twice a week"), from --start (default today) to --end, both days included.
Example:
  liner experiments start --hypothesis "LinkedIn brings inquiries" --channel "LinkedIn twice a week" --end 2026-12-28
`,
    load: load("experimentsStart"),
  },
  {
    name: "experiments stop",
    overview: "  experiments stop ID              Stop a running experiment today\n",
    usage: `Usage: liner experiments stop ID

Stops experiment ID: today becomes its last day. It stays in the list with what it found.
`,
    load: load("experimentsStop"),
  },
];
