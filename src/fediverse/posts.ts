/**
 * Our posts as fediverse objects: each published post (not pages) is an object with a stable id,
 * `/ap/posts/{id}` (a slug can change; the id must not), whose `url` is the post's page. Its
 * Create, Update and Delete carry ids of their own.
 */
import { Create, Delete, PUBLIC_COLLECTION, Update } from "@fedify/vocab";
import { Temporal } from "@js-temporal/polyfill";
import { coverImageOf, type PostRow, postById, postPath, themesOfPosts } from "../content/index.ts";
import type { AppContext } from "../lib/context.ts";
import { h } from "../lib/html.ts";
import { type OutgoingPost, postObject, tombstoneOf } from "./post-object.ts";

/** Post kinds that federate (pages are part of the site, not posts). */
export const FEDERATED_KINDS = ["article", "presentation", "note", "link", "event", "digest"] as const;

/** The URIs an outgoing activity needs. */
export interface Uris {
  actor: URL;
  followers: URL;
}

/** A post's object id. */
export const postObjectUri = (baseUrl: string, postId: number) => new URL(`/ap/posts/${postId}`, baseUrl);

/** Whether a post is on the fediverse: published, a kind that federates, its time come. */
export function federates(p: Pick<PostRow, "kind" | "status" | "published_at">, now: Date): boolean {
  return (
    (FEDERATED_KINDS as readonly string[]).includes(p.kind) &&
    p.status === "published" &&
    !!p.published_at &&
    p.published_at <= now.toISOString()
  );
}

/**
 * Whether a post was edited after it went out: Mastodon marks a post with `updated` as edited, so
 * a save within a minute of publishing (the demo's seeding, a setting saved with it) is not one.
 */
const editedAfter = (p: Pick<PostRow, "published_at" | "updated_at">) =>
  !!p.published_at && Date.parse(p.updated_at) - Date.parse(p.published_at) > 60_000;

/** A presentation elsewhere: its summary and a link to the slides. Pure. */
export function deckHtml(summary: string, path: string, base: string): string {
  const lead = summary.trim() ? h`<p>${summary.trim()}</p>` : "";
  return String(h`${lead}<p><a href="${new URL(path, base).href}">View the slides</a></p>`);
}

/** What `postObject` needs of a post. */
export async function outgoingPost(ctx: AppContext, p: PostRow, uris: Uris): Promise<OutgoingPost> {
  const base = ctx.config.baseUrl;
  const [themes, cover] = await Promise.all([themesOfPosts(ctx, [p.id]), coverImageOf(ctx, p)]);
  let credits: { name: string; url: string }[] = [];
  try {
    const c = JSON.parse(p.credits || "[]");
    if (Array.isArray(c))
      credits = c.filter((x) => typeof x?.url === "string").map((x) => ({ name: String(x.name ?? ""), url: x.url }));
  } catch {
    // A hand-edited credits column sends the post without its chain.
  }
  return {
    kind: p.kind as OutgoingPost["kind"],
    id: postObjectUri(base, p.id),
    url: new URL(postPath(p), base),
    actor: uris.actor,
    followers: uris.followers,
    title: p.title,
    summary: p.summary,
    // A deck's HTML is slides for the site's viewer: elsewhere, its summary and a link show better.
    html: p.kind === "presentation" ? deckHtml(p.summary, postPath(p), base) : p.body_html,
    image: cover ? { url: new URL(cover.src, base), alt: cover.alt } : undefined,
    published: new Date(p.published_at ?? p.created_at),
    updated: editedAfter(p) ? new Date(p.updated_at) : undefined,
    themes: (themes.get(p.id) ?? []).map((t) => ({ name: t.name, url: new URL(`/themes/${t.slug}`, base) })),
    link: p.kind === "link" && p.link_url ? { url: p.link_url, credits } : undefined,
  };
}

/** The Create of a post (its id is fixed: a repeat is the same activity). */
export async function createOf(ctx: AppContext, p: PostRow, uris: Uris): Promise<Create> {
  const object = postObject(await outgoingPost(ctx, p, uris));
  return new Create({
    id: new URL(`${postObjectUri(ctx.config.baseUrl, p.id).href}#create`),
    actor: uris.actor,
    object,
    published: object.published,
    to: PUBLIC_COLLECTION,
    cc: uris.followers,
  });
}

/** The Update of an edited post (each edit its own activity id). */
export async function updateOf(ctx: AppContext, p: PostRow, uris: Uris): Promise<Update> {
  const object = postObject(await outgoingPost(ctx, p, uris));
  const at = ctx.now();
  return new Update({
    id: new URL(`${postObjectUri(ctx.config.baseUrl, p.id).href}#update-${at.getTime()}`),
    actor: uris.actor,
    object,
    // Fedify's types name the global Temporal; its runtime is this polyfill.
    updated: Temporal.Instant.fromEpochMilliseconds(at.getTime()) as never,
    to: PUBLIC_COLLECTION,
    cc: uris.followers,
  });
}

/** The Delete of a post that stopped being public. */
export function deleteOf(ctx: AppContext, postId: number, uris: Uris): Delete {
  const id = postObjectUri(ctx.config.baseUrl, postId);
  const at = ctx.now();
  return new Delete({
    id: new URL(`${id.href}#delete-${at.getTime()}`),
    actor: uris.actor,
    object: tombstoneOf(id, at),
    to: PUBLIC_COLLECTION,
    cc: uris.followers,
  });
}

/** A post by its object id, if it is ours and federates. */
export async function postOfObject(ctx: AppContext, uri: string): Promise<PostRow | undefined> {
  const m = uri.startsWith(ctx.config.baseUrl) ? /^\/ap\/posts\/(\d+)$/.exec(new URL(uri).pathname) : null;
  if (!m) return undefined;
  const p = await postById(ctx, Number(m[1]));
  return p && federates(p, ctx.now()) ? p : undefined;
}
