/**
 * Telling other modules that a post went public, changed while public, or stopped being public
 * (the "post.changed" event of lib/module.ts): Webmentions to the pages it links, later fediverse
 * deliveries. Called after the change is stored; listeners only queue work.
 */
import type { AppContext } from "../lib/context.ts";
import type { PostChange } from "../lib/module.ts";
import type { PostRow } from "./store.ts";

/** Is the post on the public site at `now` (published, and not dated in the future)? Pure. */
export function isLive(p: Pick<PostRow, "status" | "published_at">, now: string): boolean {
  return p.status === "published" && p.published_at !== null && p.published_at <= now;
}

/** A link post's bookmarked URL and the URLs of its credit chain. Pure. */
export function linkUrlsOf(p: { kind: string; link_url: string | null; credits: string }): string[] {
  if (p.kind !== "link") return [];
  const out = p.link_url ? [p.link_url] : [];
  try {
    const credits = JSON.parse(p.credits || "[]") as { url?: unknown }[];
    for (const c of Array.isArray(credits) ? credits : []) if (typeof c?.url === "string" && c.url) out.push(c.url);
  } catch {
    // A malformed credits column (hand-edited) sends to the bookmark only.
  }
  return out;
}

/** The change between two states of a post, or undefined when neither is public. Pure. */
export function changeOf(
  baseUrl: string,
  pathOf: (p: PostRow) => string,
  before: PostRow | undefined,
  after: PostRow | undefined,
  now: string,
): PostChange | undefined {
  const was = before !== undefined && isLive(before, now);
  const is = after !== undefined && isLive(after, now);
  if (!was && !is) return undefined;
  const p = (is ? after : before) as PostRow;
  return {
    postId: p.id,
    change: is ? (was ? "updated" : "published") : "removed",
    kind: p.kind,
    url: baseUrl + pathOf(p),
    html: p.body_html,
    linkUrls: linkUrlsOf(p),
  };
}

/** Emit "post.changed" for a change between two states of a post, if it touched the public site. */
export async function announce(
  ctx: AppContext,
  pathOf: (p: PostRow) => string,
  before: PostRow | undefined,
  after: PostRow | undefined,
): Promise<void> {
  const change = changeOf(ctx.config.baseUrl, pathOf, before, after, ctx.now().toISOString());
  if (change) await ctx.host.emit(ctx, "post.changed", change);
}
