/**
 * What we send: a post as the ActivityStreams object Mastodon and the rest show best, and the
 * Tombstone that replaces it when it is deleted. Long posts (articles, presentations, events, pages,
 * digests) go as an `Article`, which Mastodon shows as its title, summary and a link to the page;
 * notes and link posts go as a `Note`, shown in full, so their content carries the bookmark, its
 * credits and the hashtags. Every post is public: Public in `to`, our followers in `cc`. Pure.
 */

import { Article, Hashtag, Image, Note, PUBLIC_COLLECTION, Tombstone } from "@fedify/vocab";
import { Temporal } from "@js-temporal/polyfill";
import { noteContent, themeTags } from "./post-content.ts";

export { hashtagName } from "./post-content.ts";

/** A post as the fediverse mapping needs it. */
export interface OutgoingPost {
  kind: "article" | "presentation" | "note" | "link" | "event" | "page" | "digest";
  /** The object's id (the post's URL). */
  id: URL;
  /** The post's page. */
  url: URL;
  /** Our actor's URI. */
  actor: URL;
  /** Our followers collection's URI. */
  followers: URL;
  title: string;
  /** Plain text. */
  summary: string;
  /** Already-sanitized body HTML. */
  html: string;
  image?: { url: URL; alt: string; mediaType?: string };
  published: Date;
  updated?: Date;
  /** The post's themes, each with its page. */
  themes: { name: string; url: URL }[];
  /** Link posts: the bookmark and its credit chain, nearest first. */
  link?: { url: string; title?: string; credits: { name: string; url: string }[] };
}

/** A Date as the Temporal.Instant Fedify takes (the polyfill's; Fedify's types name the global one). */
const instant = (d: Date) => Temporal.Instant.fromEpochMilliseconds(d.getTime()) as never;

/** The kinds that go as a Note: short, shown in full in a timeline. */
const NOTE_KINDS = new Set<OutgoingPost["kind"]>(["note", "link"]);

/** A post as an Article (long kinds) or a Note (notes and link posts). */
export function postObject(p: OutgoingPost): Article | Note {
  const common = {
    id: p.id,
    attribution: p.actor,
    url: p.url,
    published: instant(p.published),
    updated: p.updated ? instant(p.updated) : null,
    to: PUBLIC_COLLECTION,
    cc: p.followers,
    tags: themeTags(p.themes).map((t) => new Hashtag({ name: `#${t.tag}`, href: t.url })),
  };
  const image = p.image
    ? new Image({ url: p.image.url, name: p.image.alt || null, mediaType: p.image.mediaType ?? null })
    : null;
  if (!NOTE_KINDS.has(p.kind)) {
    // Mastodon shows an Article as its name, its summary and a link, joined and linkified as plain
    // text (`converted_text` in its Create handler): so both go as we wrote them, not HTML-escaped
    // (AS2 calls `summary` HTML, but an escaped "&" would show as "&amp;" there).
    return new Article({
      ...common,
      name: p.title,
      summary: p.summary || null,
      content: p.html,
      image,
    });
  }
  return new Note({
    ...common,
    content: noteContent({ html: p.html, link: p.kind === "link" ? p.link : undefined, themes: p.themes }),
    // A note's picture goes along as media; a link post keeps none so that Mastodon shows the bookmark's card.
    attachments: image && p.kind === "note" ? [image] : [],
  });
}

/** What a deleted post's id answers with from now on. */
export function tombstoneOf(id: URL, deleted: Date): Tombstone {
  return new Tombstone({ id, deleted: instant(deleted) });
}
