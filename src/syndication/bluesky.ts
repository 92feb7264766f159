/**
 * Bluesky (any atproto PDS) through `@atproto/api`, its requests through our guarded fetcher:
 * signing in with an app password, and a post with rich-text facets (links, mentions, hashtags)
 * and a link card whose thumbnail is uploaded as a blob. A copy's record key is derived from the
 * copy, so sending it again after a crash finds the record instead of posting twice.
 */
import { AtpAgent, RichText } from "@atproto/api";
import { TID } from "@atproto/common-web";
import { PlatformError } from "./platform-error.ts";

/** Bluesky's default service, where most accounts live. */
export const BLUESKY_SERVICE = "https://bsky.social";
/** The largest thumbnail Bluesky takes for a link card. */
export const MAX_THUMB_BYTES = 1_000_000;

export interface BlueskyLogin {
  service: string;
  handle: string;
  password: string;
}

/** A signed-in agent, or a PlatformError saying why not. */
export async function blueskyAgent(fetchFn: typeof fetch, login: BlueskyLogin): Promise<AtpAgent> {
  const agent = new AtpAgent({ service: login.service, fetch: fetchFn });
  try {
    await agent.login({ identifier: login.handle, password: login.password });
  } catch (err) {
    throw platformError(err, `${login.handle} at ${login.service}`);
  }
  return agent;
}

/** An error from the PDS as a PlatformError with its message. */
export function platformError(err: unknown, what: string): PlatformError {
  const e = err as { status?: number; error?: string; message?: string; headers?: Record<string, string> };
  const said = [e.error, e.message].filter(Boolean).join(": ") || String(err);
  if (e.status === 401 || e.error === "AuthenticationRequired" || e.error === "ExpiredToken")
    return new PlatformError("auth", `Bluesky refused the sign-in of ${what} (${said}).`, { cause: err });
  if (e.status === 429) {
    const reset = Number(e.headers?.["ratelimit-reset"]);
    const retryAt = Number.isFinite(reset) && reset > 0 ? new Date(reset * 1000) : undefined;
    return new PlatformError("rate", `Bluesky's rate limit for ${what} (${said}).`, { cause: err, retryAt });
  }
  if (e.status === undefined || e.status >= 500)
    return new PlatformError("down", `Bluesky could not be reached for ${what} (${said}).`, { cause: err });
  return new PlatformError("refused", `Bluesky refused it for ${what} (${said}).`, { cause: err });
}

export interface BlueskyPost {
  text: string;
  card?: { uri: string; title: string; description: string; thumb?: { bytes: Uint8Array; mime: string } };
  /** When the copy was made and its id: they make its record key. */
  copy: { id: number; createdAt: string };
}

/** The record key of a copy: a TID from when the copy was made, with the copy's id as clock id. */
export function recordKeyOf(copy: BlueskyPost["copy"]): string {
  const micros = Date.parse(copy.createdAt) * 1000 + (copy.id % 1000);
  return TID.fromTime(micros, copy.id % 1024).toString();
}

/** Post; returns the record's URI and its public URL. Sending the same copy again returns the same. */
export async function postToBluesky(agent: AtpAgent, post: BlueskyPost): Promise<{ uri: string; url: string }> {
  const did = agent.session?.did;
  const handle = agent.session?.handle;
  if (!did || !handle) throw new PlatformError("auth", "Not signed in to Bluesky.");
  const rkey = recordKeyOf(post.copy);
  const url = `https://bsky.app/profile/${handle}/post/${rkey}`;
  try {
    const rt = new RichText({ text: post.text });
    await rt.detectFacets(agent);
    let embed: Record<string, unknown> | undefined;
    if (post.card) {
      const thumb =
        post.card.thumb && post.card.thumb.bytes.length <= MAX_THUMB_BYTES
          ? (await agent.uploadBlob(post.card.thumb.bytes, { encoding: post.card.thumb.mime })).data.blob
          : undefined;
      embed = {
        $type: "app.bsky.embed.external",
        external: { uri: post.card.uri, title: post.card.title, description: post.card.description, thumb },
      };
    }
    const r = await agent.com.atproto.repo
      .createRecord({
        repo: did,
        collection: "app.bsky.feed.post",
        rkey,
        record: {
          $type: "app.bsky.feed.post",
          text: rt.text,
          facets: rt.facets,
          embed,
          createdAt: post.copy.createdAt,
        },
      })
      .catch(async (err: unknown) => {
        // Sent before (a crash after the PDS took it): the record is there under the copy's key.
        const existing = await agent.com.atproto.repo
          .getRecord({ repo: did, collection: "app.bsky.feed.post", rkey })
          .catch(() => undefined);
        if (existing?.data.uri) return { data: { uri: existing.data.uri } };
        throw err;
      });
    return { uri: r.data.uri, url };
  } catch (err) {
    if (err instanceof PlatformError) throw err;
    throw platformError(err, handle);
  }
}

/** A notification as the AppView lists it (the fields backfeed reads). */
export interface BlueskyNotification {
  uri: string;
  reason: string;
  reasonSubject?: string;
  indexedAt: string;
  author: { did: string; handle: string; displayName?: string; avatar?: string };
  record: { text?: string; reply?: { parent?: { uri?: string } }; createdAt?: string };
}

/** Notifications indexed after `seenAt` (the AppView's, through the PDS), oldest first; one request a page. */
export async function blueskyNotifications(agent: AtpAgent, seenAt: string | null): Promise<BlueskyNotification[]> {
  try {
    const r = await agent.app.bsky.notification.listNotifications({ limit: 50 });
    const list = r.data.notifications as unknown as BlueskyNotification[];
    return list.filter((n) => !seenAt || n.indexedAt > seenAt).sort((a, b) => a.indexedAt.localeCompare(b.indexedAt));
  } catch (err) {
    throw platformError(err, agent.session?.handle ?? "the account");
  }
}

/** Replies under a post (the AppView's thread, nested replies included), as notifications would carry them. */
export async function blueskyReplies(agent: AtpAgent, uri: string): Promise<BlueskyNotification[]> {
  let thread: unknown;
  try {
    thread = (await agent.app.bsky.feed.getPostThread({ uri, depth: 10 })).data.thread;
  } catch (err) {
    throw platformError(err, agent.session?.handle ?? "the account");
  }
  const out: BlueskyNotification[] = [];
  const walk = (node: unknown) => {
    const n = node as { post?: Record<string, any>; replies?: unknown[] };
    for (const r of n.replies ?? []) {
      const p = (r as { post?: Record<string, any> }).post;
      if (p?.uri && p.author?.did)
        out.push({
          uri: p.uri,
          reason: "reply",
          indexedAt: p.indexedAt,
          author: p.author,
          record: { ...p.record, reply: { parent: { uri } } },
        });
      walk(r);
    }
  };
  walk(thread);
  return out;
}
