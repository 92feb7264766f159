/** The admin's Email page: where mail goes, the outbox at a glance, recent sends with progress. */
import type { Context } from "hono";
import { html } from "hono/html";
import type { AppEnv } from "../../lib/http/env.ts";
import { formatDuration } from "../../lib/progress.ts";
import { csrfField, page } from "../../lib/ui/layout.ts";
import type { SendStatusReport } from "../service.ts";

export interface MailPageData {
  /** smtp://host:port without credentials, or null when SMTP_URL is not set. */
  server: string | null;
  from: string;
  queued: number;
  failed: number;
  lastError: { to: string; response: string; at: string } | null;
  sends: SendStatusReport[];
  notice?: string;
  error?: string;
  status?: number;
}

function progress(r: SendStatusReport) {
  const p = r.progress;
  const done = p.sent + p.failed + p.suppressed;
  return html`<tr>
  <td>#${r.send.id}</td><td>${r.send.kind}</td><td>${r.send.subject}</td><td>${r.send.status}</td>
  <td><progress max="${p.total || 1}" value="${done}">${done} of ${p.total}</progress> ${p.sent}/${p.total} sent${
    p.failed ? `, ${p.failed} failed` : ""
  }${p.suppressed ? `, ${p.suppressed} suppressed` : ""}</td>
  <td>${r.rate ? `${r.rate.toFixed(1)}/s` : "–"}</td>
  <td>${r.etaSeconds ? formatDuration(r.etaSeconds) : "–"}</td>
</tr>`;
}

/** Render the page. */
export function mailPage(c: Context<AppEnv>, d: MailPageData) {
  const body = html`<h1>Email</h1>
<section aria-labelledby="server">
  <h2 id="server">Delivery</h2>
  ${
    d.server
      ? html`<p>Mail goes through <code>${d.server}</code> from <code>${d.from}</code>.</p>
  <form method="post" action="/admin/mail/check" class="inline">${csrfField(c)}<button type="submit" class="button">Check the connection</button></form>
  <form method="post" action="/admin/mail/test" class="inline">${csrfField(c)}<button type="submit" class="button">Send a test to me</button></form>`
      : html`<p class="error-summary">Email is not set up: set <code>SMTP_URL</code> (for example
  <code>smtp://user:password@smtp.example.com:587</code>) and restart. Until then mail waits in the outbox.</p>`
  }
  <p>Outbox: ${d.queued} waiting, ${d.failed} failed.</p>
  ${
    d.lastError
      ? html`<p class="error-summary">Last problem (${d.lastError.at}): to ${d.lastError.to}: ${d.lastError.response}</p>`
      : ""
  }
</section>
<section aria-labelledby="sends">
  <h2 id="sends">Recent sends</h2>
  ${
    d.sends.length
      ? html`<table class="list"><thead><tr><th scope="col">Send</th><th scope="col">Kind</th><th scope="col">Subject</th><th scope="col">Status</th><th scope="col">Progress</th><th scope="col">Rate</th><th scope="col">ETA</th></tr></thead>
  <tbody>${d.sends.map(progress)}</tbody></table>`
      : html`<p>No sends yet.</p>`
  }
</section>`;
  return page(c, { title: "Email", section: "mail", notice: d.notice, error: d.error, status: d.status }, body);
}
