/** The post editor form: all fields, upload controls, the preview pane and the action buttons. */
import type { Context } from "hono";
import { html, raw } from "hono/html";
import type { AppEnv } from "../../../lib/http/env.ts";
import type { EditorPart } from "../../../lib/module.ts";
import { zoneLabel } from "../../../lib/time.ts";
import { checkboxes, type FieldErrors, input, select, textarea } from "../../../lib/ui/form.ts";
import { csrfField, page, when } from "../../../lib/ui/layout.ts";
import type { AutosaveRow } from "../../autosave.ts";
import type { EditorValues } from "../../editor.ts";
import type { MediaRow } from "../../media.ts";
import { mediaUrl, pickVariant } from "../../media.ts";
import { postPath } from "../../service.ts";
import type { PostRow, ThemeRow } from "../../store.ts";

export interface EditorData {
  post?: PostRow;
  values: EditorValues;
  errors?: FieldErrors;
  themes: ThemeRow[];
  images: MediaRow[];
  pdfs: MediaRow[];
  timeZone: string;
  /** Other modules' parts of the editor (lib/module.ts `EditorPart`). */
  parts: EditorPart[];
  /** Rendered preview (server-side, for the no-JS Preview button). */
  previewHtml?: string;
  notice?: string;
  error?: string;
  status?: number;
  /** An autosave newer than the post's last save (offered for restore), if any. */
  autosave?: AutosaveRow;
  /** True when the values shown are the autosave's (restored, not saved yet). */
  restored?: boolean;
}

export const kindOptions = [
  { value: "article", label: "Article" },
  { value: "presentation", label: "Presentation (Marp slides, --- between slides)" },
  { value: "note", label: "Note" },
  { value: "page", label: "Page (e.g. about)" },
  { value: "event", label: "Event (seminar, workshop, webinar)" },
];

const statusText: Record<string, string> = { draft: "Draft", scheduled: "Scheduled", published: "Published" };

function statusLine(d: EditorData) {
  const p = d.post;
  if (!p) return html`<p class="status">New post (not saved yet)</p>`;
  const at = when(p.published_at, d.timeZone);
  return html`<p class="status">
  <span class="badge badge-${p.status}">${statusText[p.status]}</span>
  ${p.status === "published" ? html`since ${at} · <a href="${postPath(p)}" class="live-link">View the live post</a> · <a href="/admin/posts/${p.id}/email">Email to subscribers</a> · <a href="/admin/posts/${p.id}/webmentions">Webmentions</a>` : ""}
  ${p.status === "scheduled" ? html`for ${at} (${d.timeZone})` : ""}
  · Last saved ${when(p.updated_at, d.timeZone)} · <a href="/admin/posts/${p.id}/revisions">Revisions</a>
</p>`;
}

/** The offer to restore a newer server autosave (or the note that it was restored). */
function autosaveBanner(c: Context<AppEnv>, d: EditorData) {
  const a = d.autosave;
  if (!a || !d.post) return "";
  const at = when(a.saved_at, d.timeZone);
  if (d.restored) {
    return html`<p class="notice" role="status">Showing the text autosaved ${at}. Save to keep it.</p>`;
  }
  return html`<div class="notice autosave-offer" role="status">
  <p>There is an autosaved version from ${at}, newer than the last save.</p>
  <p><a href="/admin/posts/${d.post.id}?autosave=restore">Restore it into the editor</a></p>
  <form method="post" action="/admin/posts/${d.post.id}/autosave/discard">${csrfField(c)}<button type="submit">Discard the autosave</button></form>
</div>`;
}

function coverPreview(d: EditorData) {
  const chosen = d.images.find((m) => String(m.id) === d.values.coverMediaId);
  const v = chosen ? pickVariant(chosen, 320) : undefined;
  return v ? html`<img class="thumb" src="${mediaUrl(v.file)}" alt="Current cover: ${chosen?.original_name}">` : "";
}

function buttons(d: EditorData) {
  const s = d.post?.status ?? "draft";
  const saveLabel = s === "published" ? "Update" : s === "scheduled" ? "Save (stays scheduled)" : "Save draft";
  return html`<div class="actions">
  <button type="submit" name="action" value="save" class="primary">${saveLabel}</button>
  <button type="submit" name="action" value="preview" formnovalidate>Preview</button>
  ${s !== "published" ? html`<button type="submit" name="action" value="publish">${s === "scheduled" ? "Publish now" : "Publish"}</button>` : ""}
  ${s !== "draft" ? html`<button type="submit" name="action" value="unpublish">Unpublish (back to draft)</button>` : ""}
  ${d.post ? html`<a class="danger-link" href="/admin/posts/${d.post.id}/delete">Delete…</a>` : ""}
</div>`;
}

/** The editor page. */
export function editorPage(c: Context<AppEnv>, d: EditorData) {
  const v = d.values;
  const e = d.errors ?? {};
  const action = d.post ? `/admin/posts/${d.post.id}` : "/admin/posts/new";
  const title = d.post ? `Edit “${d.post.title}”` : "New post";
  const tzNow = zoneLabel(d.timeZone, new Date());
  return page(
    c,
    {
      title,
      section: "posts",
      notice: d.notice,
      error:
        d.error ?? (Object.keys(e).length ? "The post was not saved. Please correct the fields marked below." : ""),
      scripts: ["editor.js", "editor-autosave.js", "editor-images.js"],
      styles: ["content-admin.css"],
      status: d.status,
    },
    html`<h1>${title}</h1>
${statusLine(d)}
${autosaveBanner(c, d)}
<form method="post" action="${action}" enctype="multipart/form-data" class="editor" novalidate
  data-warn-unsaved="${d.errors || d.previewHtml !== undefined || d.restored ? "changed" : ""}"
  data-draft-key="${d.post ? `post-${d.post.id}` : "new"}" data-updated-at="${d.post?.updated_at ?? ""}"
  ${d.post ? html`data-autosave-url="/admin/posts/${d.post.id}/autosave" data-autosave-ms="30000"` : ""}>
${csrfField(c)}
<!-- Enter in a field submits with the form's first button: make that Save, not Schedule. -->
<button type="submit" name="action" value="save" class="visually-hidden" tabindex="-1" aria-hidden="true">Save</button>
<div class="editor-grid">
<div class="editor-main">
  ${input({ name: "title", label: "Title", value: v.title, required: true, errors: e })}
  ${select({ name: "kind", label: "Kind", value: v.kind, options: kindOptions, errors: e })}
  ${d.parts.map((p, i) => p.fieldset(v.parts[i], e, v.kind, d.timeZone))}
  ${input({
    name: "slug",
    label: "Slug",
    value: v.slug,
    hint: "The last part of the address, e.g. my-first-post. Leave empty to make one from the title.",
    errors: e,
  })}
  ${textarea({ name: "summary", label: "Summary", value: v.summary, rows: 3, errors: e })}
  ${textarea({
    name: "body",
    label: "Body (Markdown)",
    value: v.body,
    rows: 24,
    hint: v.kind === "presentation" ? "Marp slides: separate slides with a line containing only ---." : "",
    errors: e,
    extraClass: "body-field",
  })}
  <p class="hint js-show" hidden id="body-drop-hint">Paste or drop an image into the body to upload it.</p>
  <div id="upload-progress" class="upload-progress" aria-live="polite"></div>
  <p class="hint" id="autosave-status" aria-live="polite"></p>
</div>
<aside class="editor-side">
  <section class="preview-panel" aria-labelledby="preview-h">
    <h2 id="preview-h">Preview</h2>
    <div id="preview-body" class="preview" aria-live="polite">${
      d.previewHtml !== undefined
        ? raw(d.previewHtml)
        : html`<p class="hint js-hide">Press “Preview” to see the rendered post here.</p>`
    }</div>
  </section>
  ${checkboxes({
    name: "themeIds",
    label: "Themes",
    values: v.themeIds,
    options: d.themes.map((t) => ({ value: t.id, label: t.name })),
    hint: "At least one is needed to publish (pages excepted).",
    errors: e,
  })}
  <fieldset class="field">
    <legend>Cover image</legend>
    ${coverPreview(d)}
    ${select({
      name: "coverMediaId",
      label: "Choose an uploaded image",
      value: v.coverMediaId,
      options: [
        { value: "", label: "No cover" },
        ...d.images.map((m) => ({ value: m.id, label: `${m.original_name} (#${m.id})` })),
      ],
      errors: e,
    })}
    ${input({
      name: "coverFile",
      label: "…or upload a new one",
      type: "file",
      hint: "JPEG, PNG, WebP, GIF or AVIF.",
      errors: e,
      extra: html` accept="image/jpeg,image/png,image/webp,image/gif,image/avif"`,
    })}
    ${input({
      name: "coverAlt",
      label: "Cover alt text",
      value: v.coverAlt,
      hint: "What the image shows, for people who can't see it. Empty: the image's own alt text from Media.",
      errors: e,
    })}
  </fieldset>
  <fieldset class="field">
    <legend>PDF of the slides (presentations)</legend>
    ${select({
      name: "pdfMediaId",
      label: "Choose an uploaded PDF",
      value: v.pdfMediaId,
      options: [
        { value: "", label: "No PDF" },
        ...d.pdfs.map((m) => ({ value: m.id, label: `${m.original_name} (#${m.id})` })),
      ],
      errors: e,
    })}
    ${input({ name: "pdfFile", label: "…or upload a PDF", type: "file", errors: e, extra: html` accept="application/pdf"` })}
  </fieldset>
  <fieldset class="field schedule">
    <legend>Schedule</legend>
    ${input({
      name: "publishAt",
      label: "Publish at",
      type: "datetime-local",
      value: v.publishAt,
      hint: `Time zone: ${tzNow}. Change it in Settings.`,
      errors: e,
    })}
    <button type="submit" name="action" value="schedule">${d.post?.status === "scheduled" ? "Reschedule" : "Schedule"}</button>
  </fieldset>
</aside>
</div>
${buttons(d)}
</form>`,
  );
}

/** Delete confirmation. */
export function deleteConfirmPage(c: Context<AppEnv>, post: PostRow) {
  return page(
    c,
    { title: "Delete post", section: "posts" },
    html`<h1>Delete “${post.title}”?</h1>
<p>This removes the post and all its revisions. ${post.status === "published" ? "Its address will stop working." : ""} This cannot be undone.</p>
<form method="post" action="/admin/posts/${post.id}/delete" class="actions">
  ${csrfField(c)}
  <button type="submit" class="danger">Delete for good</button>
  <a href="/admin/posts/${post.id}">Cancel</a>
</form>`,
  );
}
