/**
 * Sending Webmentions (W3C Webmention, 3.1): which targets a post tells (`planSends`), and
 * telling one (`sendWebmention`): fetch the target through the guarded fetcher, discover its
 * endpoint, and POST `source` and `target` to it. Every outcome is recorded on the target's row
 * of `webmentions_out` for the post's admin page; the caller decides whether to retry (timeouts,
 * network errors and 5xx are worth another try; a refusal or a 4xx is not).
 */
import { postById, postPath } from "../../content/index.ts";
import type { AppContext } from "../../lib/context.ts";
import { FetchError } from "../../lib/net/types.ts";
import { publicBaseUrl } from "../../lib/settings/base-url.ts";
import { discoverEndpoint } from "./discover.ts";
import { type SendOutcome, sendStore } from "./send-store.ts";
import { linkUrlsOfPost, targetsOf } from "./targets.ts";

/** One Webmention to send: the post (by id), its URL, and the page it links (or linked). */
export interface Send {
  postId: number;
  source: string;
  target: string;
}

/** What became of one Webmention; `retry` when it failed in a way a later try may fix. */
export interface SendResult extends SendOutcome {
  target: string;
  retry: boolean;
}

const PAGE_LIMITS = { timeoutMs: 10_000, maxBytes: 1024 * 1024 };
const ENDPOINT_LIMITS = { timeoutMs: 10_000, maxBytes: 64 * 1024 };
const RETRIED: ReadonlySet<string> = new Set(["timeout", "network"]);

/**
 * The Webmentions a post's current state calls for, with their rows marked pending: when it is
 * live, every page it links (its source is its URL now); and every page it linked before but no
 * longer does, or all of them once it is unpublished or deleted (told once, then marked unlinked).
 * `fallbackUrl` is the post's URL when it was last public (the event's), for rows without one;
 * `linkedThen` the pages a removed post linked (told too when they have no row yet).
 */
export async function planSends(
  ctx: AppContext,
  postId: number,
  fallbackUrl = "",
  linkedThen: string[] = [],
): Promise<Send[]> {
  const store = sendStore(ctx.db);
  const now = ctx.now().toISOString();
  const post = await postById(ctx, postId);
  const live = post?.status === "published" && post.published_at !== null && post.published_at <= now;
  const sends: Send[] = [];
  const current = new Set<string>();
  let liveSource: string | undefined;
  if (post && live) {
    const base = (await publicBaseUrl(ctx)).url;
    const source = base + postPath(post);
    liveSource = source;
    for (const target of targetsOf(post.body_html, source, linkUrlsOfPost(post), [base, ctx.config.baseUrl])) {
      current.add(target);
      await store.queue(postId, source, target, true, now);
      sends.push({ postId, source, target });
    }
  }
  const rows = await store.ofPost(postId);
  if (!liveSource && fallbackUrl) {
    const known = new Set(rows.map((r) => r.target));
    for (const target of linkedThen) {
      if (known.has(target)) continue;
      await store.queue(postId, fallbackUrl, target, false, now);
      sends.push({ postId, source: fallbackUrl, target });
    }
  }
  for (const row of rows) {
    if (row.linked !== 1 || current.has(row.target)) continue;
    // The page it was sent from: still the post (which no longer links) or its old URL, now gone.
    const source = liveSource ?? (row.source || fallbackUrl);
    await store.queue(postId, source, row.target, false, now);
    sends.push({ postId, source, target: row.target });
  }
  return sends;
}

/**
 * Send one Webmention and record the outcome on its row. `retryLeft` says whether a failure
 * worth retrying will be (its reason then says so).
 */
export async function sendWebmention(ctx: AppContext, s: Send, opts: { retryLeft: boolean }): Promise<SendResult> {
  const outcome = await attempt(ctx, s);
  const result = { target: s.target, ...outcome };
  if (result.retry && opts.retryLeft) result.detail += " (will retry)";
  await sendStore(ctx.db).record(s.postId, s.target, result, ctx.now().toISOString());
  return result;
}

async function attempt(ctx: AppContext, s: Send): Promise<SendOutcome & { retry: boolean }> {
  const failed = (detail: string, retry: boolean, endpoint = "") => ({
    status: "failed" as const,
    endpoint,
    detail,
    retry,
  });
  let page: Awaited<ReturnType<AppContext["fetcher"]["fetch"]>>;
  try {
    page = await ctx.fetcher.fetch(s.target, {
      ...PAGE_LIMITS,
      headers: { accept: "text/html,application/xhtml+xml;q=0.9,*/*;q=0.1" },
    });
  } catch (err) {
    if (!(err instanceof FetchError)) throw err;
    return failed(`could not fetch the page: ${err.message}`, RETRIED.has(err.code));
  }
  if (page.status >= 400) return failed(`the page answered ${page.status}`, page.status >= 500);
  const type = page.headers.get("content-type") ?? "";
  const html = /html/i.test(type) || type === "" ? new TextDecoder().decode(page.body) : null;
  const endpoint = discoverEndpoint(page.url, page.headers.get("link"), html);
  if (!endpoint) return { status: "no-endpoint", endpoint: "", detail: "", retry: false };

  let res: Awaited<ReturnType<AppContext["fetcher"]["fetch"]>>;
  try {
    res = await ctx.fetcher.fetch(endpoint, {
      ...ENDPOINT_LIMITS,
      method: "POST",
      body: new URLSearchParams({ source: s.source, target: s.target }).toString(),
      headers: { "content-type": "application/x-www-form-urlencoded", accept: "*/*" },
    });
  } catch (err) {
    if (!(err instanceof FetchError)) throw err;
    return failed(`could not reach the endpoint: ${err.message}`, RETRIED.has(err.code), endpoint);
  }
  if (res.status === 201 || res.status === 202) {
    const status = res.headers.get("location");
    return { status: "accepted", endpoint, detail: status ? `status at ${status}` : "", retry: false };
  }
  if (res.status >= 200 && res.status < 300) return { status: "sent", endpoint, detail: "", retry: false };
  const said = shortText(res.body);
  return failed(`the endpoint answered ${res.status}${said ? `: ${said}` : ""}`, res.status >= 500, endpoint);
}

/** A response body as one short line of text (tags dropped), for the reason shown to the owner. */
function shortText(body: Uint8Array): string {
  const text = new TextDecoder()
    .decode(body.subarray(0, 4096))
    .replace(/<[^>]*>/g, " ")
    .replace(/\s+/g, " ")
    .trim();
  return text.length > 200 ? `${text.slice(0, 199)}…` : text;
}
