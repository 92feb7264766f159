/** Help texts for `liner help`, `liner <command> --help` and usage errors. */

export const overview = `Usage: liner <command> [options]

Commands:
  init                            Create the data folder and database, seed a demo site on an
                                  empty database, and print the one-time owner setup link
  serve [--host H] [--port P] [--no-jobs] [--processes N]
                                  Serve the site (runs background jobs too, unless --no-jobs)
  worker [--once]                 Run background jobs only
  user add EMAIL --role ROLE --password-stdin [--name NAME]
                                  Create a staff account (owner, editor or author)
  import markdown DIR             Import Hugo, Jekyll or Eleventy Markdown files (idempotent by slug)
  export markdown DIR             Write every post as a Markdown file with front matter
  post publish FILE.md            Create or update one post from a Markdown file
  search QUERY [--json] [--limit N]
                                  Search published posts
  feed parse FILE|URL... [--base URL] [--json]
                                  Print feeds as normalized JSON (one line per input)
  sources add URL                 Follow a site or feed (feed autodiscovery)
  sources import-opml FILE        Follow every feed in an OPML file (folders kept)
  sources export-opml             Print the followed sources as OPML
  sources poll [--once]           Poll the sources that are due (--once: all, now, then exit)
  save URL [--blurb TEXT] [--theme SLUG] [--via URL]
                                  Save a link with a blurb and credits
  help [COMMAND]                  Show help for a command

Environment:
  LINER_DATA       data folder (default ./data)
  DATABASE_URL     postgres://... to use PostgreSQL instead of the embedded SQLite
  LINER_BASE_URL   public URL of the site (default http://HOST:PORT)
  HOST, PORT       where serve listens (default 127.0.0.1:4321)
`;

export const commandUsage: Record<string, string> = {
  "feed parse": `Usage: liner feed parse FILE|URL... [--base URL] [--json]
`,
  "sources add": `Usage: liner sources add URL
`,
  "sources import-opml": `Usage: liner sources import-opml FILE
`,
  "sources export-opml": `Usage: liner sources export-opml
`,
  "sources poll": `Usage: liner sources poll [--once]
`,
  save: `Usage: liner save URL [--blurb TEXT] [--theme SLUG] [--via URL]
`,
  init: `Usage: liner init

Creates the data folder and the database (running migrations), seeds a small demo site when
the database has no posts, and prints a one-time link to create the owner account when there
are no staff accounts yet.
`,
  serve: `Usage: liner serve [--host H] [--port P] [--no-jobs] [--processes N]

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
  worker: `Usage: liner worker [--once]

Runs background jobs (scheduled publishing) without serving the site, until stopped with
Ctrl-C or SIGTERM. Safe to run beside any number of web processes on PostgreSQL.

Options:
  --once        run the jobs that are due now, then exit
`,
  "user add": `Usage: liner user add EMAIL --role owner|editor|author --password-stdin [--name NAME]

Creates a staff account. The password is read from standard input (at least 10 characters):
  printf '%s' "$PASSWORD" | liner user add ana@example.com --role editor --password-stdin
`,
  "import markdown": `Usage: liner import markdown DIR [--workers N] [--writers N]

Imports every .md and .markdown file under DIR (Hugo, Jekyll or Eleventy style) with YAML front
matter between --- lines: title (required), date, tags or categories (themes; files without go to
"General"), slug (else from the file name), draft, summary or description, kind
(article, presentation, note, page) or marp: true for a slide deck.
Posts are matched by slug: re-running updates changed posts and leaves unchanged ones alone.
A file with bad front matter is reported as PATH:LINE: REASON and skipped; the exit status is 1
if any file failed. An export from \`liner export markdown\` also restores its themes (_themes.yaml).

Options (tuning; the defaults suit most machines):
  --workers N   threads rendering Markdown (default: one per CPU core, up to 4; 0 = none)
  --writers N   concurrent write transactions (default 3 on PostgreSQL, 1 on SQLite)
`,
  "export markdown": `Usage: liner export markdown DIR

Writes every post (pages and drafts too) to DIR/<slug>.md with YAML front matter (title, date,
slug, kind, draft, summary, tags) and its Markdown body, plus the themes with their descriptions
in DIR/_themes.yaml. \`liner import markdown DIR\` reads it all back.
`,
  "post publish": `Usage: liner post publish FILE.md

Creates or updates (by slug) one post from a Markdown file with front matter, published unless
it says draft: true (scheduled when its date is in the future). Prints the post's URL.
`,
  search: `Usage: liner search QUERY [--json] [--limit N]

Searches published posts (titles, summaries and bodies) and prints title, URL and a snippet.

Options:
  --json        print {total, results: [{title, slug, url, kind, published_at, snippet}]}
  --limit N     at most N results (1-100, default 10)
`,
};

/** Commands that take a subcommand, with their subcommands. */
export const groups: Record<string, string[]> = {
  user: ["add"],
  import: ["markdown"],
  export: ["markdown"],
  post: ["publish"],
  feed: ["parse"],
  sources: ["add", "import-opml", "export-opml", "poll"],
};

/** Usage for a command name like "serve" or "user add"; groups list their subcommands. */
export function usageFor(command: string): string {
  if (commandUsage[command]) return commandUsage[command];
  const subs = groups[command];
  if (subs) return `${subs.map((s) => commandUsage[`${command} ${s}`].split("\n")[0]).join("\n")}\n`;
  return overview;
}

/** Print a command's help on stdout; returns the exit code 0. */
export function printHelp(command: string): number {
  process.stdout.write(usageFor(command));
  return 0;
}
