/** Pages for one source (details, rename, move, unfollow) and one folder (rename, move, delete). */
import type { Context } from "hono";
import { html } from "hono/html";
import type { AppEnv } from "../../../lib/http/env.ts";
import { type FieldErrors, input, select } from "../../../lib/ui/form.ts";
import { csrfField, type Html, when } from "../../../lib/ui/layout.ts";
import type { FolderRow, SourceRow } from "../store.ts";
import { type FolderChoice, folderOptions } from "./list.ts";

const fmtFormat: Record<string, string> = {
  rss: "RSS",
  atom: "Atom",
  rdf: "RSS 1.0 (RDF)",
  json: "JSON Feed",
  cdf: "Channel Definition Format (CDF)",
};

function facts(s: SourceRow, tz: string): Html {
  // Another kind's source (a fediverse account): its id, and its own feed if it has one (read when following does not work).
  const feed = s.feed_url !== s.remote_id;
  return html`<dl class="facts">
  ${s.remote_id ? html`<dt>Account</dt><dd>${s.remote_id}</dd>` : ""}
  ${feed ? html`<dt>Feed</dt><dd><a href="${s.feed_url}" rel="noopener noreferrer">${s.feed_url}</a>${s.format ? html` (${fmtFormat[s.format] ?? s.format}${s.is_podcast ? ", podcast" : ""})` : ""}</dd>` : ""}
  ${s.site_url ? html`<dt>Site</dt><dd><a href="${s.site_url}" rel="noopener noreferrer">${s.site_url}</a></dd>` : ""}
  ${s.description ? html`<dt>Description</dt><dd>${s.description}</dd>` : ""}
  <dt>Followed since</dt><dd>${when(s.created_at, tz)}</dd>
  <dt>Last fetched</dt><dd>${when(s.last_fetched_at, tz)}</dd>
  <dt>Last success</dt><dd>${when(s.last_success_at, tz)}</dd>
  <dt>Polled</dt><dd>about every ${s.interval_minutes < 120 ? `${s.interval_minutes} minutes` : `${Math.round(s.interval_minutes / 60)} hours`}; next ${when(s.next_fetch_at, tz)}</dd>
  ${
    s.last_error
      ? html`<dt>Last error</dt><dd class="source-error">${s.last_error} (${s.error_count} in a row, last ${when(s.last_error_at, tz)})</dd>`
      : ""
  }
</dl>`;
}

export interface SourceEditView {
  source: SourceRow;
  name: string;
  choices: FolderChoice[];
  values: { title: string; folder: string };
  errors: FieldErrors;
  tz: string;
}

/** The body of /admin/sources/:id. */
export function sourceEditBody(c: Context<AppEnv>, v: SourceEditView): Html {
  const s = v.source;
  return html`<h1>${v.name}</h1>
<p><a href="/admin/sources">All sources</a> · <a href="/admin/reader?source=${s.id}">Read its items</a></p>
${facts(s, v.tz)}
<form method="post" action="/admin/sources/${s.id}/retry" class="actions">
  ${csrfField(c)}<button type="submit">${s.error_count ? "Retry now" : "Poll now"}</button>
</form>
<h2>Edit</h2>
<form method="post" action="/admin/sources/${s.id}" class="stack" novalidate>
  ${csrfField(c)}
  ${input({ name: "title", label: "Your title", value: v.values.title, errors: v.errors, hint: `Leave empty to use the feed's title${s.title ? ` (“${s.title}”)` : ""}.` })}
  ${select({ name: "folder", label: "Folder", value: v.values.folder, options: folderOptions(v.choices), errors: v.errors })}
  <div class="actions"><button type="submit" class="primary">Save</button></div>
</form>
<p><a class="danger-link" href="/admin/sources/${s.id}/unfollow">Unfollow…</a></p>`;
}

/** Confirmation before unfollowing. */
export function unfollowBody(c: Context<AppEnv>, s: SourceRow, name: string, items: number): Html {
  return html`<h1>Unfollow “${name}”?</h1>
<p>Its ${items} item${items === 1 ? "" : "s"} leave the inbox too (saves you made from them are kept). You can follow it again later.</p>
<form method="post" action="/admin/sources/${s.id}/unfollow" class="actions">
  ${csrfField(c)}
  <button type="submit" class="danger">Unfollow</button>
  <a href="/admin/sources/${s.id}">Cancel</a>
</form>`;
}

export interface FolderEditView {
  folder: FolderRow;
  path: string;
  /** Folders it may move into (not itself or its sub-folders). */
  choices: FolderChoice[];
  values: { name: string; parent: string };
  errors: FieldErrors;
}

/** The body of /admin/sources/folders/:id. */
export function folderEditBody(c: Context<AppEnv>, v: FolderEditView): Html {
  const f = v.folder;
  return html`<h1>Folder “${v.path}”</h1>
<p><a href="/admin/sources">All sources</a></p>
<form method="post" action="/admin/sources/folders/${f.id}" class="stack" novalidate>
  ${csrfField(c)}
  ${input({ name: "name", label: "Name", value: v.values.name, required: true, errors: v.errors })}
  ${select({ name: "parent", label: "Inside", value: v.values.parent, options: folderOptions(v.choices, "(top level)"), errors: v.errors })}
  <div class="actions"><button type="submit" class="primary">Save folder</button></div>
</form>
<h2>Delete</h2>
<p>Deleting the folder unfollows nothing: its sources and sub-folders move up one level.</p>
<form method="post" action="/admin/sources/folders/${f.id}/delete" class="actions">
  ${csrfField(c)}<button type="submit" class="danger">Delete folder</button>
</form>`;
}
