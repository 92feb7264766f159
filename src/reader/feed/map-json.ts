/** JSON Feed 1.0 and 1.1, as parsed by feedsmith, to the normalized Feed. Pure. */
import type { JsonFeed } from "feedsmith";
import { parseDate } from "./dates.ts";
import {
  author,
  authors,
  categories,
  enclosure,
  enclosures,
  first,
  html,
  isMedia,
  literal,
  seconds,
  textAsHtml,
  uniqueItems,
} from "./map-common.ts";
import type { Feed, FeedAuthor, FeedItem } from "./types.ts";
import { resolveLink, resolveUrl } from "./urls.ts";

type Item = JsonFeed.Item<string>;

function people(list: JsonFeed.Author[] | undefined, base: string | null): FeedAuthor[] {
  return authors((list ?? []).map((a) => author(a.name, null, a.url, base)));
}

function mapItem(item: Item, base: string | null, feedAuthors: FeedAuthor[]): Omit<FeedItem, "dedupeKey"> {
  const i = item as Partial<Item>;
  const attachments = i.attachments ?? [];
  const itemAuthors = people(i.authors, base);
  const link = resolveLink(i.url, base);
  return {
    id: first(i.id),
    // JSON Feed titles are plain text by definition: nothing to strip.
    title: literal(i.title) ?? "",
    link,
    published: parseDate(i.date_published),
    updated: parseDate(i.date_modified),
    // Items without authors inherit the feed's (JSON Feed 1.1).
    authors: itemAuthors.length ? itemAuthors : feedAuthors,
    summary: textAsHtml(i.summary),
    content: html(i.content_html, base) ?? textAsHtml(i.content_text),
    categories: categories(i.tags ?? []),
    enclosures: enclosures(attachments.map((a) => enclosure(a.url, a.mime_type, a.size_in_bytes, base))),
    comments: null,
    via: null,
    image: resolveUrl(first(i.image, i.banner_image), base),
    durationSeconds: seconds(attachments.find((a) => a.duration_in_seconds)?.duration_in_seconds),
  };
}

/** A JSON Feed 1.0 or 1.1; `docBase` is the document URL (or --base), if known. */
export function mapJson(feed: JsonFeed.Feed<string>, docBase: string | null): Feed {
  const f = feed as Partial<JsonFeed.Feed<string>>;
  const base = docBase ?? resolveUrl(f.feed_url, null) ?? resolveUrl(f.home_page_url, null);
  const feedAuthors = people(f.authors, base);
  const items = uniqueItems((f.items ?? []).map((i) => mapItem(i, base, feedAuthors)));
  return {
    format: "json",
    title: literal(f.title) ?? "",
    link: resolveLink(f.home_page_url, base),
    description: literal(f.description),
    language: first(f.language),
    updated: null,
    authors: feedAuthors,
    image: resolveUrl(first(f.icon, f.favicon), base),
    isPodcast: items.some((i) => i.enclosures.some(isMedia)),
    ttlMinutes: null,
    items,
  };
}
