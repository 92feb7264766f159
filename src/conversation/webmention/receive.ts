/**
 * Receiving Webmentions (W3C Webmention, 3.2): `accept` checks the request and queues it (the
 * endpoint answers 201 with a status URL at once); `verify`, a job, fetches the source through
 * the guarded fetcher, checks that it links to the target, classifies it with microformats and
 * stores or updates the conversation item. A source that now answers 410 Gone, or no longer
 * links, removes its item; one that fails otherwise (unreachable, too large, not HTML, a
 * redirect loop) changes nothing already stored.
 */

import { postById, postPath, postStateBySlug, redirectOf } from "../../content/index.ts";
import type { AppContext } from "../../lib/context.ts";
import { ValidationError } from "../../lib/errors.ts";
import { FetchError } from "../../lib/net/types.ts";
import { signToken, verifyToken } from "../../lib/tokens.ts";
import { blockedBy } from "../comments/blocklist.ts";
import { conversationChanged } from "../comments/post-pages.ts";
import { afterStored, commentOutcome } from "../comments/service.ts";
import { sanitizeCommentHtml } from "../comments/text.ts";
import { crossKeys, sameItem } from "../same-item.ts";
import { blockStore, itemStore } from "../store.ts";
import { classifyMention, linksTo } from "./classify.ts";
import { intake } from "./intake.ts";
import { receivedStore } from "./receive-store.ts";
import { verifyJob } from "./verify-kind.ts";

export { verifyJob };

/** Largest source page read, and how long to wait for it. */
const MAX_SOURCE_BYTES = 1024 * 1024;
const SOURCE_TIMEOUT_MS = 10_000;

const httpUrl = (s: string, field: string): URL => {
  if (!s) throw new ValidationError(`${field}: missing (send ${field}=URL as a form field)`, { field });
  if (!URL.canParse(s)) throw new ValidationError(`${field}: not a URL: ${s.slice(0, 200)}`, { field });
  const u = new URL(s);
  if (u.protocol !== "http:" && u.protocol !== "https:")
    throw new ValidationError(`${field}: only http and https URLs are accepted`, { field });
  return u;
};

const safeDecode = (s: string) => {
  try {
    return decodeURIComponent(s);
  } catch {
    return s; // a malformed %-escape names no post
  }
};

type PostState = Awaited<ReturnType<typeof postStateBySlug>>;
const states = new WeakMap<AppContext, Map<string, { at: number; state: PostState; generation: number }>>();
/** How long a post's state is reused: a burst of Webmentions to one post reads it once a second. */
const STATE_MS = 1000;

/** A post's state by slug, read at most once a second (the verification job checks again later). */
async function recentState(ctx: AppContext, slug: string): Promise<PostState> {
  let memo = states.get(ctx);
  if (!memo) {
    memo = new Map();
    states.set(ctx, memo);
  }
  const now = Date.now();
  const hit = memo.get(slug);
  // A change made through this process (a post deleted) is seen at once; another's within a second.
  if (hit && now - hit.at < STATE_MS && hit.generation === ctx.cache.generation) return hit.state;
  const state = await postStateBySlug(ctx, slug);
  if (memo.size >= 1000) memo.clear();
  memo.set(slug, { at: now, state, generation: ctx.cache.generation });
  return state;
}

/** The published post a target URL names, or a ValidationError saying why it is not ours. */
export async function targetPost(
  ctx: AppContext,
  target: string,
): Promise<{ id: number; slug: string; kind: string; published_at: string | null }> {
  const u = httpUrl(target, "target");
  const base = new URL(ctx.config.baseUrl);
  if (u.host !== base.host)
    throw new ValidationError(`target: ${u.host} is not this site (${base.host})`, { field: "target" });
  const path = u.pathname.replace(/\/+$/, "") || "/";
  if (path === "/")
    throw new ValidationError("target: the home page takes no Webmentions; send the address of a post", {
      field: "target",
    });
  const slug = safeDecode(path.split("/").pop() ?? "");
  let post = slug ? await recentState(ctx, slug) : undefined;
  // A post's own address, its short form /SLUG (which redirects to it), or an old address of it.
  if (post && postPath(post) !== path && `/${post.slug}` !== path) post = undefined;
  if (!post) {
    const moved = await redirectOf(ctx, path);
    const to = moved ? await postById(ctx, moved.post_id) : undefined;
    if (to) post = to;
  }
  const now = ctx.now().toISOString();
  if (post?.status !== "published" || !post.published_at || post.published_at > now)
    throw new ValidationError(`target: ${path} is not a published post of this site`, { field: "target" });
  return post;
}

/** Check and queue a Webmention; returns the received row's id and its status token. */
export async function acceptWebmention(
  ctx: AppContext,
  source: string,
  target: string,
): Promise<{ id: number; token: string }> {
  const src = httpUrl(source, "source");
  if (URL.canParse(target) && new URL(target).href === src.href)
    throw new ValidationError("source: the source and the target are the same page", { field: "source" });
  // Our own pages link to each other (related posts): they are not someone answering.
  if (src.host === new URL(ctx.config.baseUrl).host)
    throw new ValidationError("source: that is a page of this site, not a reply from elsewhere", { field: "source" });
  const post = await targetPost(ctx, target);
  // One row per source and post, whichever of the post's addresses the sender named.
  const canonical = ctx.config.baseUrl + postPath(post as Parameters<typeof postPath>[0]);
  // Stored (batched with others that arrive at once) before the sender is answered.
  let id: number;
  try {
    id = await intake(ctx, { source, target: canonical, postId: post.id });
  } catch (err) {
    // The post went away a moment ago (its state was read from memory): say so, as for any target.
    states.get(ctx)?.clear();
    await targetPost(ctx, target);
    throw err;
  }
  return { id, token: statusToken(ctx, id) };
}

/** The token of a received Webmention's status URL (/webmention/status/TOKEN). */
export const statusToken = (ctx: AppContext, id: number) => signToken(ctx.secret, "webmention-status", String(id));

/** The received row a status token names. */
export async function statusOf(ctx: AppContext, token: string) {
  const id = Number(verifyToken(ctx.secret, "webmention-status", token, ctx.now().getTime()) ?? Number.NaN);
  return Number.isSafeInteger(id) ? receivedStore(ctx.db).byId(id) : undefined;
}

/** An http(s) URL as given, or undefined: a `javascript:` author URL must never become a link. */
const webUrl = (u: string | undefined): string | undefined =>
  u && /^https?:\/\//i.test(u) && URL.canParse(u) ? u : undefined;

/** The entry's own URL, unless it is not http(s) or points at this site (an implied u-url). */
const entryUrl = (u: string | undefined, baseUrl: string): string | undefined => {
  const url = webUrl(u);
  return url && new URL(url).host !== new URL(baseUrl).host ? url : undefined;
};

/** Retry a fetch that may work later (timeouts, network, 5xx); a job that throws is retried. */
class TransientError extends Error {}

/** Job: verify received Webmention `id`; see the module comment. */
export async function verifyWebmention(ctx: AppContext, id: number): Promise<string> {
  const received = receivedStore(ctx.db);
  const row = await received.byId(id);
  if (!row) return "gone";
  const items = itemStore(ctx.db);
  const remoteId = `${row.source} ${row.target}`;
  const existing = await items.byRemote("webmention", remoteId);
  const at = ctx.now().toISOString();
  const finish = async (status: "verified" | "rejected" | "removed" | "failed", detail: string) => {
    await received.update(id, { status, detail, checked_at: at });
    return status;
  };
  const removeItem = async () => {
    if (!existing) return;
    await items.remove([existing.id]);
    if (existing.status === "approved") await conversationChanged(ctx, existing.post_id);
  };
  let res: Awaited<ReturnType<typeof ctx.fetcher.fetch>>;
  try {
    res = await ctx.fetcher.fetch(row.source, {
      maxBytes: MAX_SOURCE_BYTES,
      timeoutMs: SOURCE_TIMEOUT_MS,
      headers: { Accept: "text/html, application/xhtml+xml;q=0.9, */*;q=0.1" },
    });
  } catch (err) {
    if (!(err instanceof FetchError)) throw err;
    if (err.code === "timeout" || err.code === "network") {
      await received.update(id, { status: "failed", detail: err.message, checked_at: at });
      throw new TransientError(err.message, { cause: err });
    }
    return finish("failed", err.message);
  }
  if (res.status === 410) {
    await removeItem();
    return finish("removed", "the source answered 410 Gone");
  }
  if (res.status >= 500) {
    await received.update(id, { status: "failed", detail: `the source answered ${res.status}`, checked_at: at });
    throw new TransientError(`the source answered ${res.status}`);
  }
  if (res.status !== 200) return finish("failed", `the source answered ${res.status}`);
  const type = (res.headers.get("content-type") ?? "").toLowerCase();
  if (!type.includes("html")) return finish("rejected", `the source is not HTML (${type || "no Content-Type"})`);
  const html = new TextDecoder().decode(res.body);
  // The source may link to any of the post's addresses: its own, or the short /SLUG.
  const post = await postById(ctx, row.post_id);
  const addresses = post ? [row.target, `${ctx.config.baseUrl}/${post.slug}`] : [row.target];
  const linked = addresses.find((a) => linksTo(html, res.url, a));
  if (!linked) {
    await removeItem();
    return finish(existing ? "removed" : "rejected", "the source does not link to the target");
  }
  const m = classifyMention(html, res.url, linked);
  const host = new URL(res.url).hostname.toLowerCase().replace(/^www\./, "");
  const authorKey = `domain:${host}`;
  const text = (m.text ?? "").slice(0, 5000);
  const fields = {
    kind: m.kind,
    author_name: (m.author.name || host).slice(0, 200),
    author_url: webUrl(m.author.url) ?? `${new URL(res.url).origin}/`,
    author_photo: m.author.photo && /^https?:\/\//.test(m.author.photo) ? m.author.photo : "",
    text,
    html: sanitizeCommentHtml(text.replace(/[&<>]/g, (c) => `&#${c.charCodeAt(0)};`).replace(/\n/g, "<br>")),
    // An entry without a u-url gets one implied from its only link: that would be our own post.
    source_url: entryUrl(m.url, ctx.config.baseUrl) ?? row.source,
    published_at: m.published && !Number.isNaN(Date.parse(m.published)) ? new Date(m.published).toISOString() : at,
    updated_at: at,
  };
  let item = existing ? await items.update(existing.id, fields) : undefined;
  // A reply that came home another way already (backfeed, ActivityPub; Bridgy sends both): once.
  if (!item && (m.kind === "reply" || m.kind === "mention")) {
    const same = await sameItem(ctx.db, row.post_id, crossKeys(row.source, fields.source_url));
    item = same === undefined ? undefined : await items.byId(same);
  }
  if (!item) {
    const blocked = blockedBy(await blockStore(ctx.db).all(), {
      name: fields.author_name,
      text,
      url: `${row.source} ${fields.author_url}`,
      email: "",
      ip: "",
    });
    const status = blocked ? "spam" : (await items.approvedBefore(authorKey)) ? "approved" : "pending";
    item = await items.insert({
      ...fields,
      post_id: row.post_id,
      parent_id: null,
      via: "webmention",
      status,
      author_key: authorKey,
      remote_id: remoteId,
      confirmed_at: null,
      received_at: at,
    });
    await afterStored(ctx, item);
    if (m.kind === "reply" || m.kind === "mention") await commentOutcome(ctx, item);
  } else if (item.status === "approved") await conversationChanged(ctx, item.post_id);
  await received.update(id, { status: "verified", detail: m.kind, checked_at: at, item_id: item.id });
  return "verified";
}
