/**
 * Sources of the kinds other modules provide (fediverse accounts, lib/module.ts `SourceKind`):
 * what the owner typed goes to the kinds before feed discovery; a kind's source is stored keyed by
 * its kind and id, refreshed when due (its items come by themselves, from its feed, or as the kind
 * reads them), and unfollowed through its kind. Items a kind receives come in by `addSourceItems`.
 * The reader imports none of the modules that provide kinds: `ctx.host` hands them over.
 */
import type { AppContext } from "../../lib/context.ts";
import type { FoundSource, SourceItem, SourceKind } from "../../lib/module.ts";
import { kindItemRows } from "./kind-items.ts";
import type { PollOutcome } from "./poll.ts";
import { siteHostOf } from "./rows.ts";
import { nextAfterSuccess, youngIntervalMinutes } from "./schedule.ts";
import { type ClaimedSource, type SourceRow, sourceStore } from "./store.ts";

/** The reader's own kind: a feed it polls. */
export const FEED_KIND = "feed";

async function kindNamed(ctx: AppContext, name: string): Promise<SourceKind | undefined> {
  return (await ctx.host.sourceKinds()).find((k) => k.name === name);
}

/** Where the owner answers an item of a source of `kind`, when its kind can be answered. */
export async function replyPathOf(ctx: AppContext, kind: string, itemId: number): Promise<string | undefined> {
  if (kind === FEED_KIND) return undefined;
  return (await kindNamed(ctx, kind))?.replyPath?.(itemId);
}

/**
 * The kind that takes `input` and what it found, asking the kinds that claim it as `claim` ("yes":
 * only that kind can take it; "maybe": worth asking), or undefined when none does.
 */
export async function resolveByKind(
  ctx: AppContext,
  input: string,
  claim: "yes" | "maybe",
): Promise<{ kind: SourceKind; found: FoundSource } | undefined> {
  const text = input.trim();
  for (const kind of await ctx.host.sourceKinds()) {
    if (kind.claims(text) !== claim) continue;
    const found = await kind.resolve(ctx, text);
    if (found) return { kind, found };
  }
  return undefined;
}

/**
 * Store what a kind found and start following it. Returns the new source, or the source that has
 * it already (`added: false`). A follow that cannot be started leaves nothing stored.
 */
export async function addKindSource(
  ctx: AppContext,
  kind: SourceKind,
  found: FoundSource,
  opts: { folderId: number | null; title: string; firstCheckMinutes: number },
): Promise<{ source: SourceRow; added: boolean }> {
  const store = sourceStore(ctx.db);
  const feedUrl = found.feedUrl ?? found.key;
  const known = (await store.byRemote(kind.name, found.key)) ?? (await store.findByUrls([feedUrl]));
  if (known) return { source: known, added: false };
  const now = ctx.now();
  const row = await store.insert({
    folder_id: opts.folderId,
    feed_url: feedUrl,
    site_url: found.siteUrl,
    site_host: siteHostOf(found.siteUrl),
    title: found.title,
    custom_title: opts.title,
    description: found.description,
    image_url: found.imageUrl,
    kind: kind.name,
    remote_id: found.key,
    next_fetch_at: new Date(now.getTime() + opts.firstCheckMinutes * 60_000).toISOString(),
    created_at: now.toISOString(),
  });
  if (!row) {
    const other = await store.findByUrls([feedUrl]);
    if (other) return { source: other, added: false };
    throw new Error(`could not follow ${found.key}`);
  }
  try {
    await found.follow();
  } catch (err) {
    await store.remove(row.id);
    throw err;
  }
  return { source: row, added: true };
}

/** Tell a source's kind that the owner stopped following it (feeds and unknown kinds: nothing to say). */
export async function unfollowByKind(ctx: AppContext, source: SourceRow): Promise<void> {
  if (source.kind === FEED_KIND || !source.remote_id) return;
  const kind = await kindNamed(ctx, source.kind);
  await kind?.unfollow(ctx, source.remote_id);
}

/**
 * A due source of another kind: ask its kind what to do. Returns the poll's outcome, or undefined
 * when its feed is to be polled as any feed's. Throws what the kind throws (the poll records it).
 */
export async function refreshKindSource(ctx: AppContext, src: ClaimedSource): Promise<PollOutcome | undefined> {
  const hasFeed = src.feed_url !== src.remote_id;
  const kind = src.remote_id ? await kindNamed(ctx, src.kind) : undefined;
  // Without its module (uninstalled), what is left of a source is its feed, if it has one.
  if (!kind || !src.remote_id) {
    if (hasFeed) return undefined;
    throw new Error(`This ${src.kind} source cannot be read: nothing here follows sources of that kind.`);
  }
  const how = await kind.refresh(ctx, { key: src.remote_id, hasFeed });
  if (how.kind === "feed" && hasFeed) return undefined;
  const now = ctx.now();
  const at = now.toISOString();
  const rows = how.kind === "items" ? kindItemRows(how.items, at) : [];
  const next = nextAfterSuccess({
    now,
    intervalMinutes: youngIntervalMinutes(src.interval_minutes, src.created_at, now),
  });
  const newItems = await sourceStore(ctx.db).finishPoll(
    src.id,
    {
      next_fetch_at: next.toISOString(),
      last_fetched_at: at,
      last_success_at: at,
      error_count: 0,
      last_error: null,
      last_error_at: null,
    },
    rows,
  );
  return how.kind === "items" ? { kind: "fetched", newItems } : { kind: "not-modified" };
}

/**
 * Store items that arrived by themselves for the source `kind`/`remoteId` (a followed account's
 * new posts), like a poll's: each once, credits and search as for feeds. Returns how many were
 * new; 0 when nobody follows that source (any more).
 */
export async function storeKindItems(
  ctx: AppContext,
  kind: string,
  remoteId: string,
  items: SourceItem[],
): Promise<number> {
  const store = sourceStore(ctx.db);
  const source = await store.byRemote(kind, remoteId);
  if (!source) return 0;
  return store.addItems(source.id, kindItemRows(items, ctx.now().toISOString()));
}
