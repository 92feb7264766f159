/** Test support: folders, sources and items written straight to the database. */
import type { AppContext } from "../../lib/context.ts";

let seq = 0;

export async function addFolder(ctx: AppContext, name: string, parentId: number | null = null): Promise<number> {
  const r = await ctx.db.kysely
    .insertInto("folders")
    .values({ name, parent_id: parentId, position: 0, created_at: new Date(0).toISOString() })
    .returning("id")
    .executeTakeFirstOrThrow();
  return r.id;
}

export async function addSource(
  ctx: AppContext,
  o: { title?: string; folderId?: number | null; feedUrl?: string } = {},
): Promise<number> {
  seq++;
  const r = await ctx.db.kysely
    .insertInto("sources")
    .values({
      feed_url: o.feedUrl ?? `https://feeds${seq}.example/feed.xml`,
      site_url: `https://feeds${seq}.example/`,
      site_host: `feeds${seq}.example`,
      title: o.title ?? `Source ${seq}`,
      custom_title: "",
      description: "",
      format: "rss",
      is_podcast: 0,
      interval_minutes: 60,
      error_count: 0,
      folder_id: o.folderId ?? null,
      // Never due: these sources are not real feeds and a poll in the same test must skip them.
      next_fetch_at: "2999-01-01T00:00:00.000Z",
      created_at: new Date(0).toISOString(),
    })
    .returning("id")
    .executeTakeFirstOrThrow();
  return r.id;
}

export interface ItemFields {
  title?: string;
  url?: string | null;
  published?: string | null;
  read?: boolean;
  starred?: boolean;
  summary?: string;
  content?: string;
  enclosures?: { url: string; type: string | null; length: number | null }[];
  durationSeconds?: number | null;
  authors?: { name: string }[];
}

export async function addItem(ctx: AppContext, sourceId: number, o: ItemFields = {}): Promise<number> {
  seq++;
  const title = o.title ?? `Item ${seq}`;
  const r = await ctx.db.kysely
    .insertInto("items")
    .values({
      source_id: sourceId,
      dedupe_key: `key-${seq}`,
      url: o.url === undefined ? `https://example.com/posts/${seq}` : o.url,
      title,
      authors: JSON.stringify(o.authors ?? []),
      summary_html: o.summary ?? "",
      content_html: o.content ?? `<p>Body of ${title}</p>`,
      text: `${title} Body of ${title}`,
      categories: "[]",
      enclosures: JSON.stringify(o.enclosures ?? []),
      duration_seconds: o.durationSeconds ?? null,
      published_at:
        o.published === undefined ? new Date(Date.UTC(2026, 0, 1) + seq * 60_000).toISOString() : o.published,
      fetched_at: new Date(Date.UTC(2026, 0, 1)).toISOString(),
      is_read: o.read ? 1 : 0,
      read_at: o.read ? new Date(Date.UTC(2026, 0, 2)).toISOString() : null,
      is_starred: o.starred ? 1 : 0,
    })
    .returning("id")
    .executeTakeFirstOrThrow();
  return r.id;
}

/** Ids of unread items, ascending. */
export async function unreadIds(ctx: AppContext): Promise<number[]> {
  const rows = await ctx.db.kysely.selectFrom("items").select("id").where("is_read", "=", 0).orderBy("id").execute();
  return rows.map((r) => r.id);
}
