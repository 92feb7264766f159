/** The search page: form with theme and kind filters, ranked results with highlighted snippets. */

import type { SearchHit, ThemeRow } from "../../content/index.ts";
import { type H, h, raw } from "../../lib/html.ts";
import { kindLabels, pagination, pathOf, time } from "./components.ts";
import { type Chrome, layout } from "./layout.ts";

export interface SearchView {
  q: string;
  theme?: string;
  kind?: string;
  page: number;
  total: number;
  /** `total` is a lower bound (very common words). */
  moreThan?: boolean;
  perPage: number;
  hits: SearchHit[];
  themes: ThemeRow[];
}

/** The search form; `idPrefix` keeps ids unique when a page has more than one. */
export function searchForm(v: Partial<SearchView> & { themes?: ThemeRow[] }, idPrefix = "search"): H {
  const kinds = ["article", "presentation", "note", "link", "page"];
  return h`<form class="search-form" role="search" aria-label="Search posts" action="/search" method="get">
<div class="field field-q">
<label for="${idPrefix}-q">Search for</label>
<input id="${idPrefix}-q" type="search" name="q" value="${v.q ?? ""}" required>
</div>
${
  v.themes
    ? h`<div class="field">
<label for="${idPrefix}-theme">Theme</label>
<select id="${idPrefix}-theme" name="theme">
<option value="">All themes</option>
${v.themes.map((t) => h`<option value="${t.slug}"${t.slug === v.theme ? h` selected` : ""}>${t.name}</option>`)}
</select>
</div>
<div class="field">
<label for="${idPrefix}-kind">Kind</label>
<select id="${idPrefix}-kind" name="kind">
<option value="">All kinds</option>
${kinds.map((k) => h`<option value="${k}"${k === v.kind ? h` selected` : ""}>${kindLabels[k]}s</option>`)}
</select>
</div>`
    : ""
}
<button type="submit">Search</button>
</form>`;
}

function hitItem(hit: SearchHit, lang: string): H {
  const p = hit.post;
  return h`<li class="h-entry card">
<h2 class="p-name"><a class="u-url" href="${pathOf(p)}">${p.title}</a></h2>
<p class="meta">${time(p.published_at, lang)}${p.kind !== "article" ? h` · ${kindLabels[p.kind]}` : ""}</p>
<p class="snippet">${raw(hit.snippet)}</p>
</li>`;
}

/** Query string for a search results page. */
export function searchHref(v: Pick<SearchView, "q" | "theme" | "kind">, page: number): string {
  const params = new URLSearchParams({ q: v.q });
  if (v.theme) params.set("theme", v.theme);
  if (v.kind) params.set("kind", v.kind);
  if (page > 1) params.set("page", String(page));
  return `/search?${params}`;
}

/** The whole search page. */
export function searchPage(chrome: Chrome, v: SearchView): string {
  const pages = Math.max(1, Math.ceil(v.total / v.perPage));
  const summary = v.q
    ? h`<p class="result-count" role="status">${v.total === 0 ? "No results" : v.moreThan ? `More than ${v.total.toLocaleString("en")} results` : v.total === 1 ? "1 result" : `${v.total} results`} for “${v.q}”.</p>`
    : h`<p class="result-count">Type a word or two: titles, summaries and full texts are searched.</p>`;
  const main = h`<div class="wrap h-feed">
<header class="page-header"><h1 class="p-name">Search</h1></header>
${searchForm(v)}
${summary}
${v.hits.length ? h`<ol class="cards results">${v.hits.map((hit) => hitItem(hit, chrome.settings.language))}</ol>` : ""}
${pagination(v.page, v.page < pages, (n) => searchHref(v, n), pages)}
</div>`;
  return layout(
    chrome,
    {
      title: v.q ? `Search: ${v.q}` : "Search",
      path: v.q ? searchHref(v, v.page) : "/search",
      nav: "search",
      noindex: true,
    },
    main,
  );
}
