/**
 * Pieces shared by the inbox and item pages: the action forms (each a plain POST with CSRF and
 * a "back" path, so everything works without JavaScript) and the sidebar of folders and sources.
 */
import type { Context } from "hono";
import { html } from "hono/html";
import type { AppEnv } from "../../../lib/http/env.ts";
import { csrfField, type Html } from "../../../lib/ui/layout.ts";
import { inboxHref } from "../query.ts";
import type { InboxPage } from "../service.ts";
import { sourceName } from "../service.ts";

export interface ItemFlags {
  id: number;
  is_read: number;
  is_starred: number;
}

/** One button in its own form: POST /admin/reader/items/:id/<action>. */
export function actionForm(
  c: Context<AppEnv>,
  id: number,
  action: string,
  label: Html | string,
  back: string,
  cls = "",
): Html {
  return html`<form method="post" action="/admin/reader/items/${id}/${action}" class="inline"
  ><input type="hidden" name="back" value="${back}">${csrfField(c)}<button type="submit" class="${cls || "link"}" data-action="${action}">${label}</button></form>`;
}

/**
 * Read/unread and star/unstar toggles for an item. `unreadBack` is where "Mark unread" returns
 * to: from the item page that is the inbox, since coming back to the item would read it again.
 */
export function flagForms(c: Context<AppEnv>, item: ItemFlags, back: string, title: string, unreadBack = back): Html {
  // In a list, each button names its item for screen readers; on the item page the title is the heading.
  const hidden = title ? html`<span class="visually-hidden">: ${title}</span>` : "";
  return html`${
    item.is_read
      ? actionForm(c, item.id, "unread", html`Mark unread${hidden}`, unreadBack)
      : actionForm(c, item.id, "read", html`Mark read${hidden}`, back)
  }
${
  item.is_starred
    ? actionForm(c, item.id, "unstar", html`<span aria-hidden="true">★</span> Unstar${hidden}`, back)
    : actionForm(c, item.id, "star", html`<span aria-hidden="true">☆</span> Star${hidden}`, back)
}`;
}

function count(n: number): Html {
  return n ? html` <span class="count">${n}<span class="visually-hidden"> unread</span></span>` : html``;
}

function current(on: boolean) {
  return on ? html` aria-current="page"` : "";
}

/** The sidebar: everything, starred, folders (nested) and sources with unread counts. */
export function sidebar(d: InboxPage): Html {
  const q = d.query;
  const all = q.folderId === undefined && q.sourceId === undefined;
  return html`<nav class="reader-side" aria-label="Folders and sources">
  <ul class="side-list">
    <li><a href="${inboxHref({ view: "all" })}"${current(all && q.view !== "starred")}>All items${count(d.totalUnread)}</a></li>
    <li><a href="${inboxHref({ view: "starred" })}"${current(all && q.view === "starred")}>Starred${
      d.starred ? html` <span class="count">${d.starred}</span>` : ""
    }</a></li>
  </ul>
  ${
    d.folders.length
      ? html`<h2 class="side-head">Folders</h2>
  <ul class="side-list">${d.folders.map(
    (f) =>
      html`<li class="depth-${Math.min(f.depth, 5)}"><a href="${inboxHref({ view: q.view, folderId: f.id })}"${current(q.folderId === f.id)}>${f.name}${count(f.unread)}</a></li>`,
  )}</ul>`
      : ""
  }
  ${
    d.sources.length
      ? html`<h2 class="side-head">Sources</h2>
  <ul class="side-list">${d.sources.map(
    (s) =>
      html`<li><a href="${inboxHref({ view: q.view, sourceId: s.id })}"${current(q.sourceId === s.id)}>${sourceName(s)}${count(s.unread)}</a>${
        s.last_error ? html` <span class="source-error" title="${s.last_error}">(error)</span>` : ""
      }</li>`,
  )}</ul>`
      : ""
  }
  <p><a href="/admin/sources">Manage sources</a></p>
</nav>`;
}

/** Help text for the keyboard shortcuts (rendered hidden; reader.js shows it on "?"). */
export function shortcutHelp(): Html {
  return html`<div class="shortcut-help" id="shortcut-help" role="dialog" aria-modal="false" aria-labelledby="shortcut-help-title" hidden>
  <h2 id="shortcut-help-title">Keyboard shortcuts</h2>
  <dl>
    <dt><kbd>j</kbd> / <kbd>k</kbd></dt><dd>Next / previous item</dd>
    <dt><kbd>o</kbd></dt><dd>Open the selected item (on an item page: the original in a new tab)</dd>
    <dt><kbd>s</kbd></dt><dd>Save the item</dd>
    <dt><kbd>m</kbd></dt><dd>Mark read / unread</dd>
    <dt><kbd>?</kbd></dt><dd>Show or hide this help</dd>
  </dl>
  <button type="button" class="shortcut-close">Close</button>
</div>`;
}
