/** A sent digest, read-only: where it went, its page, the send's progress, clicks per entry. */
import type { Context } from "hono";
import { html } from "hono/html";
import type { AppEnv } from "../../lib/http/env.ts";
import { page, when } from "../../lib/ui/layout.ts";
import type { LoadedDigest } from "../service.ts";
import { exportLinks } from "./admin-actions.ts";

/** What the read-only page shows. */
export interface SentData {
  loaded: LoadedDigest;
  lists: string[];
  webUrl: string;
  timeZone: string;
  notice?: string;
  /** A problem with what was asked (a change or send of a sent digest), shown at the top. */
  error?: string;
  status?: number;
}

/** Render the read-only view. */
export function digestSentPage(c: Context<AppEnv>, d: SentData) {
  const { digest, view } = d.loaded;
  const total = view.sections.reduce((n, s) => n + s.entries.reduce((m, e) => m + e.clicks, 0), 0);
  const body = html`<h1>Digest “${digest.title}”</h1>
<p><a href="/admin/digests">All digests</a> · <span class="badge">sent</span> on ${when(digest.sent_at, d.timeZone)} to ${
    d.lists.length ? d.lists.join(", ") : "—"
  }${digest.is_private ? " (private)" : ""}.</p>
<p><a href="${d.webUrl}">Its page</a>${
    digest.send_id ? html` · <a href="/admin/mail#sends">Progress of send #${digest.send_id}</a>` : ""
  } · ${total} ${total === 1 ? "click" : "clicks"} in all.</p>
<p class="hint">A sent digest is a record of what went out; it can no longer be edited.</p>
${view.sections
  .filter((s) => s.entries.length)
  .map(
    (s) => html`<section aria-labelledby="s-${s.id}"><h2 id="s-${s.id}">${s.title}</h2>
<table class="list"><thead><tr><th scope="col">Entry</th><th scope="col">Clicks</th></tr></thead>
<tbody>${s.entries.map((e) => html`<tr><td><a href="${e.url}">${e.title}</a></td><td>${e.clicks}</td></tr>`)}</tbody></table></section>`,
  )}
${exportLinks(digest.id)}`;
  return page(
    c,
    { title: `Digest “${digest.title}”`, section: "digests", notice: d.notice, error: d.error, status: d.status },
    body,
  );
}
