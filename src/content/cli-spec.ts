/** The content module's `liner` commands: their help texts, and their code loaded when they run. */
import type { CliCommandSpec } from "../lib/module.ts";

export const contentCommands: CliCommandSpec[] = [
  {
    name: "import markdown",
    overview: "  import markdown DIR             Import Hugo, Jekyll or Eleventy Markdown files (idempotent by slug)\n",
    usage: `Usage: liner import markdown DIR [--workers N] [--writers N]

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
    load: async () => (await import("./cli-markdown.ts")).importMarkdown,
  },
  {
    name: "export markdown",
    overview: "  export markdown DIR             Write every post as a Markdown file with front matter\n",
    usage: `Usage: liner export markdown DIR

Writes every post (pages and drafts too) to DIR/<slug>.md with YAML front matter (title, date,
slug, kind, draft, summary, tags) and its Markdown body, plus the themes with their descriptions
in DIR/_themes.yaml. \`liner import markdown DIR\` reads it all back.
`,
    load: async () => (await import("./cli-markdown.ts")).exportMarkdown,
  },
  {
    name: "post publish",
    overview: "  post publish FILE.md            Create or update one post from a Markdown file\n",
    usage: `Usage: liner post publish FILE.md

Creates or updates (by slug) one post from a Markdown file with front matter, published unless
it says draft: true (scheduled when its date is in the future). Prints the post's URL.
`,
    load: async () => (await import("./cli-markdown.ts")).postPublish,
  },
  {
    name: "search",
    overview: "  search QUERY [--json] [--limit N]\n                                  Search published posts\n",
    usage: `Usage: liner search QUERY [--json] [--limit N]

Searches published posts (titles, summaries and bodies) and prints title, URL and a snippet.

Options:
  --json        print {total, results: [{title, slug, url, kind, published_at, snippet}]}
  --limit N     at most N results (1-100, default 10)
`,
    load: async () => (await import("./cli-search.ts")).search,
  },
];
