/**
 * The Discover page: sites the followed sources cite most and the user does not follow yet,
 * each with its citing items (in a <details>, so no script is needed) and a Follow button.
 */
import type { Context } from "hono";
import { html } from "hono/html";
import type { AppEnv } from "../../../lib/http/env.ts";
import { csrfField, type Html, page, when } from "../../../lib/ui/layout.ts";
import type { DiscoverItem, DiscoverSite } from "../service.ts";
import { siteActions } from "./preview.ts";

export interface DiscoverView {
  days: number;
  sites: DiscoverSite[];
  timeZone: string;
  notice?: string;
  /** A failed follow: the message and the site it was about. */
  failed?: { message: string; url: string };
  status?: number;
  /** Hosts the user dismissed (they can be suggested again). */
  dismissed: { host: string; dismissed_at: string }[];
}

function citedBy(n: number): string {
  return `cited by ${n} of the people you follow`;
}

function itemRow(i: DiscoverItem, tz: string): Html {
  // One sentence whatever is missing: "Ann's pick cites “Episode 2” (Ann, 1 Mar 2026)"; a "via"
  // credit "credits … as its source"; no link text: "a page on this site".
  const target = html`<a href="${i.targetUrl}" rel="noopener noreferrer">${i.label ? `“${i.label}”` : "a page on this site"}</a>`;
  return html`<li>
  <a href="/admin/reader/items/${i.itemId}">${i.title || "An untitled item"}</a>
  ${i.via ? html`credits ${target} as its source (“via”)` : html`cites ${target}`}
  <span class="hint">(${i.sourceTitle}, ${when(i.citedAt, tz)})</span>
</li>`;
}

function siteEntry(c: Context<AppEnv>, site: DiscoverSite, tz: string): Html {
  const n = site.items.length;
  return html`<li class="discover-site">
  <h2 id="site-${site.host}"><a href="${site.siteUrl}" rel="noopener noreferrer">${site.name || site.host}</a>${
    site.name ? html` <span class="hint">${site.host}</span>` : ""
  }</h2>
  <p><strong>${citedBy(site.sources)[0].toUpperCase()}${citedBy(site.sources).slice(1)}</strong>
    <span class="hint">(${site.citations} ${site.citations === 1 ? "citation" : "citations"}, latest ${when(site.lastCitedAt, tz)})</span></p>
  <div class="actions">
    <a class="button" href="/admin/discover/preview?url=${encodeURIComponent(site.siteUrl)}&amp;host=${encodeURIComponent(site.host)}">Preview the feed<span class="visually-hidden"> of ${site.name || site.host}</span></a>
    ${siteActions(c, site.siteUrl, site.host, site.name || site.host)}
  </div>
  <details>
    <summary>${n === 1 ? "The citing item" : `The ${n} latest citing items`}<span class="visually-hidden"> for ${site.host}</span></summary>
    <ul>${site.items.map((i) => itemRow(i, tz))}</ul>
  </details>
</li>`;
}

function dismissedList(c: Context<AppEnv>, list: DiscoverView["dismissed"]): Html {
  return html`<details class="dismissed">
  <summary>Dismissed sites (${list.length})</summary>
  <ul>${list.map(
    (d) => html`<li>${d.host} <form method="post" action="/admin/discover/restore" class="inline">
    ${csrfField(c)}<input type="hidden" name="host" value="${d.host}">
    <button type="submit" class="button">Suggest again<span class="visually-hidden"> ${d.host}</span></button>
  </form></li>`,
  )}</ul>
</details>`;
}

/** Render the Discover page. */
export function discoverPage(c: Context<AppEnv>, v: DiscoverView) {
  return page(
    c,
    { title: "Discover", section: "discover", notice: v.notice, status: v.status, error: v.failed?.message },
    html`<h1>Discover</h1>
<p>The sites and people the sources you follow linked to or credited most in the last ${v.days} days, and that you don't follow yet.</p>
${
  v.failed
    ? html`<p>You can still <a href="${v.failed.url}" rel="noopener noreferrer">visit the site</a> and look for a feed or newsletter there.</p>`
    : ""
}
${
  v.sites.length
    ? html`<ol class="discover">${v.sites.map((s) => siteEntry(c, s, v.timeZone))}</ol>`
    : html`<p>Nothing to discover yet. Once the sources you follow publish items that link elsewhere, the sites they cite most appear here.</p>`
}
${v.dismissed.length ? dismissedList(c, v.dismissed) : ""}`,
  );
}
