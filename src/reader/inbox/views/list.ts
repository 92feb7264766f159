/**
 * The inbox page: view tabs (all with unread first, unread, starred), mark-all-read with undo,
 * the item list with per-item forms, "older items" paging and helpful empty states.
 * Items carry data attributes that reader.js uses for keyboard shortcuts.
 */
import type { Context } from "hono";
import { html } from "hono/html";
import type { AppEnv } from "../../../lib/http/env.ts";
import { csrfField, type Html, page, when } from "../../../lib/ui/layout.ts";
import { excerptOf, formatDuration, httpUrl, parseEnclosures } from "../format.ts";
import { inboxHref, listContext, MAX_SEARCH } from "../query.ts";
import { type InboxPage, sourceName } from "../service.ts";
import type { InboxView, ListedItem } from "../store.ts";
import { flagForms, shortcutHelp, sidebar } from "./parts.ts";

export interface ListNotice {
  text: string;
  /** Offer "Undo" for a mark-all-read. */
  undoToken?: string;
}

const tabs: { view: InboxView; label: string }[] = [
  { view: "all", label: "All (unread first)" },
  { view: "unread", label: "Unread" },
  { view: "starred", label: "Starred" },
];

function heading(d: InboxPage): string {
  if (d.scope.kind !== "all") return d.scope.name;
  return d.query.view === "starred" ? "Starred" : "Inbox";
}

function item(c: Context<AppEnv>, it: ListedItem, back: string, tz: string, context: string): Html {
  const title = it.title || "Untitled";
  const podcast = parseEnclosures(it.enclosures).some((e) => e.kind === "audio");
  const duration = formatDuration(it.duration_seconds);
  const url = httpUrl(it.url);
  return html`<li class="item ${it.is_read ? "is-read" : "is-unread"}" id="item-${it.id}" data-id="${it.id}" data-read="${it.is_read}"${
    url ? html` data-url="${url}"` : ""
  }>
  <h2 class="item-title"><a href="/admin/reader/items/${it.id}${context}">${title}</a>${
    it.is_read ? "" : html` <span class="visually-hidden">(unread)</span>`
  }${it.is_starred ? html` <span class="star" title="Starred"><span aria-hidden="true">★</span><span class="visually-hidden">(starred)</span></span>` : ""}</h2>
  <p class="item-meta">${sourceName({
    custom_title: it.source_custom_title,
    title: it.source_title,
    site_host: it.source_host,
    feed_url: it.source_feed_url,
  })} · <time datetime="${it.sort_date}">${when(it.sort_date, tz)}</time>${podcast ? html` · <span class="badge">audio</span>` : ""}${
    duration ? html` · ${duration}` : ""
  }</p>
  ${it.excerpt ? html`<p class="item-excerpt">${excerptOf(it.excerpt, it.title)}</p>` : ""}
  <div class="item-actions">
    ${flagForms(c, it, `${back}#item-${it.id}`, title)}
    <a href="/admin/save?item=${it.id}">Save<span class="visually-hidden">: ${title}</span></a>
    ${url ? html`<a href="${url}" rel="noopener noreferrer" target="_blank">Original<span class="visually-hidden">: ${title} (opens in a new tab)</span></a>` : ""}
  </div>
</li>`;
}

/** Search within the list shown (its view, folder or source); works without JavaScript (GET). */
function searchForm(d: InboxPage): Html {
  const q = d.query;
  return html`<form method="get" action="/admin/reader" class="inline reader-search" role="search">
    ${q.view !== "all" ? html`<input type="hidden" name="show" value="${q.view}">` : ""}
    ${q.folderId !== undefined ? html`<input type="hidden" name="folder" value="${q.folderId}">` : ""}
    ${q.sourceId !== undefined ? html`<input type="hidden" name="source" value="${q.sourceId}">` : ""}
    <label for="reader-q">Search ${d.scope.kind === "all" ? "the reader" : d.scope.name}</label>
    <input id="reader-q" name="q" type="search" value="${q.search ?? ""}" maxlength="${MAX_SEARCH}">
    <button type="submit">Search</button>
    ${q.search ? html`<a href="${inboxHref({ ...q, search: undefined, after: undefined })}">Clear the search</a>` : ""}
  </form>`;
}

function emptyState(d: InboxPage): Html {
  if (d.query.search) {
    return html`<p class="empty">No items match “${d.query.search}” here. <a href="${inboxHref({ ...d.query, search: undefined, after: undefined })}">Show all items</a>.</p>`;
  }
  if (!d.sources.length) {
    return html`<div class="empty">
  <p><strong>You don't follow anything yet.</strong></p>
  <p><a class="button primary" href="/admin/sources">Follow a site, blog or podcast</a> by pasting its address, or import the OPML file exported from your old reader.</p>
</div>`;
  }
  const q = d.query;
  if (q.after)
    return html`<p class="empty">No more items. <a href="${inboxHref({ ...q, after: undefined })}">Back to the newest</a>.</p>`;
  if (q.view === "unread") {
    return html`<p class="empty">All caught up: nothing unread here. See <a href="${inboxHref({ ...q, view: "all" })}">all items</a> or your <a href="${inboxHref({ view: "starred" })}">starred</a> ones.</p>`;
  }
  if (q.view === "starred") return html`<p class="empty">Nothing starred yet. Star an item to keep it here.</p>`;
  return html`<p class="empty">No items yet. New items appear here after the next poll; <a href="/admin/sources">the sources page</a> shows when each feed was last fetched and any errors.</p>`;
}

function noticeBlock(c: Context<AppEnv>, n: ListNotice | undefined, back: string): Html {
  if (!n) return html``;
  return html`<div class="notice" role="status">${n.text}${
    n.undoToken
      ? html` <form method="post" action="/admin/reader/undo" class="inline undo-form">${csrfField(c)}<input type="hidden" name="token" value="${n.undoToken}"><input type="hidden" name="back" value="${back}"><button type="submit">Undo</button></form>`
      : ""
  }</div>`;
}

/** Render the inbox. */
export function inboxPage(c: Context<AppEnv>, d: InboxPage, tz: string, notice?: ListNotice, error?: string) {
  const q = d.query;
  const back = inboxHref(q);
  return page(
    c,
    { title: heading(d), section: "reader", scripts: ["reader.js"], styles: ["reader.css"], error },
    html`<div class="reader">
${sidebar(d)}
<section class="reader-main" aria-labelledby="inbox-title">
  <div class="page-head">
    <h1 id="inbox-title">${heading(d)}</h1>
    ${
      d.items.length
        ? html`<form method="post" action="/admin/reader/mark-all-read" class="inline mark-all">
      ${csrfField(c)}
      <input type="hidden" name="show" value="${q.view}">
      ${q.folderId !== undefined ? html`<input type="hidden" name="folder" value="${q.folderId}">` : ""}
      ${q.sourceId !== undefined ? html`<input type="hidden" name="source" value="${q.sourceId}">` : ""}
      ${q.search ? html`<input type="hidden" name="q" value="${q.search}">` : ""}
      <input type="hidden" name="upto" value="${d.maxId}">
      <button type="submit">Mark all as read</button>
    </form>`
        : ""
    }
  </div>
  ${noticeBlock(c, notice, back)}
  ${searchForm(d)}
  <nav class="view-tabs" aria-label="Show">
    <ul>${tabs.map(
      (t) =>
        html`<li><a href="${inboxHref({ view: t.view, folderId: q.folderId, sourceId: q.sourceId, search: q.search })}"${
          t.view === q.view ? html` aria-current="page"` : ""
        }>${t.label}</a></li>`,
    )}</ul>
  </nav>
  ${
    d.items.length
      ? html`<ol class="items" id="items">${d.items.map((it) => item(c, it, back, tz, listContext(q)))}</ol>`
      : emptyState(d)
  }
  <nav class="pager" aria-label="Pages">
    ${q.after ? html`<a href="${inboxHref({ ...q, after: undefined })}">← Newest</a>` : ""}
    ${d.next ? html`<a href="${inboxHref({ ...q, after: d.next })}" rel="next">Older items →</a>` : ""}
  </nav>
  <p class="shortcut-hint" hidden>Press <kbd>?</kbd> for keyboard shortcuts.</p>
</section>
</div>
${shortcutHelp()}`,
  );
}
