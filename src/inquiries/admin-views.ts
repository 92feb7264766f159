/** The admin's Inquiries page: each inquiry with where it came from, and the page's intro text. */
import type { Context } from "hono";
import { html } from "hono/html";
import type { AppEnv } from "../lib/http/env.ts";
import { csrfField, type Html, page, when } from "../lib/ui/layout.ts";
import type { InquiryRow } from "./store.ts";

export interface InquiriesPageData {
  inquiries: InquiryRow[];
  unanswered: number;
  intro: string;
  timeZone: string;
  notice?: string;
  error?: string;
  status?: number;
}

/** The message as paragraphs with line breaks kept (escaped: it is what a visitor typed). */
function message(text: string): Html {
  return html`${text
    .split(/\n{2,}/)
    .map((p) => html`<p>${p.split("\n").map((line, i) => (i ? html`<br>${line}` : html`${line}`))}</p>`)}`;
}

function inquiry(c: Context<AppEnv>, q: InquiryRow, timeZone: string): Html {
  const answered = q.status === "answered";
  return html`<article class="inquiry" id="inquiry-${q.id}">
  <h2>${q.name}${q.topic ? html` · ${q.topic}` : ""} <span class="badge">${answered ? "answered" : "new"}</span></h2>
  <p><a href="mailto:${q.email}">${q.email}</a> · ${when(q.created_at, timeZone)}</p>
  <dl>
    <dt>Sent from</dt><dd>${q.source_page ? html`<a href="${q.source_page}">${q.source_page}</a>` : "unknown"}</dd>
    <dt>Referrer</dt><dd>${q.referrer || "none"}</dd>
  </dl>
  ${message(q.message)}
  <form method="post" action="/admin/inquiries/${q.id}/status" class="inline">
    ${csrfField(c)}
    <input type="hidden" name="status" value="${answered ? "new" : "answered"}">
    <button type="submit" class="button">${answered ? "Mark as new" : "Mark as answered"}</button>
  </form>
</article>`;
}

/** Render the page. */
export function inquiriesPage(c: Context<AppEnv>, d: InquiriesPageData) {
  const body = html`<h1>Inquiries</h1>
<p>Messages sent through <a href="/work-with-me">Work with me</a>, newest first: ${d.unanswered} not answered yet.
Each is also emailed to the owner; reply to that email to answer.</p>
${d.inquiries.length ? d.inquiries.map((q) => inquiry(c, q, d.timeZone)) : html`<p>No inquiries yet.</p>`}
<section aria-labelledby="intro-heading">
  <h2 id="intro-heading">The page's intro</h2>
  <form method="post" action="/admin/inquiries/intro" class="stack">
    ${csrfField(c)}
    <div class="field">
      <label for="f-intro">Intro text</label>
      <p class="hint" id="f-intro-hint">Shown above the form. Plain text; a blank line starts a new paragraph.</p>
      <textarea id="f-intro" name="intro" rows="4" aria-describedby="f-intro-hint">${d.intro}</textarea>
    </div>
    <p><button type="submit" class="button">Save the intro</button></p>
  </form>
</section>`;
  return page(
    c,
    { title: "Inquiries", section: "inquiries", notice: d.notice, error: d.error, status: d.status },
    body,
  );
}
