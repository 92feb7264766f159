/**
 * Accounts that do not accept the reader's follow: after a `Reject`, or with no answer for a day,
 * their public posts are read instead, from their own feed where their server offers one
 * (Mastodon and Misskey: the profile's URL with ".rss"; GoToSocial: "/feed.rss" under it), else
 * from their public outbox. An accepted follow needs nothing: their posts are delivered.
 */
import { Activity, isActor } from "@fedify/vocab";
import type { AppContext } from "../lib/context.ts";
import type { SourceItem, SourceRefresh } from "../lib/module.ts";
import { itemOfActivity } from "./following-items.ts";
import { contextOf, fetchObject, loadersOf } from "./lookup.ts";
import { followingStore } from "./relations-store.ts";
import type { RemoteActor } from "./remote.ts";

/** How long a Follow may wait for its answer before the account's public posts are read instead. */
export const PATIENCE_MS = 24 * 3600_000;
/** Items read from an outbox at once (its newest). */
const OUTBOX_ITEMS = 20;

/** The account's own feed, where its server offers one at the usual addresses; null when none answers. */
export async function accountFeed(app: AppContext, actor: Pick<RemoteActor, "url">): Promise<string | null> {
  const profile = new URL(actor.url);
  if (!/^\/@[^/]+$/.test(profile.pathname)) return null;
  for (const url of [`${profile.href}.rss`, `${profile.href}/feed.rss`]) {
    try {
      const res = await app.fetcher.fetch(url, {
        headers: { Accept: "application/rss+xml, application/atom+xml;q=0.9, application/xml;q=0.8" },
        timeoutMs: 5_000,
        maxBytes: 2 * 1024 * 1024,
      });
      if (res.status === 200 && /xml|rss|atom/i.test(res.headers.get("content-type") ?? "")) return res.url;
    } catch {
      // Not offered there (or not now): the outbox remains.
    }
  }
  return null;
}

/** What the reader does with a followed account when it is due. */
export async function refreshFollowed(
  app: AppContext,
  source: { key: string; hasFeed: boolean },
): Promise<SourceRefresh> {
  const row = await followingStore(app.db).byActor(source.key);
  // No row: the account blocked us (inbox.ts forgot the follow), so nothing of it is read.
  if (!row) return { kind: "pushed" };
  const waiting = row.status === "pending" && app.now().getTime() - Date.parse(row.created_at) < PATIENCE_MS;
  if (row.status === "accepted" || waiting) return { kind: "pushed" };
  if (source.hasFeed) return { kind: "feed" };
  return { kind: "items", items: await outboxItems(app, source.key) };
}

/** The newest public posts and boosts in an account's outbox. Throws when the account cannot be read. */
export async function outboxItems(app: AppContext, actorUri: string): Promise<SourceItem[]> {
  const ctx = contextOf(app);
  const load = await loadersOf(ctx);
  const actor = await fetchObject(actorUri, load);
  if (!isActor(actor) || !actor.outboxId) return [];
  const outbox = await actor.getOutbox(load);
  if (!outbox) return [];
  const items: SourceItem[] = [];
  let seen = 0;
  for await (const entry of ctx.traverseCollection(outbox, { ...load, suppressError: true })) {
    if (++seen > OUTBOX_ITEMS) break;
    if (!(entry instanceof Activity)) continue;
    try {
      const item = await itemOfActivity(entry, actorUri, load);
      if (item) items.push(item);
    } catch (err) {
      app.log.debug("fediverse: an outbox item could not be read", { actor: actorUri, error: String(err) });
    }
  }
  return items;
}
