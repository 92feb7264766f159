/**
 * Test support for discover and reader search: followed sources and their items written
 * straight to the database, without polling a feed.
 */
import type { AppContext } from "../../lib/context.ts";
import { hostOf, siteKeyOf } from "./urls.ts";

let seq = 0;

/** Insert a followed source for `siteUrl`; returns its id. */
export async function addSource(ctx: AppContext, siteUrl: string, title = hostOf(siteUrl)): Promise<number> {
  const ts = ctx.now().toISOString();
  const row = await ctx.db.kysely
    .insertInto("sources")
    .values({
      feed_url: `${siteUrl.replace(/\/$/, "")}/feed-${++seq}.xml`,
      site_url: siteUrl,
      site_host: siteKeyOf(siteUrl), // as sources/rows.ts keys a followed site
      title,
      custom_title: "",
      description: "",
      image_url: null,
      format: "rss",
      is_podcast: 0,
      etag: null,
      last_modified: null,
      interval_minutes: 60,
      next_fetch_at: ts,
      lease_until: null,
      last_fetched_at: null,
      last_success_at: null,
      error_count: 0,
      last_error: null,
      last_error_at: null,
      created_at: ts,
    })
    .returning("id")
    .executeTakeFirstOrThrow();
  return row.id;
}

/** Columns a test item does not care about. */
export const itemDefaults = {
  authors: "[]",
  categories: "[]",
  enclosures: "[]",
  duration_seconds: null,
  image_url: null,
  comments_url: null,
  updated_at: null,
  full_html: null,
  is_read: 0,
  read_at: null,
  is_starred: 0,
};

export interface TestItem {
  title?: string;
  url?: string | null;
  contentHtml?: string;
  summaryHtml?: string;
  text?: string;
  viaUrl?: string | null;
  publishedAt?: string | null;
  fetchedAt?: string;
}

/** Insert an item of a source; returns its id. */
export async function addItem(ctx: AppContext, sourceId: number, item: TestItem = {}): Promise<number> {
  const n = ++seq;
  const row = await ctx.db.kysely
    .insertInto("items")
    .values({
      ...itemDefaults,
      source_id: sourceId,
      dedupe_key: `item-${n}`,
      url: item.url === undefined ? `https://items.invalid/${n}` : item.url,
      title: item.title ?? `Item ${n}`,
      content_html: item.contentHtml ?? "",
      summary_html: item.summaryHtml ?? "",
      text: item.text ?? `${item.title ?? ""} ${(item.contentHtml ?? "").replace(/<[^>]*>/g, " ")}`,
      via_url: item.viaUrl ?? null,
      published_at: item.publishedAt === undefined ? ctx.now().toISOString() : item.publishedAt,
      fetched_at: item.fetchedAt ?? ctx.now().toISOString(),
    })
    .returning("id")
    .executeTakeFirstOrThrow();
  return row.id;
}

/** An item whose content links to each of `urls`. */
export function linking(...urls: string[]): TestItem {
  return { contentHtml: urls.map((u) => `<p><a href="${u}">${u}</a></p>`).join("\n") };
}
