/**
 * Sending a copy of a published post to the owner's accounts: each target's text shaped to its
 * platform, one copy row per post and account made before anything goes out (the idempotency
 * record: a second request, a double click or a retry after a crash finds it), then sent. A copy
 * that went already is never sent again; its URL is returned.
 */
import { readFile } from "node:fs/promises";
import type { AtpAgent } from "@atproto/api";
import { coverImageOf, postBySlug, postPath, themesOfPosts } from "../content/index.ts";
import type { AppContext } from "../lib/context.ts";
import { ValidationError } from "../lib/errors.ts";
import { invalidatePages } from "../lib/http/page-invalidations.ts";
import { webFetch } from "../lib/net/web-fetch.ts";
import type { Platform } from "./accounts.ts";
import { blueskyAgent, MAX_THUMB_BYTES, postToBluesky } from "./bluesky.ts";
import { SYNDICATED_KINDS } from "./kinds.ts";
import { postToLinkedIn } from "./linkedin.ts";
import { instanceLimits, postToMastodon } from "./mastodon.ts";
import { PlatformError } from "./platform-error.ts";
import { credentialOf } from "./secrets.ts";
import { blueskyText, blueskyThreadText, linkedinText, mastodonText, type PostForCopy, threadParts } from "./shape.ts";
import { type AccountRow, accountStore, type CopyRow, copyStore } from "./store.ts";

export type Post = NonNullable<Awaited<ReturnType<typeof postBySlug>>>;

/** One target's outcome. */
export interface CopyOutcome {
  platform: string;
  account: string;
  text: string;
  /** The copy's URL (sent now or before); absent on a dry run or a failure. */
  url?: string;
  /** Sent before: nothing went out this time. */
  already?: boolean;
  error?: string;
}

/** A published post by slug, else a ValidationError naming it. */
export async function publishedPost(ctx: AppContext, slug: string): Promise<Post> {
  const post = await postBySlug(ctx, slug);
  if (!post) throw new ValidationError(`There is no post “${slug}”.`, { field: "slug" });
  if (post.status !== "published" || !post.published_at || post.published_at > ctx.now().toISOString())
    throw new ValidationError(`“${slug}” is not published: only published posts are sent elsewhere.`, {
      field: "slug",
    });
  if (!SYNDICATED_KINDS.includes(post.kind))
    throw new ValidationError(`“${slug}” is a ${post.kind}: copies go of ${SYNDICATED_KINDS.join(", ")} posts only.`, {
      field: "slug",
    });
  return post;
}

const forCopy = (ctx: AppContext, p: Post): PostForCopy => ({
  kind: p.kind,
  title: p.title,
  summary: p.summary,
  text: p.body_text,
  url: new URL(postPath(p), ctx.config.baseUrl).href,
});

/** The text an account gets for a post (what the editor and --dry-run show); a thread's is whole. */
export async function textFor(
  ctx: AppContext,
  account: AccountRow,
  post: Post,
  opts: { asThread?: boolean } = {},
): Promise<string> {
  const shaped = forCopy(ctx, post);
  if (account.platform === "bluesky") return opts.asThread ? blueskyThreadText(shaped) : blueskyText(shaped);
  if (account.platform === "mastodon") {
    const [limits, themes] = await Promise.all([
      instanceLimits(webFetch(ctx.fetcher), { instance: account.service_url, token: credentialOf(ctx, account) }),
      themesOfPosts(ctx, [post.id]),
    ]);
    return mastodonText(
      shaped,
      (themes.get(post.id) ?? []).map((t) => t.name),
      limits,
    );
  }
  return linkedinText(shaped);
}

/** The connected account of each target platform, else a ValidationError naming the missing one. */
export async function accountsFor(ctx: AppContext, targets: Platform[]): Promise<AccountRow[]> {
  const all = await accountStore(ctx.db).list();
  return targets.map((t) => {
    const a = all.find((x) => x.platform === t);
    if (!a) throw new ValidationError(`No ${t} account is connected (liner accounts add ${t} …).`, { field: "to" });
    return a;
  });
}

/** Send (or with dryRun, only shape) a post's copies to the targets. */
export async function syndicate(
  ctx: AppContext,
  slug: string,
  targets: Platform[],
  opts: { dryRun?: boolean } = {},
): Promise<CopyOutcome[]> {
  const post = await publishedPost(ctx, slug);
  const accounts = await accountsFor(ctx, targets);
  const out: CopyOutcome[] = [];
  for (const account of accounts) {
    const platform = account.platform as Platform;
    const existing = await copyStore(ctx.db).of(post.id, account.id);
    let text: string;
    try {
      const kept = existing?.status === "deleted" ? "" : existing?.text;
      text = kept || (await textFor(ctx, account, post, { asThread: existing?.as_thread === 1 }));
    } catch (err) {
      if (!(err instanceof PlatformError)) throw err;
      out.push({ platform, account: account.handle, text: "", error: err.message });
      continue;
    }
    const base = { platform, account: account.handle, text };
    if (opts.dryRun) out.push(base);
    else out.push({ ...base, ...(await sendCopy(ctx, post, account, text)) });
  }
  return out;
}

async function sendCopy(ctx: AppContext, post: Post, account: AccountRow, text: string) {
  const now = ctx.now().toISOString();
  const store = copyStore(ctx.db);
  const before = await store.of(post.id, account.id);
  if (before?.status === "deleted") {
    // Deleted there by the owner, now asked for again: a new copy (a new time, so new keys).
    const { content_warning, as_thread } = before;
    await store.choose(
      { post_id: post.id, account_id: account.id, status: "queued", text, send_at: null, content_warning, as_thread },
      now,
    );
  }
  const copy = await store.ensure({
    post_id: post.id,
    account_id: account.id,
    status: "queued",
    text,
    created_at: now,
    updated_at: now,
  });
  return sendCopyRow(ctx, post, account, copy);
}

/**
 * Signed-in Bluesky agents by account, kept for the process: signing in (createSession) for every
 * copy would cost more than the post itself. A failed sign-in is not kept; a credential changed
 * since (a new account row) gets its own.
 */
const agents = new Map<string, Promise<AtpAgent>>();

export function signedInAgent(ctx: AppContext, account: AccountRow, secret: string): Promise<AtpAgent> {
  const key = `${account.id}:${account.secret_sealed}`;
  let agent = agents.get(key);
  if (!agent) {
    agent = blueskyAgent(webFetch(ctx.fetcher), {
      service: account.service_url,
      handle: account.handle,
      password: secret,
    });
    agents.set(key, agent);
    agent.catch(() => agents.delete(key));
    if (agents.size > 50) agents.delete(agents.keys().next().value as string);
  }
  return agent;
}

/** What sending one copy came to. */
export interface SendResult {
  url?: string;
  already?: boolean;
  error?: string;
  /** The failure may pass (a rate limit, an outage): worth trying again, at `retryAt` if known. */
  transient?: boolean;
  retryAt?: Date;
}

/**
 * Send one copy: taken first (never by two processes at once), its text made now if the owner
 * left it empty, marked sent with its URL or failed with the platform's message. Never throws for
 * the platform's refusals: they are the result.
 */
export async function sendCopyRow(
  ctx: AppContext,
  post: Post,
  account: AccountRow,
  copy: CopyRow,
): Promise<SendResult> {
  const store = copyStore(ctx.db);
  if (copy.status === "sent") return { url: copy.url ?? undefined, already: true };
  if (!(await store.take(copy.id, ctx.now().toISOString())))
    return { error: "another process is sending this copy now" };
  try {
    // Left empty: made now, from the post as it is, and kept only once it went (a failure leaves
    // the owner's choice empty, so a later try takes the post as it is then).
    const text = copy.text.trim() ? copy.text : await textFor(ctx, account, post, { asThread: copy.as_thread === 1 });
    const sent = await sendTo(ctx, post, account, { ...copy, text });
    await store.sent(copy.id, sent.url, sent.uri, ctx.now().toISOString(), sent.more ?? [], text);
    // The post's page now links to the copy ("Also on …"), in every process's page cache.
    await invalidatePages(ctx, [postPath(post)]);
    return { url: sent.url };
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    await store.failed(copy.id, message, ctx.now().toISOString());
    if (err instanceof PlatformError && err.kind === "auth") {
      for (const key of agents.keys()) if (key.startsWith(`${account.id}:`)) agents.delete(key);
      await accountStore(ctx.db).checked(account.id, "error", message, ctx.now().toISOString());
    }
    const transient = err instanceof PlatformError ? err.transient : true;
    const retryAt = err instanceof PlatformError ? err.retryAt : undefined;
    // Said on the post: a rate limit or an outage is tried again by itself (the owner need not).
    if (transient)
      await store.failed(
        copy.id,
        `${message} It is tried again by itself${retryAt ? ` after ${retryAt.toISOString().slice(11, 16)} UTC` : " soon"}.`,
        ctx.now().toISOString(),
      );
    return { error: message, transient, retryAt };
  }
}

/** The post's cover image (its largest size up to 1000 px) with its alt text, if it has one. */
async function coverOf(ctx: AppContext, post: Post) {
  const cover = await coverImageOf(ctx, post, 1000);
  const bytes = cover ? await readFile(cover.file).catch(() => undefined) : undefined;
  return bytes && cover?.mime ? { bytes, mime: cover.mime, alt: cover.alt } : undefined;
}

async function sendTo(
  ctx: AppContext,
  post: Post,
  account: AccountRow,
  copy: CopyRow,
): Promise<{ url: string; uri: string; more?: string[] }> {
  const fetchFn = webFetch(ctx.fetcher);
  const secret = credentialOf(ctx, account);
  const image = await coverOf(ctx, post);
  const postUrl = new URL(postPath(post), ctx.config.baseUrl).href;
  if (account.platform === "linkedin") {
    const article = { url: postUrl, title: post.title, description: post.summary };
    const made = await postToLinkedIn(
      fetchFn,
      { api: account.service_url, token: secret },
      {
        author: account.handle,
        commentary: copy.text,
        article,
      },
    );
    return { url: made.url, uri: made.id };
  }
  if (account.platform === "mastodon") {
    const login = { instance: account.service_url, token: secret };
    const limits = await instanceLimits(fetchFn, login);
    const made = await postToMastodon(
      fetchFn,
      login,
      {
        text: copy.text,
        contentWarning: copy.content_warning ?? undefined,
        image,
        key: `liner-copy-${copy.id}-${copy.created_at}`,
      },
      limits,
    );
    return { url: made.url, uri: made.id };
  }
  const agent = await signedInAgent(ctx, account, secret);
  // A note's own picture is the post (images, with alt text); anything else is a link card.
  const asImage = post.kind === "note" && image;
  const thumb = image && image.bytes.length <= MAX_THUMB_BYTES ? image : undefined;
  return postToBluesky(agent, {
    parts: copy.as_thread ? threadParts(copy.text) : [copy.text],
    images: asImage ? [image] : undefined,
    card: asImage ? undefined : { uri: postUrl, title: post.title, description: post.summary, thumb },
    copy: { id: copy.id, createdAt: copy.created_at },
  });
}
