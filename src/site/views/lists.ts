/** Listing pages: home, themes, a theme, the archive and one year. Each list is an h-feed. */

import type { ThemeRow } from "../../content/index.ts";
import { type H, h } from "../../lib/html.ts";
import type { PageBlock } from "../../lib/module.ts";
import type { Listing } from "../service.ts";
import { pagination, postCard } from "./components.ts";
import { type Chrome, layout } from "./layout.ts";

function feedList(listing: Listing, lang: string, empty: string): H {
  if (!listing.posts.length) return h`<p class="empty">${empty}</p>`;
  return h`<ul class="cards">${listing.posts.map((p) => postCard(p, listing.themes.get(p.id), lang, 2, listing.thumbs?.get(p.id), listing.notes?.get(p.id)))}</ul>`;
}

const pageHref = (base: string) => (n: number) => (n <= 1 ? base : `${base}?page=${n}`);

/** Home: the latest posts, after what other modules add at the top (the call to subscribe). */
export function homePage(chrome: Chrome, listing: Listing, page: number, top: PageBlock[] = []): string {
  const s = chrome.settings;
  const main = h`<div class="h-feed wrap">
<header class="page-header">
<h1 class="p-name">${page > 1 ? h`${s.title}: page ${page}` : s.title}</h1>
${s.description ? h`<p class="p-summary lede">${s.description}</p>` : ""}
</header>
${top.map((b) => b.html)}
<h2 class="visually-hidden">Latest posts</h2>
${feedList(listing, s.language, "Nothing published yet.")}
${pagination(page, listing.hasNext, pageHref("/"))}
</div>`;
  const scripts = [...new Set(top.flatMap((b) => b.scripts ?? []))];
  return layout(chrome, { path: page > 1 ? `/?page=${page}` : "/", nav: "home", scripts }, main);
}

/** All themes with their descriptions and post counts. */
export function themesPage(chrome: Chrome, themes: { theme: ThemeRow; count: number }[]): string {
  const main = h`<div class="wrap">
<header class="page-header"><h1>Themes</h1>
<p class="lede">The areas ${chrome.settings.author.name || "this site"} writes and speaks about.</p></header>
${
  themes.length
    ? h`<ul class="theme-list">${themes.map(
        ({ theme, count }) => h`<li>
<h2><a href="/themes/${theme.slug}">${theme.name}</a></h2>
${theme.description ? h`<p>${theme.description}</p>` : ""}
<p class="meta">${count} ${count === 1 ? "post" : "posts"}</p>
</li>`,
      )}</ul>`
    : h`<p class="empty">No themes yet.</p>`
}
</div>`;
  return layout(chrome, { title: "Themes", path: "/themes", nav: "themes" }, main);
}

/** One theme: its description and posts, with its own feeds. */
export function themePage(chrome: Chrome, theme: ThemeRow, listing: Listing, page: number): string {
  const base = `/themes/${theme.slug}`;
  const main = h`<div class="h-feed wrap">
<header class="page-header">
<p class="kind">Theme</p>
<h1 class="p-name">${theme.name}</h1>
${theme.description ? h`<p class="p-summary lede">${theme.description}</p>` : ""}
<p class="feeds">Follow this theme: <a href="${base}/feed.atom">Atom</a> · <a href="${base}/feed.rss">RSS</a> · <a href="${base}/feed.json">JSON Feed</a></p>
</header>
<h2 class="visually-hidden">Posts</h2>
${feedList(listing, chrome.settings.language, "No posts in this theme yet.")}
${pagination(page, listing.hasNext, pageHref(base))}
</div>`;
  return layout(
    chrome,
    {
      title: page > 1 ? `${theme.name} (page ${page})` : theme.name,
      description: theme.description,
      path: page > 1 ? `${base}?page=${page}` : base,
      feeds: [{ title: `${chrome.settings.title}: ${theme.name}`, base: `${base}/feed` }],
      nav: "themes",
    },
    main,
  );
}

/** The archive: years with post counts. */
export function archivePage(chrome: Chrome, years: { year: number; count: number }[]): string {
  const main = h`<div class="wrap">
<header class="page-header"><h1>Archive</h1></header>
${
  years.length
    ? h`<ul class="year-list">${years.map(
        (y) =>
          h`<li><a href="/archive/${y.year}">${y.year}</a> <span class="meta">${y.count} ${y.count === 1 ? "post" : "posts"}</span></li>`,
      )}</ul>`
    : h`<p class="empty">Nothing published yet.</p>`
}
</div>`;
  return layout(chrome, { title: "Archive", path: "/archive", nav: "archive" }, main);
}

/** One year's posts, grouped by month. */
export function yearPage(chrome: Chrome, year: number, listing: Listing): string {
  const lang = chrome.settings.language;
  const months = new Map<string, Listing["posts"]>();
  for (const p of listing.posts) {
    const m = (p.published_at ?? "").slice(0, 7);
    const list = months.get(m) ?? [];
    list.push(p);
    months.set(m, list);
  }
  let monthName: Intl.DateTimeFormat;
  try {
    monthName = new Intl.DateTimeFormat(lang, { month: "long", timeZone: "UTC" });
  } catch {
    monthName = new Intl.DateTimeFormat("en", { month: "long", timeZone: "UTC" });
  }
  const main = h`<div class="h-feed wrap">
<header class="page-header"><p class="kind"><a href="/archive">Archive</a></p><h1 class="p-name">${year}</h1></header>
${[...months].map(
  ([m, posts]) => h`<section aria-labelledby="m-${m}">
<h2 id="m-${m}">${monthName.format(new Date(`${m}-01T00:00:00Z`))}</h2>
<ul class="cards">${posts.map((p) => postCard(p, listing.themes.get(p.id), lang, 3))}</ul>
</section>`,
)}
</div>`;
  return layout(
    chrome,
    {
      title: `Archive ${year}`,
      description: `Posts published in ${year}.`,
      path: `/archive/${year}`,
      nav: "archive",
    },
    main,
  );
}
