/** Small shared pieces of markup: dates, post cards, theme links, pagination, the author h-card. */

import type { SiteSettings, ThemeRow } from "../../content/index.ts";
import { type H, h, raw } from "../../lib/html.ts";
import type { Thumb } from "../service.ts";
import type { ListedPost } from "../store.ts";

const formatters = new Map<string, Intl.DateTimeFormat>();

const formatted = new Map<string, string>();

/** "12 March 2026" in the site's language (UTC, so every visitor sees the same date). */
export function formatDate(iso: string, lang: string): string {
  // Intl formatting is slow next to everything else on a page; a day formats the same every time.
  const key = `${lang}|${iso.slice(0, 10)}`;
  const done = formatted.get(key);
  if (done !== undefined) return done;
  let f = formatters.get(lang);
  if (!f) {
    try {
      f = new Intl.DateTimeFormat(lang, { dateStyle: "long", timeZone: "UTC" });
    } catch {
      f = new Intl.DateTimeFormat("en", { dateStyle: "long", timeZone: "UTC" });
    }
    formatters.set(lang, f);
  }
  const out = f.format(new Date(iso));
  if (formatted.size > 10_000) formatted.clear();
  formatted.set(key, out);
  return out;
}

/** A <time> with a class (dt-published, dt-updated). */
export function time(iso: string | null, lang: string, cls = "dt-published"): H {
  if (!iso) return h``;
  return h`<time class="${cls}" datetime="${iso}">${formatDate(iso, lang)}</time>`;
}

export const kindLabels: Record<string, string> = {
  article: "Article",
  presentation: "Presentation",
  note: "Note",
  page: "Page",
  link: "Link",
  event: "Event",
  digest: "Digest",
};

/** One credit of a link post: who led to the link, nearest first. */
export interface Credit {
  name: string;
  url: string;
}

/** A link post's credits from its JSON column (bad JSON or rows are dropped, never thrown). */
export function creditsOf(json: string | null | undefined): Credit[] {
  try {
    const v: unknown = JSON.parse(json || "[]");
    if (!Array.isArray(v)) return [];
    return v
      .filter(
        (c): c is Credit => !!c && typeof c.name === "string" && typeof c.url === "string" && c.name.trim() !== "",
      )
      .map((c) => ({ name: c.name, url: /^https?:\/\//i.test(c.url) ? c.url : "" }));
  } catch {
    return [];
  }
}

/**
 * "via A, who found it at B": each credit is a u-via h-cite (linked when it has a URL), so the
 * chain is machine-readable as the h-entry's via properties.
 */
export function creditLine(credits: Credit[]): H {
  if (!credits.length) return h``;
  const cite = (c: Credit) =>
    c.url
      ? h`<a class="u-via h-cite" href="${c.url}"><span class="p-name">${c.name}</span></a>`
      : h`<span class="p-via h-cite"><span class="p-name">${c.name}</span></span>`;
  const parts = credits.map((c, i) => (i === 0 ? h`via ${cite(c)}` : h`, who found it at ${cite(c)}`));
  return h`<p class="credits">${parts}</p>`;
}

/** A link post's bookmarked URL, if it is a web address. */
export function bookmarkOf(p: { link_url: string | null }): string | undefined {
  return p.link_url && /^https?:\/\//i.test(p.link_url) ? p.link_url : undefined;
}

/** Host of a URL without "www." (shown after a link post's title). */
export function hostLabel(url: string): string {
  try {
    return new URL(url).hostname.replace(/^www\./, "");
  } catch {
    return "";
  }
}

/** A URL made absolute against the site's base (an uploaded photo is "/media/…"); "" is undefined. */
export function absoluteUrl(base: string, url: string): string | undefined {
  if (!url) return undefined;
  // Saving allows only http(s) URLs and root paths; a root path lives under the base (which may have a path).
  return url.startsWith("/") && !url.startsWith("//") ? base + url : url;
}

/** Public path of a post. */
export function pathOf(p: { kind: string; slug: string }): string {
  return p.kind === "page" ? `/${p.slug}` : `/posts/${p.slug}`;
}

/** Theme links marked as p-category. */
export function themeLinks(themes: ThemeRow[] | undefined): H {
  if (!themes?.length) return h``;
  return h`<ul class="themes" aria-label="Themes">${themes.map(
    (t) => h`<li><a class="p-category" href="/themes/${t.slug}">${t.name}</a></li>`,
  )}</ul>`;
}

/** A link post's feed content: the link, the blurb and the credit line (so every reader shows them). */
export function linkFeedHtml(p: {
  title: string;
  link_url: string | null;
  credits: string;
  body_html: string;
}): string {
  const url = bookmarkOf(p);
  const link = url ? h`<p><a href="${url}">${p.title}</a> (${hostLabel(url)})</p>` : "";
  return h`${link}${raw(p.body_html)}${creditLine(creditsOf(p.credits))}`.toString();
}

/**
 * A link post in a list: the title links to the bookmarked page (u-bookmark-of), the date to our
 * permalink (u-url); then the blurb and the credit line.
 */
function linkCard(
  p: ListedPost,
  url: string,
  themes: ThemeRow[] | undefined,
  lang: string,
  headingLevel: number,
  notes: H[],
): H {
  const title = h`<a class="p-name u-bookmark-of" href="${url}">${p.title}</a> <span class="link-host">(${hostLabel(url)})</span>`;
  const heading = headingLevel === 3 ? h`<h3>${title}</h3>` : h`<h2>${title}</h2>`;
  return h`<li class="h-entry card card-link">
${heading}
<p class="meta"><a class="u-url" href="${pathOf(p)}">${time(p.published_at, lang)}</a> · <span class="kind">${kindLabels.link}</span>${metaNotes(notes)}</p>
${p.link_html ? h`<div class="e-content">${raw(p.link_html)}</div>` : ""}
${creditLine(creditsOf(p.credits))}
${themeLinks(themes)}
</li>`;
}

/** A post in a list: an h-entry with name, summary, date and categories. */
export function postCard(
  p: ListedPost,
  themes: ThemeRow[] | undefined,
  lang: string,
  headingLevel = 2,
  thumb?: Thumb,
  notes: H[] = [],
): H {
  const bookmark = p.kind === "link" ? bookmarkOf(p) : undefined;
  if (bookmark) return linkCard(p, bookmark, themes, lang, headingLevel, notes);
  const heading =
    headingLevel === 3
      ? h`<h3 class="p-name"><a class="u-url" href="${pathOf(p)}">${p.title}</a></h3>`
      : h`<h2 class="p-name"><a class="u-url" href="${pathOf(p)}">${p.title}</a></h2>`;
  return h`<li class="h-entry card${thumb ? " has-thumb" : ""}">
${thumb ? cardThumb(thumb, p.title) : ""}
${heading}
<p class="meta">${time(p.published_at, lang)}${p.kind !== "article" ? h` · <span class="kind">${kindLabels[p.kind]}</span>` : ""}${metaNotes(notes)}</p>
${p.summary ? h`<p class="p-summary">${p.summary}</p>` : ""}
${themeLinks(themes)}
</li>`;
}

/** Other modules' notes on a listed post's meta line, each after a separator. */
function metaNotes(notes: H[]): H {
  return h`${notes.map((n) => h` · ${n}`)}`;
}

/**
 * A listing's cover thumbnail: sized (no layout shift), lazy, one small file. Its alt is the
 * post's title until covers have their own alt text (then pass that instead).
 */
function cardThumb(t: Thumb, alt: string): H {
  return h`<img class="card-thumb u-photo" src="${t.src}" width="${t.width}" height="${t.height}" loading="lazy" decoding="async" alt="${alt}">`;
}

/** Previous/next page links; `href(n)` builds the URL of page n. */
export function pagination(page: number, hasNext: boolean, href: (n: number) => string, total?: number): H {
  if (page <= 1 && !hasNext) return h``;
  const pages = total !== undefined ? h` of ${total}` : "";
  return h`<nav class="pagination" aria-label="Pagination">
${page > 1 ? h`<a rel="prev" href="${href(page - 1)}">← Newer</a>` : h`<span></span>`}
<span>Page ${page}${pages}</span>
${hasNext ? h`<a rel="next" href="${href(page + 1)}">Older →</a>` : h`<span></span>`}
</nav>`;
}

/** The author's display name: the h-card name, else the site title. */
export function authorName(s: SiteSettings): string {
  return s.author.name || s.title;
}

/** A bio cut to about two lines for the footer, at a word, with an ellipsis when cut. Pure. */
export function shortBio(bio: string, max = 200): string {
  const flat = bio.replace(/\s+/g, " ").trim();
  if (flat.length <= max) return flat;
  const cut = flat.slice(0, max);
  const space = cut.lastIndexOf(" ");
  return `${(space > max / 2 ? cut.slice(0, space) : cut).replace(/[\s.,;:!?-]+$/, "")}…`;
}

/** The compact author h-card for the site footer (the representative h-card of the site). */
export function footerCard(s: SiteSettings, baseUrl: string): H {
  const a = s.author;
  return h`<div class="h-card site-author">
${a.photoUrl ? h`<img class="u-photo" src="${a.photoUrl}" alt="" width="48" height="48">` : ""}
<p><a class="p-name u-url u-uid" href="${baseUrl}/">${authorName(s)}</a>${a.location ? h` · <span class="p-locality">${a.location}</span>` : ""}</p>
${a.bio ? h`<p class="p-note author-bio">${shortBio(a.bio)}</p>` : ""}
</div>`;
}

/** The full author h-card for the about page: name, photo, location, bio and rel="me" links. */
export function aboutCard(s: SiteSettings, baseUrl: string): H {
  const a = s.author;
  return h`<section class="h-card about-card" aria-labelledby="about-card-name">
${a.photoUrl ? h`<img class="u-photo" src="${a.photoUrl}" alt="Photo of ${authorName(s)}" width="160" height="160">` : ""}
<div>
<h2 id="about-card-name"><a class="p-name u-url u-uid" href="${baseUrl}/">${authorName(s)}</a></h2>
${a.location ? h`<p class="p-locality p-location">${a.location}</p>` : ""}
${a.bio ? h`<p class="p-note">${a.bio}</p>` : ""}
${a.email ? h`<p><a class="u-email" href="mailto:${a.email}">${a.email}</a></p>` : ""}
${
  a.links.length
    ? h`<ul class="links">${a.links.map((l) => h`<li><a class="u-url" rel="me" href="${l.url}">${l.label || l.url}</a></li>`)}</ul>`
    : ""
}
</div>
</section>`;
}
