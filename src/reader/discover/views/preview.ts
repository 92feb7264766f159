/** The feed preview page of a site on Discover, with Follow and Dismiss. */
import type { Context } from "hono";
import { html } from "hono/html";
import type { AppEnv } from "../../../lib/http/env.ts";
import { csrfField, type Html, page, when } from "../../../lib/ui/layout.ts";
import { toPlainText } from "../../text.ts";
import type { FeedPreview } from "../preview.ts";

export interface PreviewView {
  siteUrl: string;
  /** The cited host (for Dismiss), when the preview came from the ranking. */
  host: string;
  preview?: FeedPreview;
  error?: string;
  status?: number;
  timeZone: string;
}

/** Follow and Dismiss buttons for a site (shared with the ranking). */
export function siteActions(c: Context<AppEnv>, siteUrl: string, host: string, label: string): Html {
  return html`<form method="post" action="/admin/discover/follow" class="inline">
  ${csrfField(c)}
  <input type="hidden" name="url" value="${siteUrl}">
  <button type="submit" class="button primary">Follow<span class="visually-hidden"> ${label}</span></button>
</form>
${
  host
    ? html`<form method="post" action="/admin/discover/dismiss" class="inline">
  ${csrfField(c)}
  <input type="hidden" name="host" value="${host}">
  <button type="submit" class="button">Dismiss<span class="visually-hidden"> ${label}</span></button>
</form>`
    : ""
}`;
}

/** Render the preview (or why there is none). */
export function previewPage(c: Context<AppEnv>, v: PreviewView) {
  const p = v.preview;
  const name = p?.title || v.host || v.siteUrl;
  return page(
    c,
    { title: `Preview: ${name}`, section: "discover", status: v.status, error: v.error },
    html`<p class="crumbs"><a href="/admin/discover">← Discover</a></p>
<h1>${name}</h1>
<p><a href="${v.siteUrl}" rel="noopener noreferrer">${v.siteUrl}</a>${p ? html` · feed: <a href="${p.feedUrl}" rel="noopener noreferrer">${p.feedUrl}</a>` : ""}</p>
${p?.description ? html`<p>${p.description}</p>` : ""}
${
  p
    ? p.items.length
      ? html`<h2>Latest items</h2>
<ol class="feed-preview">${p.items.map(
          (i) => html`<li>
  ${i.link ? html`<a href="${i.link}" rel="noopener noreferrer">${i.title || "(untitled)"}</a>` : html`${i.title || "(untitled)"}`}
  ${i.published ? html`<span class="hint">${when(i.published, v.timeZone)}</span>` : ""}
  ${i.summary ? html`<p class="hint">${toPlainText(i.summary).slice(0, 280)}</p>` : ""}
</li>`,
        )}</ol>`
      : html`<p>The feed has no items yet.</p>`
    : html`<p>You can still <a href="${v.siteUrl}" rel="noopener noreferrer">visit the site</a> and look for a feed or newsletter there.</p>`
}
<div class="actions">${siteActions(c, v.siteUrl, v.host, name)}</div>`,
  );
}
