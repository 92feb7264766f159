/**
 * Reading what others send: a remote post (Note, Article, Question, ChatMessage) as a `RemoteNote`
 * and an actor as a `RemoteActor`, from Fedify's vocabulary objects. Fedify's getters for tags,
 * attachments and icons fetch only what is linked rather than embedded; they get the caller's
 * loaders, and what cannot be fetched is left out instead of failing the whole post.
 */
import {
  Article,
  type ChatMessage,
  Document,
  type DocumentLoader,
  Hashtag,
  Link,
  Mention,
  type Note,
  type Question,
} from "@fedify/vocab";
import { clip, httpUrl, plainText, safeHtml, withQuoteLink } from "./remote-html.ts";

export { ownHostInboxes, type RemoteActor, readRemoteActor } from "./remote-actor.ts";

/** A remote post as we keep it: sanitized HTML, its plain text, and the parts we show or match on. */
export interface RemoteNote {
  id: string;
  /** The post's page (its `url`), or its id when it names none. */
  url: string;
  inReplyTo: string | null;
  attributedTo: string | null;
  /** Through the comments' allowlist, with "RE: <link>" for a quoted post it does not link yet. */
  html: string;
  /** Plain text of `html` for search and notifications, at most 5,000 characters. */
  text: string;
  /** Mastodon's content warning (`summary`), as plain text. */
  contentWarning: string | null;
  sensitive: boolean;
  attachments: { url: string; alt: string; mediaType: string | null }[];
  mentions: { href: string; name: string }[];
  /** Hashtag names without the "#", as the author wrote them. */
  hashtags: string[];
  quoteUrl: string | null;
  published: string | null;
  updated: string | null;
}

/** The kinds of remote post we read. */
export type RemotePost = Note | Article | Question | ChatMessage;

/** Loaders for what a getter must fetch (default: the ones the object was parsed with). */
export interface ReadOptions {
  documentLoader?: DocumentLoader;
  contextLoader?: DocumentLoader;
}

const TEXT_MAX = 5000;
/** FEP-e232: a Link tag whose target is an ActivityStreams object (a quote, in practice). */
const OBJECT_LINK =
  /^application\/(?:activity\+json|ld\+json; *profile="https:\/\/www\.w3\.org\/ns\/activitystreams")$/;

const iso = (t: { epochMilliseconds: number } | null) => (t ? new Date(t.epochMilliseconds).toISOString() : null);

/** A remote post as a RemoteNote. Throws when it has no id. */
export async function readRemoteNote(object: RemotePost, opts: ReadOptions = {}): Promise<RemoteNote> {
  const id = object.id?.href;
  if (!id) throw new Error("a remote post without an id");
  const load = { ...opts, contextLoader: opts.contextLoader ?? opts.documentLoader, suppressError: true };

  const mentions: RemoteNote["mentions"] = [];
  const hashtags = new Set<string>();
  let linkedObject: string | null = null;
  for await (const tag of object.getTags(load)) {
    // Mention and Hashtag are Links too, so they are told apart first.
    if (tag instanceof Mention) {
      const href = httpUrl(tag.href);
      if (href) mentions.push({ href, name: String(tag.name ?? "") });
    } else if (tag instanceof Hashtag) {
      const name = String(tag.name ?? "").replace(/^#/, "");
      if (name) hashtags.add(name);
    } else if (tag instanceof Link && OBJECT_LINK.test(tag.mediaType ?? "")) {
      linkedObject ??= httpUrl(tag.href);
    }
  }

  const attachments: RemoteNote["attachments"] = [];
  for await (const a of object.getAttachments(load)) {
    if (!(a instanceof Document)) continue;
    const url = httpUrl(a.url);
    // GoToSocial says it will move alt text from `name` to `summary` (which is HTML).
    const alt = a.name != null ? String(a.name) : plainText(String(a.summary ?? ""));
    if (url) attachments.push({ url, alt, mediaType: a.mediaType });
  }

  const raw = String(object.content ?? "");
  const quoteUrl = httpUrl(object.quoteUrl) ?? httpUrl(object.quoteId) ?? linkedObject;
  const html = quoteUrl ? withQuoteLink(safeHtml(raw), raw, quoteUrl) : safeHtml(raw);
  // An article's summary is its abstract, not a warning, unless the article is marked sensitive.
  const isArticle = object instanceof Article;
  const summary = plainText(String(object.summary ?? ""));
  return {
    id,
    url: httpUrl(object.url) ?? id,
    inReplyTo: object.replyTargetId?.href ?? null,
    attributedTo: object.attributionId?.href ?? null,
    html,
    text: clip(plainText(html), TEXT_MAX),
    contentWarning: summary && (!isArticle || object.sensitive) ? summary : null,
    sensitive: object.sensitive ?? false,
    attachments,
    mentions,
    hashtags: [...hashtags],
    quoteUrl,
    published: iso(object.published),
    updated: iso(object.updated),
  };
}
