/** Atom 1.0 and 0.3, as parsed by feedsmith, to the normalized Feed. Pure. */
import type { AtomFeed } from "feedsmith";
import { parseDate } from "./dates.ts";
import {
  atomTextHtml,
  atomTextPlain,
  author,
  authors,
  categories,
  enclosure,
  enclosures,
  first,
  isMedia,
  seconds,
  uniqueItems,
} from "./map-common.ts";
import type { Feed, FeedAuthor, FeedItem } from "./types.ts";
import { childBase, resolveLink, resolveUrl } from "./urls.ts";

type Entry = AtomFeed.Entry<string>;
type Link = AtomFeed.Link<string>;

/** The link of relation `rel` ("alternate" when absent), preferring HTML ones. */
function link(links: Link[] | undefined, rel: string, base: string | null): string | null {
  const matching = (links ?? []).filter((l) => (l.rel ?? "alternate") === rel && l.href);
  const best = matching.find((l) => !l.type || /html/i.test(l.type)) ?? matching[0];
  return best ? resolveLink(best.href, base) : null;
}

function people(list: AtomFeed.Person[] | undefined, base: string | null): FeedAuthor[] {
  return authors((list ?? []).map((p) => author(p.name, p.email, p.uri, base)));
}

function mapEntry(entry: Entry, feedBase: string | null, feedAuthors: FeedAuthor[]): Omit<FeedItem, "dedupeKey"> {
  const e = entry as Partial<Entry>;
  const base = childBase(e.xml?.base, feedBase);
  const contentBase = childBase(e.content?.xml?.base, base);
  const encl = enclosures(
    (e.links ?? []).filter((l) => l.rel === "enclosure").map((l) => enclosure(l.href, l.type, l.length, base)),
  );
  const entryAuthors = people(e.authors, base);
  const thumb = e.media?.thumbnails?.[0]?.url ?? e.media?.groups?.[0]?.thumbnails?.[0]?.url;
  // Out-of-line content (src=...) is not fetched here; the alternate link stands for it.
  const content = e.content?.src ? null : atomTextHtml(e.content as { value?: string; type?: string }, contentBase);
  const replies = (e.links ?? []).find((l) => l.rel === "replies" && (!l.type || /html/i.test(l.type)));
  const published = parseDate(first(e.published, e.dc?.dates?.[0]));
  const updated = parseDate(e.updated);
  return {
    id: first(e.id),
    title: atomTextPlain(e.title) ?? "",
    link: link(e.links, "alternate", base),
    // Atom requires only <updated>: it stands in for a missing publication date.
    published: published ?? updated,
    updated,
    // Entries without authors inherit the feed's (RFC 4287 §4.2.1).
    authors: entryAuthors.length ? entryAuthors : feedAuthors,
    summary: atomTextHtml(e.summary, base),
    content,
    categories: categories((e.categories ?? []).map((c) => first(c.label, c.term))),
    enclosures: encl,
    comments: replies ? resolveLink(replies.href, base) : null,
    via: link(e.links, "via", base),
    image:
      resolveUrl(first(e.itunes?.image, thumb), base) ?? encl.find((x) => x.type?.startsWith("image/"))?.url ?? null,
    durationSeconds: seconds(e.itunes?.duration),
  };
}

/** An Atom 1.0 or 0.3 feed; `docBase` is the document URL (or --base), if known. */
export function mapAtom(feed: AtomFeed.Feed<string>, docBase: string | null): Feed {
  const f = feed as Partial<AtomFeed.Feed<string>>;
  let base = childBase(f.xml?.base, docBase);
  base ??= resolveUrl(link(f.links, "alternate", null), null);
  const feedAuthors = people(f.authors, base);
  const items = uniqueItems((f.entries ?? []).map((e) => mapEntry(e, base, feedAuthors)));
  return {
    format: "atom",
    title: atomTextPlain(f.title) ?? "",
    link: link(f.links, "alternate", base),
    description: atomTextPlain(f.subtitle),
    language: first(f.xml?.lang, f.dc?.languages?.[0]),
    updated: parseDate(f.updated),
    authors: feedAuthors,
    image: resolveUrl(first(f.logo, f.icon, f.itunes?.image), base),
    isPodcast: !!f.itunes || items.some((i) => i.enclosures.some(isMedia)),
    ttlMinutes: null,
    items,
  };
}
