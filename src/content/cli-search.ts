/** `liner search QUERY`: the site search from the terminal (no web stack loaded). */

import { intFlag, parseCommand, withContext } from "../lib/cli.ts";
import type { CliIo } from "../lib/module.ts";
import { searchPosts } from "./search.ts";
import type { PostRow } from "./store.ts";

/** A search snippet (escaped HTML with <mark>) as plain text. Pure. */
export function plainSnippet(html: string): string {
  return html
    .replace(/<\/?mark>/g, "")
    .replace(/&lt;/g, "<")
    .replace(/&gt;/g, ">")
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&amp;/g, "&")
    .replace(/\s+/g, " ")
    .trim();
}

/**
 * Public path of a post. Mirrors `postPath` in content/service.ts, which is not imported here
 * because it would load the Markdown and slide renderers for a read-only command.
 */
function pathOf(post: Pick<PostRow, "slug" | "kind">): string {
  return post.kind === "page" ? `/${post.slug}` : `/posts/${post.slug}`;
}

export async function search(args: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseCommand(
    "search",
    args,
    { json: { type: "boolean" }, limit: { type: "string" } },
    ["QUERY"],
  );
  const limit = intFlag("search", "limit", values.limit, 1, 100) ?? 10;
  const q = positionals[0];
  return withContext(io, async (ctx) => {
    const r = await searchPosts(ctx.db, { q, limit, publishedBefore: ctx.now().toISOString() });
    const results = r.hits.map(({ post, snippet }) => ({
      title: post.title,
      slug: post.slug,
      url: `${ctx.config.baseUrl}${pathOf(post)}`,
      kind: post.kind,
      published_at: post.published_at,
      snippet: plainSnippet(snippet),
    }));
    if (values.json) {
      io.stdout.write(`${JSON.stringify({ total: r.total, moreThan: r.moreThan ?? false, results }, null, 2)}\n`);
      return 0;
    }
    if (!results.length) {
      io.stdout.write(`No published posts match "${q}".\n`);
      return 0;
    }
    const shown = results.length < r.total ? ` (showing ${results.length})` : "";
    const lines = [
      `${r.moreThan ? "more than " : ""}${r.total} result${r.total === 1 ? "" : "s"} for "${q}"${shown}`,
      "",
    ];
    results.forEach((x, i) => {
      lines.push(`${i + 1}. ${x.title}`, `   ${x.url}`);
      if (x.snippet) lines.push(`   ${x.snippet}`);
      lines.push("");
    });
    io.stdout.write(lines.join("\n"));
    return 0;
  });
}
