/** The admin search page: one form, then posts, saves and feed items, each with its count. */
import type { Context } from "hono";
import { html, raw } from "hono/html";
import type { AppEnv } from "../../../lib/http/env.ts";
import { type Html, page, when } from "../../../lib/ui/layout.ts";
import type { CombinedResult, Section } from "../service.ts";

export interface SearchView {
  q: string;
  only?: Section;
  page: number;
  perPage: number;
  timeZone: string;
  result?: CombinedResult;
  /** Why the query could not run (shown at the field). */
  error?: string;
  /** A note instead of results (an empty query, a query without words). */
  note?: string;
  status?: number;
}

const labels: Record<Section, { heading: string; one: string; many: string }> = {
  posts: { heading: "Your posts", one: "post", many: "posts" },
  saves: { heading: "Your saves", one: "save", many: "saves" },
  items: { heading: "Feed items", one: "feed item", many: "feed items" },
};

function href(q: string, only?: Section, pageNo = 1): string {
  const p = new URLSearchParams({ q });
  if (only) p.set("in", only);
  if (pageNo > 1) p.set("page", String(pageNo));
  return `/admin/search?${p}`;
}

function count(n: number, s: Section, moreThan?: boolean): string {
  return `${moreThan ? "more than " : ""}${n} ${n === 1 ? labels[s].one : labels[s].many}`;
}

function form(v: SearchView): Html {
  const err = v.error;
  return html`<form method="get" action="/admin/search" role="search" class="filters" aria-label="Search posts, saves and feed items">
  <div class="field${err ? " has-error" : ""}">
    <label for="f-q">Search posts, saves and feed items</label>
    ${err ? html`<p class="field-error" id="f-q-error">${err}</p>` : ""}
    <input id="f-q" name="q" type="search" value="${v.q}"${err ? html` aria-invalid="true" aria-describedby="f-q-error"` : ""}>
  </div>
  <div class="actions"><button type="submit" class="primary">Search</button></div>
</form>`;
}

interface Row {
  href: string;
  title: string;
  meta: string;
  snippet: string;
}

function rowsOf(s: Section, r: CombinedResult, tz: string): Row[] {
  if (s === "posts") {
    return (r.posts?.hits ?? []).map((h) => ({
      href: `/admin/posts/${h.post.id}`,
      title: h.post.title || "(untitled)",
      meta: `${h.post.kind}, ${h.post.status}${h.post.published_at ? `, ${when(h.post.published_at, tz)}` : ""}`,
      snippet: h.snippet,
    }));
  }
  if (s === "saves") {
    return (r.saves?.hits ?? []).map((h) => ({
      href: `/admin/saves/${h.save.id}`,
      title: h.save.title || h.save.url,
      meta: `saved ${when(h.save.created_at, tz)}`,
      snippet: h.snippet,
    }));
  }
  return (r.items?.hits ?? []).map((h) => ({
    href: `/admin/reader/items/${h.item.id}`,
    title: h.item.title || h.item.url || "(untitled)",
    meta: `${h.item.sourceTitle}, ${when(h.item.publishedAt ?? h.item.fetchedAt, tz)}`,
    snippet: h.snippet,
  }));
}

function section(v: SearchView, s: Section, r: CombinedResult): Html {
  const res = r[s];
  if (!res) return html``;
  const rows = rowsOf(s, r, v.timeZone);
  const shownAll = v.only === s;
  return html`<section aria-labelledby="h-${s}">
  <h2 id="h-${s}">${labels[s].heading} <span class="status">(${count(res.total, s, res.moreThan)})</span></h2>
  ${
    rows.length
      ? html`<ol class="search-results">${rows.map(
          (row) => html`<li><a href="${row.href}">${row.title}</a> <span class="hint">${row.meta}</span>
    ${row.snippet ? html`<div class="snippet">${raw(row.snippet)}</div>` : ""}</li>`,
        )}</ol>`
      : html`<p>No ${labels[s].many} match.</p>`
  }
  ${
    shownAll
      ? html`<nav class="pager" aria-label="Pages of ${labels[s].many}">
    ${v.page > 1 ? html`<a href="${href(v.q, s, v.page - 1)}">← Previous</a>` : ""}
    ${res.total > v.page * v.perPage ? html`<a href="${href(v.q, s, v.page + 1)}">Next →</a>` : ""}
    <a href="${href(v.q)}">Back to all results</a>
  </nav>`
      : res.total > rows.length
        ? html`<p><a href="${href(v.q, s)}">All ${count(res.total, s, res.moreThan)}</a></p>`
        : ""
  }
</section>`;
}

/** Render the search page. */
export function searchPage(c: Context<AppEnv>, v: SearchView) {
  const title = v.q && v.result ? `Search: ${v.q}` : "Search";
  const order: Section[] = v.only ? [v.only] : ["posts", "saves", "items"];
  return page(
    c,
    { title, status: v.status, error: v.error ? "The search did not run. Please correct it below." : undefined },
    html`<h1>Search</h1>
${form(v)}
${v.note ? html`<p>${v.note}</p>` : ""}
${v.result ? order.map((s) => section(v, s, v.result as CombinedResult)) : ""}`,
  );
}
