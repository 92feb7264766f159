/** The reader module's `liner` commands: their help texts, and their code loaded when they run. */
import type { CliCommandSpec } from "../lib/module.ts";

export const readerCommands: CliCommandSpec[] = [
  {
    name: "feed parse",
    overview:
      "  feed parse FILE|URL... [--base URL] [--json]\n                                  Print feeds as normalized JSON (one line per input)\n",
    usage: `Usage: liner feed parse FILE|URL... [--base URL] [--json]

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
    load: async () => (await import("./feed/cli.ts")).feedParse,
  },
  {
    name: "sources add",
    overview: "  sources add URL|@user@host      Follow a site or feed (feed autodiscovery), or a fediverse account\n",
    usage: `Usage: liner sources add URL|@user@host

Follows a site or feed. URL may be the feed itself (RSS, Atom, RDF or JSON Feed), or a page
that links to its feed (<link rel="alternate">); otherwise the usual feed addresses of the site
(/feed, /rss.xml, …) are tried. Prints what was followed and stores its current items.
"example.com" means https://example.com/. Following a feed twice only says so (exit 0).

With @user@host, or an account's profile address (https://mastodon.social/@alice), follows a
fediverse account: the site's account sends it a Follow, and its public posts and boosts arrive
in the reader as they are published (\`liner serve\` or \`liner worker\` delivers the Follow). An
account that rejects the follow, or does not answer within a day, is read from its RSS feed
where its server offers one, else from its public outbox. Unfollowing it in Sources sends
Undo(Follow). An unknown account, a malformed handle or an unreachable server exits 1 and says
which.
`,
    load: async () => (await import("./sources/cli.ts")).sourcesAdd,
  },
  {
    name: "sources import-opml",
    overview: "  sources import-opml FILE        Follow every feed in an OPML file (folders kept)\n",
    usage: `Usage: liner sources import-opml FILE

Follows every feed in an OPML file exported from another reader. Folders (nested outlines) are
kept, and merged with folders of the same name. Feeds already followed are skipped and counted.
A broken file imports nothing: the command names the problem and exits 1. The new feeds are
fetched by the next poll (\`liner serve\`, \`liner worker\` or \`liner sources poll --once\`).
`,
    load: async () => (await import("./sources/cli.ts")).sourcesImportOpml,
  },
  {
    name: "sources export-opml",
    overview: "  sources export-opml             Print the followed sources as OPML\n",
    usage: `Usage: liner sources export-opml

Prints every followed source as OPML 2.0 on standard output, folders as nested outlines:
  liner sources export-opml > sources.opml
`,
    load: async () => (await import("./sources/cli.ts")).sourcesExportOpml,
  },
  {
    name: "sources poll",
    overview: "  sources poll [--once]           Poll the sources that are due (--once: all, now, then exit)\n",
    usage: `Usage: liner sources poll [--once]

Polls the sources that are due (conditional GET, feeds fetched concurrently with a limit per
host) and keeps running, polling each source when its schedule says, until Ctrl-C or SIGTERM.
\`liner serve\` and \`liner worker\` poll too; running this beside them is safe.

Options:
  --once        poll every source once now, whatever its schedule, print a summary (fetched,
                not modified, new items, errors) and exit; shows a progress bar on a terminal
`,
    load: async () => (await import("./sources/cli.ts")).sourcesPoll,
  },
  {
    name: "save",
    overview:
      "  save URL [--blurb TEXT] [--theme SLUG] [--via URL] [--publish]\n                                  Save a link with a blurb and credits\n",
    usage: `Usage: liner save URL [--blurb TEXT] [--theme SLUG]... [--via URL]... [--publish]

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
    load: async () => (await import("./saves/cli.ts")).save,
  },
];
