/** Test support for saves: a loopback page server, a source with an item, and a theme. */
import fs from "node:fs";
import type { ServerResponse } from "node:http";
import { saveTheme } from "../../content/testing.ts";
import type { AppContext } from "../../lib/context.ts";
import { serve, type TestServer } from "../../lib/net/test-server.ts";

/** A fixture from testdata/. */
export const fixture = (name: string) => fs.readFileSync(new URL(`./testdata/${name}`, import.meta.url), "utf8");

/** Serve `pages` (path without query → [status, content type, body]) on 127.0.0.1; 404 otherwise. */
export function pageServer(pages: Record<string, [number, string, string]>): Promise<TestServer> {
  return serve((req, res: ServerResponse) => {
    const path = new URL(req.url ?? "/", "http://x").pathname;
    const page = pages[path];
    if (!page) {
      res.writeHead(404, { "content-type": "text/html" }).end("<h1>Not found</h1>");
      return;
    }
    res.writeHead(page[0], { "content-type": page[1] }).end(page[2]);
  });
}

/** Insert a followed source and one of its items directly; returns their ids. */
export async function insertSourceItem(
  ctx: AppContext,
  o: { sourceTitle: string; siteUrl: string; itemUrl: string; itemTitle: string; html: string; viaUrl?: string },
): Promise<{ sourceId: number; itemId: number }> {
  const now = ctx.now().toISOString();
  const source = await ctx.db.kysely
    .insertInto("sources")
    .values({
      folder_id: null,
      feed_url: `${o.siteUrl}feed.xml`,
      site_url: o.siteUrl,
      site_host: new URL(o.siteUrl).hostname.replace(/^www\./, ""),
      title: o.sourceTitle,
      custom_title: "",
      description: "",
      image_url: null,
      format: "atom",
      is_podcast: 0,
      etag: null,
      last_modified: null,
      interval_minutes: 60,
      next_fetch_at: now,
      lease_until: null,
      last_fetched_at: null,
      last_success_at: null,
      error_count: 0,
      last_error: null,
      last_error_at: null,
      created_at: now,
    })
    .returning("id")
    .executeTakeFirstOrThrow();
  const item = await ctx.db.kysely
    .insertInto("items")
    .values({
      source_id: source.id,
      dedupe_key: o.itemUrl,
      url: o.itemUrl,
      title: o.itemTitle,
      authors: "[]",
      summary_html: "",
      content_html: o.html,
      text: "",
      categories: "[]",
      enclosures: "[]",
      duration_seconds: null,
      image_url: null,
      via_url: o.viaUrl ?? null,
      comments_url: null,
      published_at: now,
      updated_at: null,
      fetched_at: now,
      full_html: null,
      is_read: 0,
      read_at: null,
      is_starred: 0,
    })
    .returning("id")
    .executeTakeFirstOrThrow();
  return { sourceId: source.id, itemId: item.id };
}

/** Create a theme and return its id. */
export async function makeTheme(ctx: AppContext, name: string): Promise<number> {
  return (await saveTheme(ctx, { name, description: `About ${name}.` })).id;
}
