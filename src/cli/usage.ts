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
  save URL [--blurb TEXT] [--theme SLUG] [--via URL] [--publish]
                                  Save a link with a blurb and credits
  mail test EMAIL                 Send a test message through SMTP_URL now and show the answer
  mail status [ID]                Recent sends, or one send's progress (rate, ETA)
  mail send-post SLUG --list SLUG...
                                  Email a published post to the confirmed subscribers of lists
  lists add SLUG --name NAME [--private] [--promise TEXT]
                                  Create a list (public lists are offered at /subscribe)
  subscribers add EMAIL --list SLUG [--confirmed]
                                  Add an address (without --confirmed it gets a confirmation email)
  subscribers import FILE.csv --list SLUG [--dry-run] [--skip-bad]
                                  Import a Substack, Mailchimp or Ghost export (all or nothing)
  subscribers export --list SLUG  Print a list's subscribers as CSV
  digest draft [--since DATE]     Draft a digest from what was saved since the last one
  digest send ID --list SLUG...   Send a digest to lists and publish its page
  digest list                     List digests
  digest export ID --format md|html
                                  Print a digest as Markdown or HTML to paste elsewhere
  help [COMMAND]                  Show help for a command

Environment:
  LINER_DATA       data folder (default ./data)
  DATABASE_URL     postgres://... to use PostgreSQL instead of the embedded SQLite
  LINER_BASE_URL   public URL of the site (default http://HOST:PORT)
  HOST, PORT       where serve listens (default 127.0.0.1:4321)
  SMTP_URL         smtp://user:pass@host:587 or smtps://... for outgoing email
  LINER_MAIL_FROM  the From address, e.g. "Ann <ann@example.com>"
`;

export const commandUsage: Record<string, string> = {
  "digest draft": `Usage: liner digest draft [--since DATE]

Makes a draft digest of everything saved since the last digest (or since DATE, YYYY-MM-DD),
grouped by theme, with the owner's own posts of the period in a section of their own, and
prints its id and entries. Edit it in the admin under Digests.
`,
  "digest send": `Usage: liner digest send ID --list SLUG...

Queues digest ID to the confirmed subscribers of each --list and publishes its page (a private
list makes the digest private: its page is readable only with its secret link).
`,
  "digest list": `Usage: liner digest list

Prints each digest: id, status, end of its period and title.
`,
  "digest export": `Usage: liner digest export ID --format md|html

Prints digest ID as Markdown (default) or as an HTML fragment, without tracked links.
`,
  "feed parse": `Usage: liner feed parse FILE|URL... [--base URL] [--json]

Reads RSS 0.9x/2.0, RSS 1.0 (RDF), Atom 0.3/1.0 or JSON Feed 1.0/1.1 from files or http(s) URLs
and prints the normalized feed as JSON: {format, title, link, description, language, updated,
authors, image, items: [{id, title, link, published, updated, authors, summary, content,
categories, enclosures, comments}]}. Dates are ISO 8601 UTC, titles plain text, summary and
content sanitized HTML, URLs absolute; items with the same id are kept once (the first).
With one input a failure is reported on stderr; with several, each input prints one JSON line
(with "input" set to the argument) in order, a failing one as {input, error}. Exit 1 if any failed.
URLs are fetched through the guarded fetcher: set LINER_ALLOW_PRIVATE_FETCH=1 for local addresses.

Options:
  --base URL    the document URL for resolving relative links (for URL inputs it replaces
                the fetched address)
  --json        one-line JSON (the default with one input is indented)
`,
  "mail test": `Usage: liner mail test EMAIL

Sends one test message to EMAIL through SMTP_URL now (not through the background worker) and
prints the server's answer; exit 1 with the reason when it was refused or could not connect.
`,
  "mail status": `Usage: liner mail status [ID]

Without ID: the recent sends with their progress. With ID: that send's progress (sent of total,
failed, suppressed, rate and ETA); on a terminal a progress bar follows it until it is done.
`,
  "mail send-post": `Usage: liner mail send-post SLUG --list SLUG...

Queues the new-post email of the published post SLUG to the confirmed subscribers of each
--list (an address on several lists gets it once). A running \`liner serve\` or \`liner worker\`
delivers it; follow it with \`liner mail status ID\`.
`,
  "lists add": `Usage: liner lists add SLUG --name NAME [--private] [--promise TEXT]

Creates a list. --promise is shown at signup and kept with every consent ("New articles, about
twice a month. Nothing else."). Private lists (a team list) are filled by the owner only.
`,
  "subscribers add": `Usage: liner subscribers add EMAIL --list SLUG [--confirmed]

Adds an address to a list. With --confirmed (you have their consent already) it is confirmed at
once; without, it gets a confirmation email and nothing else until it is confirmed.
`,
  "subscribers import": `Usage: liner subscribers import FILE.csv --list SLUG [--dry-run] [--skip-bad]

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
  "subscribers export": `Usage: liner subscribers export --list SLUG

Prints the list's subscribers as CSV (email, name, status, source, requested_at, confirmed_at) on
standard output; erased subscribers are left out. \`liner subscribers import\` reads it back.
`,
  "sources add": `Usage: liner sources add URL

Follows a site or feed. URL may be the feed itself (RSS, Atom, RDF or JSON Feed), or a page
that links to its feed (<link rel="alternate">); otherwise the usual feed addresses of the site
(/feed, /rss.xml, …) are tried. Prints what was followed and stores its current items.
"example.com" means https://example.com/. Following a feed twice only says so (exit 0).
`,
  "sources import-opml": `Usage: liner sources import-opml FILE

Follows every feed in an OPML file exported from another reader. Folders (nested outlines) are
kept, and merged with folders of the same name. Feeds already followed are skipped and counted.
A broken file imports nothing: the command names the problem and exits 1. The new feeds are
fetched by the next poll (\`liner serve\`, \`liner worker\` or \`liner sources poll --once\`).
`,
  "sources export-opml": `Usage: liner sources export-opml

Prints every followed source as OPML 2.0 on standard output, folders as nested outlines:
  liner sources export-opml > sources.opml
`,
  "sources poll": `Usage: liner sources poll [--once]

Polls the sources that are due (conditional GET, feeds fetched concurrently with a limit per
host) and keeps running, polling each source when its schedule says, until Ctrl-C or SIGTERM.
\`liner serve\` and \`liner worker\` poll too; running this beside them is safe.

Options:
  --once        poll every source once now, whatever its schedule, print a summary (fetched,
                not modified, new items, errors) and exit; shows a progress bar on a terminal
`,
  save: `Usage: liner save URL [--blurb TEXT] [--theme SLUG]... [--via URL]... [--publish]

Saves a link: fetches the page for its title, description, author, site name and text (kept
for search), and stores it with your blurb, themes and credits. Prints the save's id, its
address and its credit line ("via A, who found it at B"). A page that cannot be fetched is
still saved with what you gave, and a note on stderr says why.

Options:
  --blurb TEXT  a short note in Markdown on why it is worth reading
  --theme SLUG  a theme (repeat for several); needed to publish
  --via URL     who led you to it, nearest first (repeat for the chain); named after the
                followed source on that site, else the site's host name
  --publish     also publish it on the site as a link post
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
  mail: ["test", "status", "send-post"],
  lists: ["add"],
  subscribers: ["add", "import", "export"],
  digest: ["draft", "send", "list", "export"],
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
