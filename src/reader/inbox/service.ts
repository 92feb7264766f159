/**
 * Inbox logic: resolve a query to a filter (folders include their sub-folders), load a page with
 * the sidebar's counts, open an item (marking it read), and mark-all-read with undo.
 */
import { randomBytes, timingSafeEqual } from "node:crypto";
import type { AppContext } from "../../lib/context.ts";
import { NotFoundError } from "../../lib/errors.ts";
import type { Cursor } from "./cursor.ts";
import { type InboxQuery, searchWords } from "./query.ts";
import {
  type InboxFilter,
  type ItemWithSource,
  inboxStore,
  type ListedItem,
  type NeighbourItem,
  type SourceSummary,
} from "./store.ts";
import { type FlatFolder, flattenFolders, folderAndDescendants, folderCounts } from "./tree.ts";

export const PAGE_SIZE = 50;
/** How long a mark-all-read can be undone. */
const UNDO_MS = 24 * 60 * 60 * 1000;

export interface InboxPage {
  query: InboxQuery;
  items: ListedItem[];
  /** Cursor of the next page, when there is one. */
  next: Cursor | null;
  /** Highest item id in the filter when the page was made (mark-all-read stops there). */
  maxId: number;
  folders: (FlatFolder & { unread: number })[];
  sources: (SourceSummary & { unread: number })[];
  totalUnread: number;
  starred: number;
  /** What the list is narrowed to, for the heading. */
  scope: { kind: "all" } | { kind: "folder"; name: string } | { kind: "source"; name: string };
}

/** The name to show for a source: the user's title, the feed's, else its host or URL. */
export function sourceName(s: { custom_title: string; title: string; site_host: string; feed_url: string }): string {
  return s.custom_title || s.title || s.site_host || s.feed_url;
}

/** Turn a query into a store filter, checking that the folder or source exists. */
async function resolve(ctx: AppContext, q: InboxQuery) {
  const store = inboxStore(ctx.db);
  const [folders, sources] = await Promise.all([store.folders(), store.sources()]);
  const filter: InboxFilter = { view: q.view };
  const words = searchWords(q.search);
  if (words.length) filter.search = words;
  let scope: InboxPage["scope"] = { kind: "all" };
  if (q.folderId !== undefined) {
    const folder = folders.find((f) => f.id === q.folderId);
    if (!folder) throw new NotFoundError("That folder does not exist (it may have been deleted).");
    filter.folderIds = folderAndDescendants(folders, folder.id);
    scope = { kind: "folder", name: folder.name };
  }
  if (q.sourceId !== undefined) {
    const source = sources.find((s) => s.id === q.sourceId);
    if (!source) throw new NotFoundError("That source does not exist (it may have been unfollowed).");
    filter.sourceId = source.id;
    scope = { kind: "source", name: sourceName(source) };
  }
  return { filter, folders, sources, scope };
}

/** One page of the inbox with the sidebar's folders, sources and unread counts. */
export async function loadInbox(ctx: AppContext, q: InboxQuery, limit = PAGE_SIZE): Promise<InboxPage> {
  const store = inboxStore(ctx.db);
  const { filter, folders, sources, scope } = await resolve(ctx, q);
  const [rows, counts, maxId] = await Promise.all([
    store.list(filter, { after: q.after, limit: limit + 1 }),
    store.counts(),
    store.maxId(filter),
  ]);
  const items = rows.slice(0, limit);
  const last = items[items.length - 1];
  const next = rows.length > limit && last ? { read: last.is_read, date: last.sort_date, id: last.id } : null;
  const byFolder = folderCounts(folders, sources, counts.unreadBySource);
  let totalUnread = 0;
  for (const n of counts.unreadBySource.values()) totalUnread += n;
  return {
    query: q,
    items,
    next,
    maxId,
    folders: flattenFolders(folders).map((f) => ({ ...f, unread: byFolder.get(f.id) ?? 0 })),
    sources: sources
      .map((s) => ({ ...s, unread: counts.unreadBySource.get(s.id) ?? 0 }))
      .sort((a, b) => sourceName(a).localeCompare(sourceName(b))),
    totalUnread,
    starred: counts.starred,
    scope,
  };
}

/**
 * The items before and after `item` in the list `q` describes (the list it was opened from):
 * `newer` is the previous one in the list, `older` the next.
 */
export async function itemNeighbours(
  ctx: AppContext,
  q: InboxQuery,
  item: Pick<ItemWithSource, "id" | "published_at" | "fetched_at">,
): Promise<{ newer: NeighbourItem | null; older: NeighbourItem | null }> {
  const { filter } = await resolve(ctx, q);
  return inboxStore(ctx.db).neighbours(filter, { id: item.id, sortDate: item.published_at ?? item.fetched_at });
}

/** An item or a 404 that says so. */
export async function getItem(ctx: AppContext, id: number): Promise<ItemWithSource> {
  const item = await inboxStore(ctx.db).byId(id);
  if (!item) throw new NotFoundError(`There is no item ${id} in the reader. It may have been removed with its source.`);
  return item;
}

/** Open an item: it counts as read from now on. */
export async function openItem(ctx: AppContext, id: number): Promise<ItemWithSource> {
  const item = await getItem(ctx, id);
  if (!item.is_read) {
    const now = ctx.now().toISOString();
    await inboxStore(ctx.db).setRead(id, true, now);
    return { ...item, is_read: 1, read_at: now };
  }
  return item;
}

export type ItemAction = "read" | "unread" | "star" | "unstar";

/** Apply a flag change; 404 when the item is gone. */
export async function applyAction(ctx: AppContext, id: number, action: ItemAction): Promise<void> {
  const store = inboxStore(ctx.db);
  const ok =
    action === "read" || action === "unread"
      ? await store.setRead(id, action === "read", ctx.now().toISOString())
      : await store.setStarred(id, action === "star");
  if (!ok) throw new NotFoundError(`There is no item ${id} in the reader. It may have been removed with its source.`);
}

/**
 * Mark every unread item of the query's list read, up to `maxId` (the newest item when the page
 * was shown, so items that arrived since stay unread). Returns the count and an undo token.
 */
export async function markAllRead(
  ctx: AppContext,
  userId: number,
  q: InboxQuery,
  maxId: number,
): Promise<{ count: number; token: string | null }> {
  const { filter } = await resolve(ctx, q);
  const readAt = ctx.now().toISOString();
  const store = inboxStore(ctx.db);
  const ids = await store.markAllRead(filter, maxId, readAt);
  if (!ids.length) return { count: 0, token: null };
  const token = randomBytes(16).toString("base64url");
  await store.putUndo(userId, { token, readAt, ids });
  return { count: ids.length, token };
}

/** Undo the user's latest mark-all-read. Returns how many items are unread again (0 if expired). */
export async function undoMarkAllRead(ctx: AppContext, userId: number, token: string): Promise<number> {
  const store = inboxStore(ctx.db);
  const batch = await store.getUndo(userId);
  if (!batch || !sameToken(batch.token, token)) return 0;
  await store.deleteUndo(userId);
  if (ctx.now().getTime() - Date.parse(batch.readAt) > UNDO_MS) return 0;
  return store.restoreUnread(batch.ids, batch.readAt);
}

function sameToken(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}
