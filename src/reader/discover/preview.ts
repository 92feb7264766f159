/**
 * A feed preview for a site on Discover: find its feed (the same autodiscovery as following) and
 * show its name, description and latest items, so the user can judge before following.
 */
import type { AppContext } from "../../lib/context.ts";
import type { FeedItem } from "../feed/types.ts";
import { discoverFeed } from "../sources/follow.ts";

export interface FeedPreview {
  /** The site address previewed. */
  siteUrl: string;
  feedUrl: string;
  title: string;
  description: string;
  link: string | null;
  items: Pick<FeedItem, "title" | "link" | "published" | "summary">[];
}

/** How many of the feed's items the preview shows. */
export const PREVIEW_ITEMS = 5;

/** Find and read the feed for `siteUrl`. Throws ValidationError (field `url`) when there is none. */
export async function previewFeed(ctx: AppContext, siteUrl: string): Promise<FeedPreview> {
  const found = await discoverFeed(ctx, siteUrl);
  const { feed } = found;
  return {
    siteUrl,
    feedUrl: found.res.url,
    title: feed.title,
    description: feed.description ?? "",
    link: feed.link,
    items: feed.items.slice(0, PREVIEW_ITEMS).map((i) => ({
      title: i.title,
      link: i.link,
      published: i.published,
      summary: i.summary,
    })),
  };
}
