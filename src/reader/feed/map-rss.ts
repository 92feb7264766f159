/** RSS 0.9x/2.0 and RSS 1.0 (RDF), as parsed by feedsmith, to the normalized Feed. Pure. */
import type { RdfFeed, RssFeed } from "feedsmith";
import { parseDate } from "./dates.ts";
import {
  author,
  authors,
  categories,
  enclosure,
  enclosures,
  first,
  isMedia,
  plain,
  rssHtml,
  seconds,
  uniqueItems,
} from "./map-common.ts";
import type { Feed, FeedEnclosure, FeedItem } from "./types.ts";
import { childBase, resolveLink, resolveUrl } from "./urls.ts";

type RssItem = RssFeed.Item<string>;
type RdfItem = RdfFeed.Item<string>;
type AnyItem = Partial<RssItem> & Partial<RdfItem>;
type AtomLinks = { href?: string; rel?: string; type?: string }[] | undefined;

/** An atom:link of `rel` inside an RSS document (rel="via", rel="alternate"). */
function atomLink(links: AtomLinks, rel: string, base: string | null): string | null {
  const l = links?.find((x) => (x.rel ?? "alternate") === rel && x.href);
  return l ? resolveLink(l.href, base) : null;
}

function itemEnclosures(item: AnyItem, base: string | null): FeedEnclosure[] {
  const list = (item.enclosures ?? []).map((e) => enclosure(e.url, e.type, e.length, base));
  if (!list.length) {
    // YouTube and many podcasts give media:content (possibly in media:group) instead.
    const media = [...(item.media?.contents ?? []), ...(item.media?.groups ?? []).flatMap((g) => g.contents ?? [])];
    for (const m of media) {
      const e = enclosure(m.url, m.type, m.fileSize, base);
      if (e && (isMedia(e) || m.medium === "audio" || m.medium === "video")) list.push(e);
    }
  }
  return enclosures(list);
}

function itemImage(item: AnyItem, encl: FeedEnclosure[], base: string | null): string | null {
  const media = item.media;
  const candidates = [
    item.itunes?.image,
    media?.thumbnails?.[0]?.url,
    media?.groups?.[0]?.thumbnails?.[0]?.url,
    media?.contents?.find((c) => c.medium === "image" || c.type?.startsWith("image/"))?.url,
  ];
  for (const c of candidates) {
    const u = resolveUrl(c, base);
    if (u) return u;
  }
  return encl.find((e) => e.type?.startsWith("image/"))?.url ?? null;
}

function mapItem(item: AnyItem, feedBase: string | null): Omit<FeedItem, "dedupeKey"> {
  const base = childBase(item.xml?.base, feedBase);
  const guid = first(item.guid?.value);
  const id = guid ?? first(item.rdf?.about);
  const permalink = item.guid?.isPermaLink !== false && guid && /^https?:\/\//i.test(guid) ? guid : null;
  const encl = itemEnclosures(item, base);
  const durationMedia = item.media?.contents?.find((c) => c.duration)?.duration;
  return {
    id,
    title: plain(first(item.title, item.dc?.titles?.[0], item.itunes?.title)) ?? "",
    link:
      resolveLink(item.link, base) ??
      resolveLink(permalink, base) ??
      atomLink(item.atom?.links, "alternate", base) ??
      resolveLink(item.rdf?.about, base),
    published: parseDate(first(item.pubDate, item.dc?.dates?.[0], item.dcterms?.issued?.[0], item.atom?.published)),
    updated: parseDate(first(item.atom?.updated, item.dcterms?.modified?.[0])),
    authors: authors([
      ...(item.authors ?? []).map((a) => author(a.name, a.email, a.link, base)),
      ...(item.dc?.creators ?? []).map((n) => author(n, null, null, base)),
      author(item.itunes?.author, null, null, base),
    ]),
    summary: rssHtml(first(item.description, item.itunes?.summary, item.itunes?.subtitle), base),
    content: rssHtml(item.content?.encoded, base),
    categories: categories([...(item.categories ?? []).map((c) => c.name), ...(item.dc?.subjects ?? [])]),
    enclosures: encl,
    comments: resolveLink(item.comments, base),
    via: atomLink(item.atom?.links, "via", base),
    image: itemImage(item, encl, base),
    durationSeconds: seconds(item.itunes?.duration) ?? seconds(durationMedia),
  };
}

/** An RSS 0.9x/2.0 or RSS 1.0 (RDF) feed; `docBase` is the document URL (or --base), if known. */
export function mapRss(
  format: "rss" | "rdf",
  feed: RssFeed.Feed<string> | RdfFeed.Feed<string>,
  docBase: string | null,
): Feed {
  const f = feed as Partial<RssFeed.Feed<string>> & Partial<RdfFeed.Feed<string>>;
  let base = childBase(f.xml?.base, docBase);
  // Without a document URL, the channel's own absolute link is the best base for relative links.
  base ??= resolveUrl(f.link, null);
  const items = uniqueItems(((f.items ?? []) as AnyItem[]).map((item) => mapItem(item, base)));
  const ttl = Number(f.ttl);
  const editor = f.managingEditor;
  return {
    format,
    title: plain(first(f.title, f.dc?.titles?.[0], f.itunes?.title)) ?? "",
    link: resolveLink(f.link, base) ?? atomLink(f.atom?.links, "alternate", base),
    description: plain(first(f.description, f.itunes?.summary, f.itunes?.subtitle, f.dc?.descriptions?.[0])),
    language: first(f.language, f.dc?.languages?.[0], f.xml?.lang),
    updated: parseDate(first(f.lastBuildDate, f.pubDate, f.dc?.dates?.[0], f.atom?.updated)),
    authors: authors([
      editor ? author(editor.name, editor.email, editor.link, base) : null,
      ...(f.dc?.creators ?? []).map((n) => author(n, null, null, base)),
      author(f.itunes?.author, null, null, base),
      f.itunes?.owner ? author(f.itunes.owner.name, f.itunes.owner.email, null, base) : null,
    ]),
    image: resolveUrl(first(f.image?.url, f.itunes?.image), base),
    isPodcast: !!f.itunes || items.some((i) => i.enclosures.some(isMedia)),
    ttlMinutes: Number.isInteger(ttl) && ttl > 0 ? ttl : null,
    items,
  };
}
