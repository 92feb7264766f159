/**
 * Following sources: follow by URL (with feed autodiscovery; the first fetch is stored at once, so
 * the inbox fills right away), unfollow, rename, move between folders, and the lists other parts
 * of the reader show (the inbox's sidebar, the sources page).
 */
import type { AppContext } from "../../lib/context.ts";
import { HttpError, NotFoundError, ValidationError } from "../../lib/errors.ts";
import type { FoundSource, SourceItem, SourceKind } from "../../lib/module.ts";
import { discoverFeed, type FoundFeed, normalizeInputUrl } from "./follow.ts";
import { ingestFeed } from "./ingest.ts";
import { ensurePollJob } from "./jobs.ts";
import { addKindSource, resolveByKind, storeKindItems, unfollowByKind } from "./kinds.ts";
import { enqueueCitations } from "./poll.ts";
import { prepareFeed, siteHostOf } from "./rows.ts";
import { type ClaimedSource, type FolderRow, type SourceRow, sourceStore } from "./store.ts";

/** Thrown when the URL (or the feed it leads to) is already followed; carries that source. */
export class AlreadyFollowedError extends HttpError {
  readonly source: SourceRow;
  constructor(source: SourceRow) {
    super(409, `You already follow “${displayName(source)}” (${source.feed_url}).`);
    this.name = "AlreadyFollowedError";
    this.source = source;
  }
}

/** A source as lists show it. */
export interface SourceInfo extends SourceRow {
  /** The name to show: the user's title, else the feed's, else its host. */
  name: string;
  items: number;
  unread: number;
}

/** The name to show for a source. Pure. */
export function displayName(s: Pick<SourceRow, "custom_title" | "title" | "site_host" | "feed_url">): string {
  return s.custom_title || s.title || s.site_host || siteHostOf(s.feed_url) || s.feed_url;
}

export interface FollowOptions {
  folderId?: number | null;
  /** A title of the user's own (kept over the feed's). */
  title?: string;
}

export interface FollowResult {
  source: SourceRow;
  newItems: number;
  /** How the feed was found, or "kind": another module's kind of source took it (a fediverse account). */
  foundBy: FoundFeed["foundBy"] | "kind";
}

async function checkFolder(ctx: AppContext, folderId: number | null | undefined): Promise<number | null> {
  if (folderId === undefined || folderId === null) return null;
  if (!(await sourceStore(ctx.db).folderById(folderId))) {
    throw new ValidationError("That folder does not exist (any more).", { field: "folder" });
  }
  return folderId;
}

/** Minutes until a newly followed source is polled again, whatever its feed's rhythm. */
export const FIRST_INTERVAL_MINUTES = 15;

/**
 * discoverFeed for what was typed. A bare host ("example.com") is tried with https first; when
 * that cannot be fetched at all (no TLS there, say), with http, as a browser's address bar does.
 * The https error is the one reported when both fail.
 */
async function discoverWithFallback(ctx: AppContext, raw: string, url: string): Promise<FoundFeed> {
  try {
    return await discoverFeed(ctx, url);
  } catch (err) {
    const bare = !/^[a-z][a-z0-9+.-]*:/i.test(raw.trim()) || /^[^/:]+:\d+(?:[/?]|$)/.test(raw.trim());
    if (!bare || !(err instanceof ValidationError) || !err.message.startsWith("Could not fetch")) throw err;
    try {
      return await discoverFeed(ctx, `http://${url.slice("https://".length)}`);
    } catch {
      throw err;
    }
  }
}

/**
 * Follow the site or feed at `url`: finds the feed (autodiscovery), adds it, and stores its items.
 * What another module's kind of source takes (a fediverse account: `@alice@example.social` or its
 * profile's URL) is followed through that kind instead (lib/module.ts `SourceKind`).
 * Throws ValidationError (field `url`) when the URL is bad or has no feed, AlreadyFollowedError (409)
 * when it is followed already.
 */
export async function followSource(ctx: AppContext, rawUrl: string, opts: FollowOptions = {}): Promise<FollowResult> {
  const store = sourceStore(ctx.db);
  const title = (opts.title ?? "").trim().slice(0, 300);
  const folderId = await checkFolder(ctx, opts.folderId);
  // What only another kind can take ("@alice@example.social") goes there first; a URL is looked
  // up as followed already before any kind asks the network about it.
  const handle = await resolveByKind(ctx, rawUrl, "yes");
  if (handle) return followKind(ctx, handle, { folderId, title });
  const url = normalizeInputUrl(rawUrl);
  const known = await store.findByUrls([url]);
  if (known) throw new AlreadyFollowedError(known);
  const profile = await resolveByKind(ctx, url, "maybe");
  if (profile) return followKind(ctx, profile, { folderId, title });

  const found = await discoverWithFallback(ctx, rawUrl, url);
  const feedUrl = found.res.url;
  const again = await store.findByUrls([feedUrl]);
  if (again) throw new AlreadyFollowedError(again);

  const now = ctx.now();
  const siteUrl = found.feed.link ?? new URL(feedUrl).origin;
  // Leased while its first items are stored, so a poll running meanwhile leaves it alone.
  const row = await store.insert({
    folder_id: folderId,
    feed_url: feedUrl,
    site_url: "",
    site_host: siteHostOf(siteUrl),
    title: "",
    custom_title: title,
    next_fetch_at: now.toISOString(),
    lease_until: new Date(now.getTime() + 120_000).toISOString(),
    created_at: now.toISOString(),
  });
  if (!row) {
    const other = await store.findByUrls([feedUrl]);
    if (other) throw new AlreadyFollowedError(other);
    throw new Error(`could not follow ${feedUrl}`);
  }
  const newItems = await ingestFeed(ctx, claimed(row), prepareFeed(found.feed), found.res);
  if (newItems) await enqueueCitations(ctx);
  // A new source is looked at again soon (its adaptive interval may say a day), and the poll
  // chain is woken now rather than on its next minute.
  const stored = await store.byId(row.id);
  const soon = new Date(now.getTime() + FIRST_INTERVAL_MINUTES * 60_000).toISOString();
  if (stored && stored.next_fetch_at !== soon) await store.update(row.id, { next_fetch_at: soon });
  await ensurePollJob(ctx, now);
  const source = await store.byId(row.id);
  if (!source) throw new NotFoundError("The source was removed meanwhile.");
  return { source, newItems, foundBy: found.foundBy };
}

/** Follow what a source kind found (no items yet: they come as it publishes, or at its first refresh). */
async function followKind(
  ctx: AppContext,
  by: { kind: SourceKind; found: FoundSource },
  opts: { folderId: number | null; title: string },
): Promise<FollowResult> {
  const r = await addKindSource(ctx, by.kind, by.found, { ...opts, firstCheckMinutes: FIRST_INTERVAL_MINUTES });
  if (!r.added) throw new AlreadyFollowedError(r.source);
  await ensurePollJob(ctx, ctx.now());
  return { source: r.source, newItems: 0, foundBy: "kind" };
}

/**
 * Items another module received for a source of its kind (a followed fediverse account's posts):
 * stored like a poll's (each once; credits, search and saves as for feeds). Returns how many were
 * new; 0 when the source is not followed (any more).
 */
export async function addSourceItems(
  ctx: AppContext,
  kind: string,
  remoteId: string,
  items: SourceItem[],
): Promise<number> {
  const n = await storeKindItems(ctx, kind, remoteId, items);
  if (n) await enqueueCitations(ctx);
  return n;
}

const claimed = (s: SourceRow): ClaimedSource => ({
  id: s.id,
  feed_url: s.feed_url,
  site_url: s.site_url,
  etag: s.etag,
  last_modified: s.last_modified,
  interval_minutes: s.interval_minutes,
  error_count: s.error_count,
  title: s.title,
  description: s.description,
  image_url: s.image_url,
  format: s.format,
  is_podcast: s.is_podcast,
  created_at: s.created_at,
  kind: s.kind,
  remote_id: s.remote_id,
});

/** A source by id, else NotFoundError. */
export async function getSource(ctx: AppContext, id: number): Promise<SourceRow> {
  const s = await sourceStore(ctx.db).byId(id);
  if (!s) throw new NotFoundError("That source does not exist (any more).");
  return s;
}

/** Stop following a source (telling its kind, for a fediverse account); its items go with it. */
export async function unfollowSource(ctx: AppContext, id: number): Promise<SourceRow> {
  const s = await getSource(ctx, id);
  await unfollowByKind(ctx, s);
  await sourceStore(ctx.db).remove(id);
  return s;
}

/** Change a source's own title ("" goes back to the feed's) and folder (null: no folder). */
export async function updateSource(
  ctx: AppContext,
  id: number,
  input: { title?: string; folderId?: number | null },
): Promise<SourceRow> {
  await getSource(ctx, id);
  const patch: { custom_title?: string; folder_id?: number | null } = {};
  if (input.title !== undefined) {
    const t = input.title.trim();
    if (t.length > 300) throw new ValidationError("The title must be at most 300 characters.", { field: "title" });
    patch.custom_title = t;
  }
  if (input.folderId !== undefined) patch.folder_id = await checkFolder(ctx, input.folderId);
  if (Object.keys(patch).length) await sourceStore(ctx.db).update(id, patch);
  return getSource(ctx, id);
}

/** Every followed source with its display name and item counts, by name. */
export async function listSources(ctx: AppContext): Promise<SourceInfo[]> {
  const store = sourceStore(ctx.db);
  const [rows, counts] = await Promise.all([store.list(), store.itemCounts()]);
  return rows
    .map((r) => ({
      ...r,
      name: displayName(r),
      items: counts.get(r.id)?.total ?? 0,
      unread: counts.get(r.id)?.unread ?? 0,
    }))
    .sort((a, b) => a.name.localeCompare(b.name, undefined, { sensitivity: "base" }) || a.id - b.id);
}

/** A folder with its sub-folders and sources. */
export interface FolderNode {
  folder: FolderRow;
  /** Names from the top, e.g. ["Tech", "Web"]. */
  path: string[];
  children: FolderNode[];
  sources: SourceInfo[];
}

/** Folders as a tree, each with its sources, plus the sources in no folder. */
export async function sourceTree(ctx: AppContext): Promise<{ folders: FolderNode[]; unfiled: SourceInfo[] }> {
  const [folders, sources] = await Promise.all([sourceStore(ctx.db).folders(), listSources(ctx)]);
  const nodes = new Map<number, FolderNode>(
    folders.map((f) => [f.id, { folder: f, path: [], children: [], sources: [] }]),
  );
  const roots: FolderNode[] = [];
  for (const n of nodes.values()) {
    const parent = n.folder.parent_id === null ? undefined : nodes.get(n.folder.parent_id);
    (parent ? parent.children : roots).push(n);
  }
  const setPaths = (list: FolderNode[], prefix: string[]) => {
    for (const n of list) {
      n.path = [...prefix, n.folder.name];
      setPaths(n.children, n.path);
    }
  };
  setPaths(roots, []);
  const unfiled: SourceInfo[] = [];
  for (const s of sources) {
    const n = s.folder_id === null ? undefined : nodes.get(s.folder_id);
    (n ? n.sources : unfiled).push(s);
  }
  return { folders: roots, unfiled };
}
