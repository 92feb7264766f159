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
  // No answer at all: @atproto/xrpc says status 1 ("Unknown") when the fetch itself failed.
  if (e.status === undefined || e.status === 1 || e.status >= 500)
    return new PlatformError("down", `Bluesky could not be reached for ${what} (${said}).`, { cause: err });
  return new PlatformError("refused", `Bluesky refused it for ${what} (${said}).`, { cause: err });
}

export interface BlueskyPost {
  /** The text; several when it goes as a thread (each a reply to the one before). */
  parts: string[];
  card?: { uri: string; title: string; description: string; thumb?: { bytes: Uint8Array; mime: string } };
  /** Images with their alt text (instead of the card: Bluesky takes one embed a post). */
  images?: { bytes: Uint8Array; mime: string; alt: string }[];
  /** When the copy was made and its id: they make its record keys. */
  copy: { id: number; createdAt: string };
}

/** The record key of a copy's `part`th post: a TID from when the copy was made, the copy's id as clock id. */
export function recordKeyOf(copy: BlueskyPost["copy"], part = 0): string {
  const micros = Date.parse(copy.createdAt) * 1000 + (copy.id % 1000) + part * 1000;
  return TID.fromTime(micros, copy.id % 1024).toString();
}

type Ref = { uri: string; cid: string };

/**
 * Post (a thread when there are several parts; the embed goes on the first); returns the first
 * record's URI and public URL, and the URIs of the rest. Sending the same copy again returns the
 * same: each record's key comes from the copy, and a record already there is read, not made again.
 */
export async function postToBluesky(
  agent: AtpAgent,
  post: BlueskyPost,
): Promise<{ uri: string; url: string; more: string[] }> {
  const did = agent.session?.did;
  const handle = agent.session?.handle;
  if (!did || !handle) throw new PlatformError("auth", "Not signed in to Bluesky.");
  for (const img of post.images ?? [])
    if (img.bytes.length > MAX_THUMB_BYTES)
      throw new PlatformError(
        "too-large",
        `The image is ${img.bytes.length.toLocaleString("en")} bytes; Bluesky takes at most ${MAX_THUMB_BYTES.toLocaleString("en")}.`,
      );
  try {
    const refs: Ref[] = [];
    for (const [i, text] of post.parts.entries()) {
      const rt = new RichText({ text });
      await rt.detectFacets(agent);
      const record = {
        $type: "app.bsky.feed.post",
        text: rt.text,
        facets: rt.facets,
        embed: i === 0 ? await embedOf(agent, post) : undefined,
        reply: i > 0 ? { root: refs[0], parent: refs[i - 1] } : undefined,
        createdAt: new Date(Date.parse(post.copy.createdAt) + i).toISOString(),
      };
      refs.push(await putOnce(agent, did, recordKeyOf(post.copy, i), record));
    }
    const url = `https://bsky.app/profile/${handle}/post/${recordKeyOf(post.copy)}`;
    return { uri: refs[0].uri, url, more: refs.slice(1).map((r) => r.uri) };
  } catch (err) {
    if (err instanceof PlatformError) throw err;
    throw platformError(err, handle);
  }
}

async function embedOf(agent: AtpAgent, post: BlueskyPost): Promise<Record<string, unknown> | undefined> {
  const upload = async (b: { bytes: Uint8Array; mime: string }) =>
    (await agent.uploadBlob(b.bytes, { encoding: b.mime })).data.blob;
  if (post.images?.length) {
    const images = [];
    for (const img of post.images.slice(0, 4)) images.push({ image: await upload(img), alt: img.alt });
    return { $type: "app.bsky.embed.images", images };
  }
  if (!post.card) return undefined;
  const t = post.card.thumb;
  const thumb = t && t.bytes.length <= MAX_THUMB_BYTES ? await upload(t) : undefined;
  return {
    $type: "app.bsky.embed.external",
    external: { uri: post.card.uri, title: post.card.title, description: post.card.description, thumb },
  };
}

/** Create the record under `rkey`, or (sent before: a crash after the PDS took it) read the one there. */
async function putOnce(agent: AtpAgent, did: string, rkey: string, record: Record<string, unknown>): Promise<Ref> {
  const collection = "app.bsky.feed.post";
  try {
    const r = await agent.com.atproto.repo.createRecord({ repo: did, collection, rkey, record });
    return { uri: r.data.uri, cid: r.data.cid };
  } catch (err) {
    const existing = await agent.com.atproto.repo.getRecord({ repo: did, collection, rkey }).catch(() => undefined);
    if (existing?.data.uri && existing.data.cid) return { uri: existing.data.uri, cid: existing.data.cid };
    throw err;
  }
}

/** Delete a copy's records (a thread's too); a record already gone is no error. */
export async function deleteFromBluesky(agent: AtpAgent, uris: string[]): Promise<void> {
  const did = agent.session?.did;
  if (!did) throw new PlatformError("auth", "Not signed in to Bluesky.");
  try {
    for (const uri of uris) {
      const rkey = uri.split("/").pop() ?? "";
      await agent.com.atproto.repo.deleteRecord({ repo: did, collection: "app.bsky.feed.post", rkey });
    }
  } catch (err) {
    throw platformError(err, agent.session?.handle ?? did);
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
