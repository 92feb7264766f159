/** The saves pages: save a link (new), edit a save, and the list with search and the bookmarklet. */
import type { Context } from "hono";
import { html, raw } from "hono/html";
import type { ThemeRow } from "../../../content/index.ts";
import type { AppEnv } from "../../../lib/http/env.ts";
import type { FieldErrors } from "../../../lib/ui/form.ts";
import { csrfField, page, when } from "../../../lib/ui/layout.ts";
import { creditLine } from "../credits.ts";
import type { SaveRow } from "../store.ts";
import { type SaveFormValues, saveForm } from "./form.ts";

/** Shared by the form pages. */
export interface FormPageData {
  values: SaveFormValues;
  errors: FieldErrors;
  themes: ThemeRow[];
  status?: number;
  notice?: string;
}

const errorSummary = (errors: FieldErrors) => {
  const first = Object.values(errors)[0];
  return first ? `Not saved: ${first}${/[.!?]$/.test(first) ? "" : "."} Please correct the field marked below.` : "";
};

/** GET /admin/save: the prefilled form for a new save. */
export function newSavePage(c: Context<AppEnv>, d: FormPageData & { earlier?: SaveRow; itemMissing?: boolean }) {
  return page(
    c,
    { title: "Save a link", section: "saves", status: d.status, error: errorSummary(d.errors), notice: d.notice },
    html`<h1>Save a link</h1>
${d.itemMissing ? html`<p class="hint">That inbox item no longer exists; fill in the address yourself.</p>` : ""}
${
  d.earlier
    ? html`<p class="hint">You saved this address before: <a href="/admin/saves/${d.earlier.id}">${d.earlier.title}</a>.</p>`
    : ""
}
${saveForm(c, { action: "/admin/saves", values: d.values, errors: d.errors, themes: d.themes, submit: "Save" })}`,
  );
}

/** GET /admin/saves/:id: edit a save, with what we know about the page. */
export function editSavePage(
  c: Context<AppEnv>,
  save: SaveRow,
  d: FormPageData & { postPath?: string; timeZone: string },
) {
  const facts: [string, unknown][] = [
    ["Site", save.site_name],
    ["Author", save.author_name],
    ["Description", save.description],
    ["Canonical address", save.canonical_url ? html`<a href="${save.canonical_url}">${save.canonical_url}</a>` : ""],
    ["Saved", when(save.created_at, d.timeZone)],
    ["Page text", save.page_text ? `${save.page_text.length.toLocaleString("en")} characters kept for search` : "none"],
    ["On the site", d.postPath ? html`<a href="${d.postPath}">${d.postPath}</a>` : "not published"],
  ];
  return page(
    c,
    {
      title: `Save “${save.title}”`,
      section: "saves",
      status: d.status,
      error: errorSummary(d.errors),
      notice: d.notice,
    },
    html`<h1>Save “${save.title}”</h1>
<p><a href="/admin/saves">All saves</a>${save.item_id ? html` · <a href="/admin/reader">Back to the reader</a>` : ""}</p>
<dl class="save-facts">${facts.filter(([, v]) => v !== "").map(([k, v]) => html`<dt>${k}</dt><dd>${v}</dd>`)}</dl>
${saveForm(c, { action: `/admin/saves/${save.id}`, values: d.values, errors: d.errors, themes: d.themes, submit: "Save changes" })}
<form method="post" action="/admin/saves/${save.id}/delete" class="inline">
  ${csrfField(c)}
  <button type="submit" class="danger-link">Delete this save</button>
</form>`,
  );
}

/** The bookmarklet: opens the save page for the current tab (with any selected text as a quote). Pure. */
export function bookmarklet(baseUrl: string): string {
  const target = JSON.stringify(`${baseUrl.replace(/\/+$/, "")}/admin/save?url=`);
  return `javascript:(function(){var s=String(window.getSelection?getSelection():'').slice(0,2000);window.open(${target}+encodeURIComponent(location.href)+'&title='+encodeURIComponent(document.title)+(s?'&text='+encodeURIComponent(s):''));})();`;
}

export interface ListData {
  rows: { save: SaveRow; snippet?: string }[];
  credits: Map<number, { name: string; url: string }[]>;
  q: string;
  page: number;
  hasMore: boolean;
  total: number;
  timeZone: string;
  baseUrl: string;
  notice?: string;
  /** A just-deleted save that can be restored. */
  undo?: { id: number; title: string };
}

function pageLink(q: string, n: number): string {
  const p = new URLSearchParams();
  if (q) p.set("q", q);
  if (n > 1) p.set("page", String(n));
  const s = p.toString();
  return `/admin/saves${s ? `?${s}` : ""}`;
}

/** GET /admin/saves: newest first, or search results. */
export function listSavesPage(c: Context<AppEnv>, d: ListData) {
  return page(
    c,
    { title: "Saves", section: "saves", notice: d.notice },
    html`${
      d.undo
        ? html`<form method="post" action="/admin/saves/${d.undo.id}/undo" class="notice undo" role="status">
  ${csrfField(c)}
  Deleted “${d.undo.title}”. <button type="submit">Undo</button>
</form>`
        : ""
    }<div class="page-head">
  <h1>Saves</h1>
  <a class="button primary" href="/admin/save">Save a link</a>
</div>
<p class="bookmarklet">Save from any page: drag <a href="${bookmarklet(d.baseUrl)}">Save to Liner Notes</a> to your bookmarks bar, then click it on the page you want to keep.</p>
<form method="get" action="/admin/saves" class="filters" role="search">
  <div class="field">
    <label for="f-q">Search saves</label>
    <input id="f-q" name="q" type="search" value="${d.q}">
  </div>
  <div class="actions"><button type="submit">Search</button></div>
</form>
${d.q ? html`<p>${d.total} result${d.total === 1 ? "" : "s"} for “${d.q}”.</p>` : ""}
${
  d.rows.length
    ? html`<table class="list">
  <caption class="visually-hidden">Saves</caption>
  <thead><tr><th scope="col">Title</th><th scope="col">Credits</th><th scope="col">Saved</th></tr></thead>
  <tbody>${d.rows.map(
    ({ save: s, snippet }) => html`<tr>
    <td><a href="/admin/saves/${s.id}">${s.title}</a> <a class="hint" href="${s.url}">${s.site_name || s.url}</a>${
      s.publish ? html` <span class="badge badge-published">published</span>` : ""
    }${snippet ? html`<div class="snippet">${raw(snippet)}</div>` : ""}</td>
    <td>${creditLine(d.credits.get(s.id) ?? []) || "—"}</td>
    <td>${when(s.created_at, d.timeZone)}</td>
  </tr>`,
  )}</tbody>
</table>`
    : html`<p>${d.q ? "No saves match." : "Nothing saved yet. Save a link from the reader, the bookmarklet or the button above."}</p>`
}
${
  d.page > 1 || d.hasMore
    ? html`<nav class="pager" aria-label="Pages">${d.page > 1 ? html`<a rel="prev" href="${pageLink(d.q, d.page - 1)}">← Newer</a>` : ""}${
        d.hasMore ? html`<a rel="next" href="${pageLink(d.q, d.page + 1)}">Older →</a>` : ""
      }</nav>`
    : ""
}`,
  );
}
