/**
 * Backfeed: what people do with the copies comes home. Each account's notifications are polled
 * (one request a poll, however many copies there are); a reply to a copy becomes a conversation
 * item, moderated like a comment, with its author's name, avatar and link, and favourites and
 * boosts join the post's face piles; the threads under young copies are read too (Bluesky's
 * getPostThread, Mastodon's status context), for replies that did not notify the owner. Mastodon replies are stored under their ActivityPub id, so a
 * reply that also came by ActivityPub appears once. Polls back off while nothing happens (5 min,
 * doubling to 6 h) and come back to 5 min when something does; a revoked token is said once, on
 * the account, and its polling stops until a check succeeds.
 */
import { z } from "zod";
import { conversationItemByRemote, type RemoteItem, recordRemoteItem } from "../conversation/index.ts";
import type { AppContext } from "../lib/context.ts";
import { h } from "../lib/html.ts";
import { handle, jobKind } from "../lib/jobs/kinds.ts";
import { webFetch } from "../lib/net/web-fetch.ts";
import { type BlueskyNotification, blueskyNotifications, blueskyReplies } from "./bluesky.ts";
import { type MastodonNotification, mastodonNotifications, mastodonReplies } from "./mastodon.ts";
import { PlatformError } from "./platform-error.ts";
import { credentialOf } from "./secrets.ts";
import { type AccountRow, accountStore, copyStore } from "./store.ts";
import { signedInAgent } from "./syndicate.ts";

export const MIN_INTERVAL_S = 300;
/** Copies this young have their threads read at every poll. */
const YOUNG_MS = 48 * 3600_000;

const known = async (ctx: AppContext, remoteId: string) =>
  (await conversationItemByRemote(ctx, "bluesky", remoteId)) !== undefined;
export const MAX_INTERVAL_S = 6 * 3600;

/** Poll one account (unique per account: one chain each). */
export const BACKFEED_JOB = jobKind("syndication.backfeed", z.object({ accountId: z.number().int() }));

/** The next interval: back to the shortest after activity, doubled (to the cap) after none. Pure. */
export function nextInterval(current: number, found: number): number {
  return found > 0 ? MIN_INTERVAL_S : Math.min(MAX_INTERVAL_S, Math.max(MIN_INTERVAL_S, current * 2));
}

const plain = (html: string) =>
  html
    .replace(/<br\s*\/?>/gi, "\n")
    .replace(/<\/p>/gi, "\n\n")
    .replace(/<[^>]+>/g, "")
    .replace(/&amp;/g, "&")
    .replace(/&lt;/g, "<")
    .replace(/&gt;/g, ">")
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .trim();

/** A Mastodon notification as a conversation item of `postId`, or undefined when it is not one. Pure. */
export function itemOfNotification(n: MastodonNotification, postId: number, instance: string): RemoteItem | undefined {
  const author = {
    key: `ap:${n.account.uri ?? n.account.url}`,
    name: n.account.display_name || `@${n.account.acct}`,
    url: n.account.url,
    photo: n.account.avatar ?? "",
  };
  const base = { via: "activitypub" as const, postId, parentId: null, author, publishedAt: n.created_at };
  if (n.type === "mention" && n.status)
    return {
      ...base,
      kind: "reply",
      remoteId: n.status.uri,
      html: n.status.content,
      text: plain(n.status.content),
      sourceUrl: n.status.url ?? n.status.uri,
      publishedAt: n.status.created_at,
    };
  if (n.type === "favourite" || n.type === "reblog")
    return {
      ...base,
      kind: n.type === "favourite" ? "like" : "repost",
      remoteId: `${instance}/notifications/${n.id}`,
      html: "",
      text: "",
      sourceUrl: n.account.url,
    };
  return undefined;
}

/** A Bluesky notification as a conversation item of `postId`, or undefined when it is not one. Pure. */
export function itemOfBlueskyNotification(n: BlueskyNotification, postId: number): RemoteItem | undefined {
  const profile = `https://bsky.app/profile/${n.author.handle}`;
  const author = {
    key: `bsky:${n.author.did}`,
    name: n.author.displayName || `@${n.author.handle}`,
    url: profile,
    photo: n.author.avatar ?? "",
  };
  const base = { via: "bluesky" as const, postId, parentId: null, author, remoteId: n.uri, publishedAt: n.indexedAt };
  if (n.reason === "reply") {
    const text = n.record.text ?? "";
    const rkey = n.uri.split("/").at(-1) ?? "";
    return { ...base, kind: "reply", html: String(h`<p>${text}</p>`), text, sourceUrl: `${profile}/post/${rkey}` };
  }
  if (n.reason === "like" || n.reason === "repost")
    return { ...base, kind: n.reason === "like" ? "like" : "repost", html: "", text: "", sourceUrl: profile };
  return undefined;
}

/** The copy a notification is about: the post replied to, or liked or reposted. */
const subjectOf = (n: BlueskyNotification) => (n.reason === "reply" ? n.record.reply?.parent?.uri : n.reasonSubject);

async function pollBluesky(ctx: AppContext, account: AccountRow): Promise<{ found: number; cursor: string | null }> {
  const agent = await signedInAgent(ctx, account, credentialOf(ctx, account));
  const list = await blueskyNotifications(agent, account.poll_cursor);
  const copies = copyStore(ctx.db);
  let found = 0;
  // Threads are read for copies something happened to, and for young ones (replies come early):
  // an idle old copy costs nothing.
  const threads = new Map<string, number>();
  for (const c of await copies.sentSince(account.id, new Date(ctx.now().getTime() - YOUNG_MS).toISOString()))
    if (c.remote_id) threads.set(c.remote_id, c.post_id);
  for (const n of list) {
    const subject = subjectOf(n);
    const copy = subject ? await copies.byRemote(account.id, subject) : undefined;
    if (!copy) continue;
    if (copy.remote_id) threads.set(copy.remote_id, copy.post_id);
    const item = itemOfBlueskyNotification(n, copy.post_id);
    if (!item) continue;
    await recordRemoteItem(ctx, item);
    found++;
  }
  for (const [uri, postId] of threads)
    for (const r of await blueskyReplies(agent, uri)) {
      const item = itemOfBlueskyNotification(r, postId);
      if (!item || (await known(ctx, item.remoteId))) continue;
      await recordRemoteItem(ctx, item);
      found++;
    }
  return { found, cursor: list.at(-1)?.indexedAt ?? account.poll_cursor };
}

/** One poll of one account; returns how many items it brought home. */
export async function pollAccount(ctx: AppContext, account: AccountRow): Promise<number> {
  if (account.platform === "bluesky") {
    const { found, cursor } = await pollBluesky(ctx, account);
    await afterPoll(ctx, account, found, cursor);
    return found;
  }
  if (account.platform !== "mastodon") return 0;
  const { found, cursor } = await pollMastodon(ctx, account);
  await afterPoll(ctx, account, found, cursor);
  return found;
}

/**
 * Mastodon: the notifications (mentions, favourites, boosts) in one request; then the context of
 * young copies and of those something happened to, for replies deeper in a thread that did not
 * mention the owner (an idle old copy costs nothing).
 */
async function pollMastodon(ctx: AppContext, account: AccountRow): Promise<{ found: number; cursor: string | null }> {
  const fetchFn = webFetch(ctx.fetcher);
  const login = { instance: account.service_url, token: credentialOf(ctx, account) };
  const list = await mastodonNotifications(fetchFn, login, account.poll_cursor);
  const copies = copyStore(ctx.db);
  const threads = new Map<string, number>();
  for (const c of await copies.sentSince(account.id, new Date(ctx.now().getTime() - YOUNG_MS).toISOString()))
    if (c.remote_id) threads.set(c.remote_id, c.post_id);
  let found = 0;
  for (const n of list) {
    // A reply answers a copy's status; a favourite or boost is of the copy itself.
    const statusId = n.type === "mention" ? n.status?.in_reply_to_id : n.status?.id;
    const copy = statusId ? await copies.byRemote(account.id, statusId) : undefined;
    if (copy?.remote_id) threads.set(copy.remote_id, copy.post_id);
    const item = copy ? itemOfNotification(n, copy.post_id, account.service_url) : undefined;
    if (!item) continue;
    await recordRemoteItem(ctx, item);
    found++;
  }
  for (const [statusId, postId] of threads)
    for (const status of await mastodonReplies(fetchFn, login, statusId)) {
      if (await conversationItemByRemote(ctx, "activitypub", status.uri)) continue;
      const n = { id: status.id, type: "mention", created_at: status.created_at, account: status.account, status };
      const item = itemOfNotification(n, postId, account.service_url);
      if (!item) continue;
      await recordRemoteItem(ctx, item);
      found++;
    }
  return { found, cursor: list.at(-1)?.id ?? account.poll_cursor };
}

async function afterPoll(ctx: AppContext, account: AccountRow, found: number, cursor: string | null) {
  const intervalS = nextInterval(account.poll_interval_s, found);
  const nextAt = new Date(ctx.now().getTime() + intervalS * 1000).toISOString();
  await accountStore(ctx.db).polled(account.id, { cursor, intervalS, nextAt });
}

/** Queue the account's next poll at its time (one chain per account). */
export async function schedulePoll(ctx: AppContext, account: AccountRow): Promise<void> {
  if (account.platform === "linkedin" || account.status !== "ok") return;
  const at = account.next_poll_at ? new Date(account.next_poll_at) : ctx.now();
  await ctx.jobs.enqueue(BACKFEED_JOB, { accountId: account.id }, { uniqueKey: `backfeed:${account.id}`, runAt: at });
}

/** Register the backfeed job and start a chain for every working account. */
export async function registerBackfeed(ctx: AppContext): Promise<void> {
  ctx.runner.register(
    handle(BACKFEED_JOB, async ({ accountId }, job) => {
      await ctx.jobs.releaseKey(job.id);
      const account = await accountStore(ctx.db).byId(accountId);
      if (!account || account.status !== "ok") return; // removed, or waiting for the owner
      try {
        await pollAccount(ctx, account);
      } catch (err) {
        if (err instanceof PlatformError && err.kind === "auth") {
          // Said once: the account shows it, and polling stops until a check works again.
          await accountStore(ctx.db).checked(account.id, "error", err.message, ctx.now().toISOString());
          return;
        }
        // An outage or a rate limit: the next poll at the longer interval (or the platform's time).
        const intervalS = nextInterval(account.poll_interval_s, 0);
        const later =
          err instanceof PlatformError && err.retryAt ? err.retryAt : new Date(ctx.now().getTime() + intervalS * 1000);
        await accountStore(ctx.db).polled(account.id, {
          cursor: account.poll_cursor,
          intervalS,
          nextAt: later.toISOString(),
        });
      }
      const fresh = await accountStore(ctx.db).byId(accountId);
      if (fresh) await schedulePoll(ctx, fresh);
    }),
  );
  for (const a of await accountStore(ctx.db).list())
    if (!(await ctx.jobs.hasKey(`backfeed:${a.id}`))) await schedulePoll(ctx, a);
}
