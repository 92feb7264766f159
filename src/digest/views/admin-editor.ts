/**
 * The editor of a draft digest. One form holds every text (title, introduction, closing note,
 * each entry's title and blurb) and every action of the page: its buttons say what to do after
 * saving what is on the screen (move, remove, undo, add a link, send a test, send, hold, export),
 * so nothing typed is lost by any button and everything works without JavaScript. digest.js adds
 * drag and drop on top. Beside it: the email as sent (a sandboxed iframe) and its plain text.
 */
import type { Context } from "hono";
import { html } from "hono/html";
import type { AppEnv } from "../../lib/http/env.ts";
import { type FieldErrors, input, select, textarea } from "../../lib/ui/form.ts";
import { csrfField, type Html, page, when } from "../../lib/ui/layout.ts";
import type { EntryView, SectionView } from "../render.ts";
import type { LoadedDigest } from "../service.ts";
import { digestActions } from "./admin-actions.ts";

/** What the editor shows besides the digest itself. */
export interface EditorData {
  loaded: LoadedDigest;
  status: string;
  lists: { slug: string; name: string; isPublic: boolean; confirmed: number }[];
  /** Lists ticked in the send form (the schedule's, the only list, or as submitted). */
  defaultLists: string[];
  timeZone: string;
  previewText: string;
  /** Submitted values to show instead of the stored ones (after an error). */
  values?: Record<string, string>;
  errors?: FieldErrors;
  /** The message at the top (default: "Not saved…" when there are field errors). */
  error?: string;
  notice?: string;
  status_?: number;
}

const arrow = (what: string, id: number, by: -1 | 1, name: string) =>
  html`<button type="submit" class="button move" name="action" value="move:${what}:${id}:${by}"><span aria-hidden="true">${
    by < 0 ? "↑" : "↓"
  }</span><span class="visually-hidden">Move “${name}” ${by < 0 ? "up" : "down"}</span></button>`;

function entry(e: EntryView, d: EditorData): Html {
  const v = (name: string, stored: string) => d.values?.[name] ?? stored;
  return html`<li class="digest-entry" id="entry-${e.id}" data-entry-id="${e.id}">
  ${input({ name: `title-${e.id}`, label: "Title", value: v(`title-${e.id}`, e.title), errors: d.errors })}
  ${textarea({ name: `blurb-${e.id}`, label: "Blurb (Markdown)", value: v(`blurb-${e.id}`, e.blurbMd), rows: 3, errors: d.errors })}
  <p class="hint"><a href="${e.url}">${e.url}</a>${e.credits.length ? html` · via ${e.credits.map((c) => c.name).join(", who found it at ")}` : ""}</p>
  <div class="entry-actions">${arrow("entry", e.id, -1, e.title)}${arrow("entry", e.id, 1, e.title)}
  <button type="submit" class="button" name="action" value="remove:${e.id}">Remove<span class="visually-hidden"> “${e.title}”</span></button></div>
</li>`;
}

function section(s: SectionView, d: EditorData): Html {
  return html`<section class="digest-section" id="section-${s.id}" data-section-id="${s.id}" aria-labelledby="section-${s.id}-title">
  <div class="section-head"><h2 id="section-${s.id}-title">${s.title}</h2>${arrow("section", s.id, -1, s.title)}${arrow("section", s.id, 1, s.title)}</div>
  <ol class="digest-entries" data-section-id="${s.id}">${s.entries.map((e) => entry(e, d))}</ol>
  ${s.entries.length ? "" : html`<p class="hint empty">No entries in this section.</p>`}
</section>`;
}

function mainForm(d: EditorData): Html {
  const { digest, view, removed } = d.loaded;
  const v = (name: string, stored: string) => d.values?.[name] ?? stored;
  return html`<div class="stack digest-form">
  ${input({ name: "title", label: "Title", value: v("title", digest.title), required: true, errors: d.errors })}
  ${textarea({ name: "intro", label: "Introduction (Markdown)", value: v("intro", digest.intro_md), rows: 4, errors: d.errors })}
  <div class="digest-sections" id="digest-sections">${view.sections.map((s) => section(s, d))}</div>
  ${textarea({ name: "closing", label: "Closing note (Markdown)", value: v("closing", digest.closing_md), rows: 3, errors: d.errors })}
  ${
    removed.length
      ? html`<h2>Removed</h2><ul class="removed">${removed.map(
          (e) =>
            html`<li id="entry-${e.id}">${e.title} <button type="submit" class="button" name="action" value="undo:${e.id}">Undo<span class="visually-hidden"> removing “${e.title}”</span></button></li>`,
        )}</ul>`
      : ""
  }
  <p class="order-status" role="status" id="order-status"></p>
  <div class="actions"><button type="submit" class="primary" name="action" value="save">Save</button></div>
</div>`;
}

function addLinkForm(d: EditorData): Html {
  const { view } = d.loaded;
  const options = [
    { value: "", label: "Also noted (a section of its own)" },
    ...view.sections.map((s) => ({ value: s.id, label: s.title })),
  ];
  return html`<h2 id="add">Add a link</h2>
<div class="stack">
  ${input({ name: "url", label: "Address (URL)", type: "url", value: d.values?.url ?? "", errors: d.errors })}
  ${textarea({ name: "blurb", label: "Blurb (Markdown)", value: d.values?.blurb ?? "", rows: 3, hint: "Empty: the page's own description.", errors: d.errors })}
  ${select({ name: "section", label: "Section", value: d.values?.section ?? "", options, errors: d.errors })}
  <div class="actions"><button type="submit" class="button" name="action" value="add-link">Add the link</button></div>
</div>`;
}

/** Render the editor of a draft. */
export function digestEditorPage(c: Context<AppEnv>, d: EditorData) {
  const { digest } = d.loaded;
  const body = html`<h1>Digest “${digest.title}”</h1>
<p><a href="/admin/digests">All digests</a> · <span class="badge">${d.status}</span>${
    digest.send_at
      ? html` · goes out by itself on ${when(digest.send_at, d.timeZone)}${digest.held ? " (held)" : ""}`
      : ""
  }</p>
<div class="digest-grid">
<form method="post" action="/admin/digests/${digest.id}" class="digest-edit" id="digest-form" data-warn-unsaved novalidate>
${csrfField(c)}
<button type="submit" name="action" value="save" class="visually-hidden" tabindex="-1" aria-hidden="true">Save</button>
${mainForm(d)}
${addLinkForm(d)}
${digestActions(d)}
</form>
<aside class="digest-preview" aria-labelledby="preview-title">
  <h2 id="preview-title">Preview</h2>
  <h3>Email</h3>
  <iframe class="email-preview" src="/admin/digests/${digest.id}/preview/email" sandbox="" title="The email as subscribers get it"></iframe>
  <h3>Plain text</h3>
  <pre class="text-preview" tabindex="0">${d.previewText}</pre>
  <h3>Web page</h3>
  <p><a href="/digests/${digest.id}">Open the web page of this draft</a></p>
</aside>
</div>`;
  const error =
    d.error ??
    (d.errors && Object.keys(d.errors).length ? "Not saved. Please correct the fields marked below." : undefined);
  return page(
    c,
    {
      title: `Digest “${digest.title}”`,
      section: "digests",
      notice: d.notice,
      error,
      status: d.status_,
      scripts: ["digest.js"],
      styles: ["digest.css"],
    },
    body,
  );
}
