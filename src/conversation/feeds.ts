/**
 * Atom feeds of comments: a post's (/comments/SLUG/feed.atom) and the site's recent ones
 * (/comments/feed.atom). Each entry names its commenter as its author and links to the comment
 * on the post's page; the comment's sanitized HTML is the content.
 */
import { getSiteSettings, type PostRow, postPath } from "../content/index.ts";
import type { AppContext } from "../lib/context.ts";
import { xmlEscape as x } from "../site/index.ts";
import { itemStore, type ListedItem } from "./store.ts";

const LIMIT = 50;

/** The feed's XML: of one post, or of the whole site. */
export async function commentFeed(ctx: AppContext, post?: PostRow): Promise<string> {
  const base = ctx.config.baseUrl;
  const [site, items] = await Promise.all([getSiteSettings(ctx), itemStore(ctx.db).recentApproved(LIMIT, post?.id)]);
  const self = post ? `${base}/comments/${post.slug}/feed.atom` : `${base}/comments/feed.atom`;
  const title = post ? `Comments on ${post.title}` : `Comments on ${site.title}`;
  const updated = items[0]?.updated_at ?? post?.updated_at ?? new Date(0).toISOString();
  const entry = (i: ListedItem) => {
    const url = `${base}${postPath({ slug: i.post_slug, kind: i.post_kind as PostRow["kind"] })}#comment-${i.id}`;
    return `<entry>
<title>${x(`${i.author_name} on ${i.post_title}`)}</title>
<link rel="alternate" type="text/html" href="${x(url)}"/>
<id>${x(`${base}/comments/${i.id}`)}</id>
<published>${i.published_at}</published>
<updated>${i.updated_at}</updated>
<author><name>${x(i.author_name)}</name>${i.author_url ? `<uri>${x(i.author_url)}</uri>` : ""}</author>
<content type="html">${x(i.html)}</content>
</entry>`;
  };
  return `<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="${x(site.language || "en")}">
<title>${x(title)}</title>
<link rel="alternate" type="text/html" href="${x(post ? base + postPath(post) : `${base}/`)}"/>
<link rel="self" type="application/atom+xml" href="${x(self)}"/>
<id>${x(self)}</id>
<updated>${updated}</updated>
<generator>Liner Notes</generator>
${items.map(entry).join("\n")}
</feed>
`;
}
