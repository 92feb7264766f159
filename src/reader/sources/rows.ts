/**
 * From a parsed feed to the rows we store, without touching the database (so the parse workers
 * can run it too): one row per unique item with its plain text for search, and the source's
 * details that changed. Pure.
 */
import { siteKeyOf } from "../discover/urls.ts";
import type { Feed, FeedItem } from "../feed/types.ts";
import { toPlainText } from "../text.ts";
import type { ClaimedSource, NewItem, SourcePatch } from "./store.ts";

/** Search text is capped so one enormous item cannot bloat the index. */
const MAX_TEXT = 100_000;

/**
 * Who a source's site is, as discover matches cited sites: the host in lower case without
 * "www.", plus the profile path on shared hosts ("mastodon.social/@alice"), or "". Pure.
 */
export const siteHostOf = siteKeyOf;

/** Plain text of an item's title, summary and content, for search. Pure. */
export function itemText(item: Pick<FeedItem, "title" | "summary" | "content">): string {
  const summary = item.summary ? toPlainText(item.summary) : "";
  const content = item.content ? toPlainText(item.content) : "";
  // Many feeds repeat the summary as the content's first paragraph; index it once.
  const parts = [item.title, content.startsWith(summary) ? "" : summary, content].filter(Boolean);
  return parts.join("\n").slice(0, MAX_TEXT);
}

/** The row stored for a feed item. Pure. */
export function itemRow(item: FeedItem): Omit<NewItem, "fetched_at"> {
  return {
    dedupe_key: item.dedupeKey,
    url: item.link,
    title: item.title,
    authors: JSON.stringify(item.authors),
    summary_html: item.summary ?? "",
    content_html: item.content ?? "",
    text: itemText(item),
    categories: JSON.stringify(item.categories),
    enclosures: JSON.stringify(item.enclosures),
    duration_seconds: item.durationSeconds,
    image_url: item.image,
    via_url: item.via,
    comments_url: item.comments,
    // The inbox sorts by published_at: an item with only an updated date sorts by that.
    published_at: item.published ?? item.updated,
    updated_at: item.updated,
    is_read: 0,
    is_starred: 0,
  };
}

/** The source's details from its feed, only those that changed. Pure. */
export function detailsPatch(src: ClaimedSource, feed: Omit<Feed, "items">): SourcePatch {
  const patch: SourcePatch = {};
  // Another kind's source (a fediverse account read through its RSS) keeps the name, page and
  // picture its kind gave it: credits name the account, not its feed's title.
  if (src.kind !== "feed") {
    if (feed.format !== src.format) patch.format = feed.format;
    return patch;
  }
  const siteUrl = feed.link ?? (src.site_url || new URL(src.feed_url).origin);
  if (feed.title && feed.title !== src.title) patch.title = feed.title;
  if (siteUrl !== src.site_url) {
    patch.site_url = siteUrl;
    patch.site_host = siteHostOf(siteUrl);
  }
  const description = feed.description ?? "";
  if (description !== src.description) patch.description = description;
  if ((feed.image ?? null) !== src.image_url) patch.image_url = feed.image ?? null;
  if (feed.format !== src.format) patch.format = feed.format;
  const podcast = feed.isPodcast ? 1 : 0;
  if (podcast !== src.is_podcast) patch.is_podcast = podcast;
  return patch;
}

/** Items of a feed, each dedupe key once (feeds do repeat GUIDs). Pure. */
export function uniqueItems(items: FeedItem[]): FeedItem[] {
  const seen = new Set<string>();
  return items.filter((it) => {
    if (seen.has(it.dedupeKey)) return false;
    seen.add(it.dedupeKey);
    return true;
  });
}

/** A parsed feed made ready to store: its details, and a row for each item (first of each dedupe key). */
export interface PreparedFeed {
  feed: Omit<Feed, "items">;
  /** Rows without `fetched_at` (set when stored). */
  rows: Omit<NewItem, "fetched_at">[];
  /** Each item's date (published, else updated), for the schedule. */
  dates: (string | null)[];
}

/** Map a parsed feed to rows. Pure. */
export function prepareFeed(feed: Feed): PreparedFeed {
  const { items, ...meta } = feed;
  const unique = uniqueItems(items);
  return {
    feed: meta,
    rows: unique.map((i) => itemRow(i)),
    dates: unique.map((i) => i.published ?? i.updated),
  };
}
