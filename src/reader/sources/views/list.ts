/**
 * The sources page: sources by folder with their state (last error and "Retry now"), the form to
 * follow a URL, folder management, and OPML import and export. Works without JavaScript.
 */
import type { Context } from "hono";
import { html, raw } from "hono/html";
import type { AppEnv } from "../../../lib/http/env.ts";
import { type FieldErrors, input, select } from "../../../lib/ui/form.ts";
import { csrfField, type Html, when } from "../../../lib/ui/layout.ts";
import type { FolderNode, SourceInfo } from "../service.ts";

export interface FolderChoice {
  id: number;
  label: string;
  depth: number;
}

export interface ListView {
  folders: FolderNode[];
  unfiled: SourceInfo[];
  choices: FolderChoice[];
  tz: string;
  /** Values and errors of the follow form after a failed submit. */
  add: { url: string; folder: string; title: string };
  addErrors: FieldErrors;
  folderForm: { name: string; parent: string };
  folderErrors: FieldErrors;
  importErrors: FieldErrors;
  /** What other modules' kinds of source add to the follow form's hint ("a fediverse account: …"). */
  kindHints: string[];
}

const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

/** "No folder" plus every folder by path, for a `<select>`. */
export function folderOptions(choices: FolderChoice[], none = "No folder") {
  return [{ value: "", label: none }, ...choices.map((f) => ({ value: f.id, label: f.label }))];
}

function status(c: Context<AppEnv>, s: SourceInfo, tz: string): Html {
  const retry = html`<form method="post" action="/admin/sources/${s.id}/retry" class="inline">
    ${csrfField(c)}<button type="submit">${s.error_count ? "Retry now" : "Poll now"}<span class="visually-hidden"> ${s.name}</span></button>
  </form>`;
  if (s.error_count && s.last_error) {
    return html`<p class="source-error"><strong>Error:</strong> ${s.last_error}</p>
<p class="hint">${plural(s.error_count, "failure")} in a row, last ${when(s.last_error_at, tz)}. Next try ${when(s.next_fetch_at, tz)}.</p>
${retry}`;
  }
  const fetched = s.last_success_at ? html`OK, fetched ${when(s.last_success_at, tz)}` : html`Not fetched yet`;
  return html`<p>${fetched}</p><p class="hint">Next ${when(s.next_fetch_at, tz)}</p>${retry}`;
}

function table(c: Context<AppEnv>, sources: SourceInfo[], caption: string, tz: string): Html {
  if (!sources.length) return html`<p class="hint">No sources here.</p>`;
  return html`<table class="list sources">
  <caption class="visually-hidden">${caption}</caption>
  <thead><tr><th scope="col">Source</th><th scope="col">Items</th><th scope="col">State</th><th scope="col"><span class="visually-hidden">Actions</span></th></tr></thead>
  <tbody>${sources.map(
    (s) => html`<tr id="source-${s.id}"${s.error_count ? html` class="failing"` : ""}>
    <td><a href="/admin/sources/${s.id}">${s.name}</a>${s.is_podcast ? html` <span class="badge">Podcast</span>` : ""}
      <div class="hint">${s.site_host || s.feed_url}</div></td>
    <td>${s.items}${s.unread ? html` <span class="hint">(${s.unread} unread)</span>` : ""}</td>
    <td>${status(c, s, tz)}</td>
    <td><a href="/admin/sources/${s.id}">Edit<span class="visually-hidden"> ${s.name}</span></a></td>
  </tr>`,
  )}</tbody>
</table>`;
}

function folderSection(c: Context<AppEnv>, n: FolderNode, tz: string): Html {
  const depth = Math.min(n.path.length, 6);
  const title = n.path.join(" / ");
  // h3 for top-level folders, then h4 … h6 for deeper ones.
  const h = Math.min(2 + depth, 6);
  return html`<section class="folder depth-${depth}" aria-label="${title}">
  ${raw(`<h${h}>`)}${title} <span class="hint">(${plural(n.sources.length, "source")})</span>${raw(`</h${h}>`)}
  ${table(c, n.sources, `Sources in ${title}`, tz)}
  ${n.children.map((k) => folderSection(c, k, tz))}
</section>`;
}

/** The body of /admin/sources. */
export function listBody(c: Context<AppEnv>, v: ListView): Html {
  const total = v.unfiled.length + countIn(v.folders);
  const failing = [...v.unfiled, ...allIn(v.folders)].filter((s) => s.error_count > 0).length;
  return html`<div class="page-head"><h1>Sources</h1>
  <p><a class="button" href="/admin/sources/export.opml" download>Export OPML</a></p></div>
<p>${plural(total, "source")} followed${failing ? html`, <a href="#sources">${failing} failing</a>` : ""}.</p>

<section aria-labelledby="add-h">
<h2 id="add-h">Follow a site or feed${v.kindHints.length ? " (or an account)" : ""}</h2>
<form method="post" action="/admin/sources" class="stack" novalidate>
  ${csrfField(c)}
  ${input({ name: "url", label: v.kindHints.length ? "Web address (URL) or account" : "Web address (URL)", value: v.add.url, required: true, errors: v.addErrors, extra: html` inputmode="url" autocapitalize="off" spellcheck="false"`, hint: `A feed, or a site or page that links to one. Examples: example.com, https://example.com/feed.xml${v.kindHints.map((k) => `. Or ${k}`).join("")}` })}
  ${select({ name: "folder", label: "Folder", value: v.add.folder, options: folderOptions(v.choices), errors: v.addErrors })}
  ${input({ name: "title", label: "Your title (optional)", value: v.add.title, errors: v.addErrors, hint: "Shown instead of the feed's own title." })}
  <div class="actions"><button type="submit" class="primary">Follow</button></div>
</form>
</section>

<section aria-labelledby="sources-h" id="sources">
<h2 id="sources-h">Your sources</h2>
${total ? "" : html`<p>You follow nothing yet. Paste a site's address above, or import an OPML file from another reader.</p>`}
${v.folders.map((n) => folderSection(c, n, v.tz))}
${
  v.folders.length && v.unfiled.length
    ? html`<section class="folder depth-0" aria-label="No folder"><h3>No folder</h3>${table(c, v.unfiled, "Sources in no folder", v.tz)}</section>`
    : v.unfiled.length
      ? table(c, v.unfiled, "Sources", v.tz)
      : ""
}
</section>

<section aria-labelledby="folders-h">
<h2 id="folders-h">Folders</h2>
${
  v.choices.length
    ? html`<ul class="folder-list">${v.choices.map(
        (f) =>
          html`<li class="depth-${Math.min(f.depth, 6)}"><a href="/admin/sources/folders/${f.id}">${f.label}</a></li>`,
      )}</ul>`
    : html`<p class="hint">No folders yet.</p>`
}
<form method="post" action="/admin/sources/folders" class="stack" novalidate>
  ${csrfField(c)}
  ${input({ name: "name", label: "New folder name", value: v.folderForm.name, required: true, errors: v.folderErrors })}
  ${select({ name: "parent", label: "Inside", value: v.folderForm.parent, options: folderOptions(v.choices, "(top level)"), errors: v.folderErrors })}
  <div class="actions"><button type="submit">Create folder</button></div>
</form>
</section>

<section aria-labelledby="opml-h">
<h2 id="opml-h">Import and export</h2>
<form method="post" action="/admin/sources/import" enctype="multipart/form-data" class="stack" novalidate>
  ${csrfField(c)}
  ${input({ name: "file", label: "OPML file", type: "file", errors: v.importErrors, hint: "From another feed reader. Folders are kept; feeds you follow already are skipped. A broken file imports nothing.", extra: html` accept=".opml,.xml,text/x-opml,text/xml,application/xml"` })}
  <div class="actions"><button type="submit">Import OPML</button></div>
</form>
<p><a href="/admin/sources/export.opml" download>Download all sources as OPML</a></p>
</section>`;
}

function allIn(nodes: FolderNode[]): SourceInfo[] {
  return nodes.flatMap((n) => [...n.sources, ...allIn(n.children)]);
}

function countIn(nodes: FolderNode[]): number {
  return allIn(nodes).length;
}
