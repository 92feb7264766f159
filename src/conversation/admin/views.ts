/**
 * The conversation inbox (pure views): everything people said, with filters (status, post, way,
 * source), bulk actions on the ticked items, and an inline reply under each. The settings page:
 * the site's default for comments and the blocklists.
 */
import type { Context } from "hono";
import { html } from "hono/html";
import type { ConversationStatus } from "../../lib/db/schema.ts";
import { raw } from "../../lib/html.ts";
import type { AppEnv } from "../../lib/http/env.ts";
import { csrfField, type Html, page, when } from "../../lib/ui/layout.ts";
import type { ListedItem } from "../store.ts";

export interface InboxData {
  items: ListedItem[];
  /** A sentence when email is not set up (held items and replies cannot be emailed). */
  mailNote: string;
  /** The HTTP status (400 after a refused reply). */
  status?: number;
  counts: Record<ConversationStatus, number>;
  /** Posts with items, for the filter by post. */
  posts: { id: number; title: string; n: number }[];
  filter: { status?: string; post?: string; via?: string; source?: string };
  timeZone: string;
  notice?: string;
  error?: string;
}

/** How each way reads. */
const WAYS: Record<string, string> = {
  site: "the site",
  webmention: "Webmention",
  activitypub: "the fediverse",
  bluesky: "Bluesky",
};

const TABS: [string, string][] = [
  ["pending", "Pending"],
  ["approved", "Approved"],
  ["spam", "Spam"],
];

function item(c: Context<AppEnv>, i: ListedItem, tz: string): Html {
  const from =
    i.via === "site" ? (i.parent_id ? "reply on the site" : "comment on the site") : `${i.kind} via ${WAYS[i.via]}`;
  const postPath = i.post_kind === "page" ? `/${i.post_slug}` : `/posts/${i.post_slug}`;
  return html`<li class="conversation-item status-${i.status}" id="item-${i.id}">
  <p><input type="checkbox" name="id" value="${i.id}" form="bulk" id="pick-${i.id}" aria-label="Select item ${i.id} by ${i.author_name}">
  <strong>${i.author_url ? html`<a href="${i.author_url}" rel="nofollow">${i.author_name}</a>` : i.author_name}</strong>
  ${i.owner_reply ? html`<span class="badge">you</span>` : ""}
  · ${from} on <a href="${i.status === "approved" ? `${postPath}#comment-${i.id}` : postPath}">${i.post_title}</a> · ${when(i.received_at, tz)}
  <span class="badge">${i.status}</span>${i.confirmed_at && i.status === "pending" ? html` <span class="badge">address confirmed</span>` : ""}
  ${i.source_url ? html` · <a href="${i.source_url}" rel="nofollow">source</a>` : ""}
  · <a href="/admin/conversations?post=${i.post_id}">all on this post</a>
  ${i.parent_id ? html` · answers <a href="/admin/conversations?status=all&amp;post=${i.post_id}#item-${i.parent_id}">item ${i.parent_id}</a>` : ""}</p>
  ${i.status_note ? html`<p class="hint">Why: ${i.status_note}</p>` : ""}
  ${i.html ? html`<blockquote>${raw(i.html)}</blockquote>` : i.text ? html`<blockquote>${i.text}</blockquote>` : ""}
  ${
    i.owner_reply || i.status === "spam" || i.kind === "like" || i.kind === "repost"
      ? ""
      : html`<details><summary>Reply</summary>
  <form method="post" action="/admin/conversations/${i.id}/reply" class="stack">
    ${csrfField(c)}
    <div class="field"><label for="reply-${i.id}">Your reply (published under it at once${i.status !== "approved" ? "; this approves the item" : ""})</label>
    <textarea id="reply-${i.id}" name="text" rows="3" required></textarea></div>
    <p><button type="submit" class="button">Reply</button></p>
  </form></details>`
  }
  ${
    i.remote_id && (i.via === "activitypub" || i.via === "bluesky") && i.kind === "reply" && i.status !== "spam"
      ? html`<form method="post" action="/admin/conversations/${i.id}/like" class="inline">${csrfField(c)}<button type="submit" class="button secondary" aria-label="Like ${i.author_name}'s reply on ${WAYS[i.via]}">Like on ${WAYS[i.via]}</button></form>`
      : ""
  }
</li>`;
}

/** The inbox page. */
export function inboxPage(c: Context<AppEnv>, d: InboxData) {
  const f = d.filter;
  const q = (extra: Record<string, string>) =>
    `/admin/conversations?${new URLSearchParams(Object.entries({ ...f, ...extra }).filter(([, v]) => v) as [string, string][])}`;
  const body = html`<h1>Conversations</h1>
<p>What people said about your posts: comments on the site, Webmentions from other sites, and replies, likes and boosts from the fediverse. First comments from a new person or domain wait here for you.
<a href="/admin/conversations/settings">Settings and blocklists</a></p>
${d.mailNote ? html`<p class="notice">${d.mailNote}</p>` : ""}
<nav aria-label="Filter by status" class="tabs"><ul>
${TABS.map(([s, label]) => html`<li><a href="${q({ status: s })}"${f.status === s ? html` aria-current="page"` : ""}>${label} (${d.counts[s as ConversationStatus]})</a></li>`)}
<li><a href="/admin/conversations?status=all"${f.status === "all" ? html` aria-current="page"` : ""}>All</a></li>
</ul></nav>
<form method="get" action="/admin/conversations" class="inline">
  <input type="hidden" name="status" value="${f.status ?? ""}">
  <label for="f-post">Post</label> <select id="f-post" name="post">
    <option value="">any</option>
    ${d.posts.map((p) => html`<option value="${p.id}"${f.post === String(p.id) ? html` selected` : ""}>${p.title} (${p.n})</option>`)}
  </select>
  <label for="f-source">Source or person</label> <input id="f-source" name="source" value="${f.source ?? ""}" placeholder="example.com">
  <label for="f-via">Way</label> <select id="f-via" name="via">
    ${["", "site", "webmention", "activitypub", "bluesky"].map((v) => html`<option value="${v}"${f.via === v ? html` selected` : ""}>${v ? WAYS[v] : "any"}</option>`)}
  </select>
  <button type="submit" class="button">Filter</button>
</form>
<form method="post" action="/admin/conversations/bulk" id="bulk" class="inline">
  ${csrfField(c)}
  <input type="hidden" name="back" value="${q({})}">
  <label for="f-action">With the selected items:</label>
  <select id="f-action" name="action">
    <option value="approve">Approve</option><option value="spam">Mark as spam</option><option value="delete">Delete</option>
    <option value="block-person">Block the person</option><option value="block-domain">Block their domain</option>
  </select>
  <button type="submit" class="button">Apply</button>
</form>
${d.items.length ? html`<ul class="conversation-list">${d.items.map((i) => item(c, i, d.timeZone))}</ul>` : html`<p>Nothing here.</p>`}`;
  return page(
    c,
    { title: "Conversations", section: "conversations", notice: d.notice, error: d.error, status: d.status },
    body,
  );
}

export interface SettingsData {
  comments: string;
  closeAfterDays: string;
  words: string;
  domains: string;
  addresses: string;
  notice?: string;
  error?: string;
  status?: number;
}

/** Comment settings and blocklists. */
export function settingsPage(c: Context<AppEnv>, d: SettingsData) {
  const list = (name: string, label: string, value: string, hint: string) => html`<div class="field">
    <label for="f-${name}">${label}</label><p class="hint" id="f-${name}-hint">${hint}</p>
    <textarea id="f-${name}" name="${name}" rows="4" aria-describedby="f-${name}-hint">${value}</textarea></div>`;
  const body = html`<h1>Conversation settings</h1>
<form method="post" action="/admin/conversations/settings" class="stack">
  ${csrfField(c)}
  <div class="field"><label for="f-comments">Comments on posts (each post can override this in its editor)</label>
  <select id="f-comments" name="comments">
    ${[
      ["on", "On"],
      ["closed", "Closed (existing comments stay)"],
      ["off", "Off"],
    ].map(([v, l]) => html`<option value="${v}"${d.comments === v ? html` selected` : ""}>${l}</option>`)}
  </select></div>
  <div class="field"><label for="f-close">Close comments this many days after a post is published</label>
  <p class="hint" id="f-close-hint">0: never.</p>
  <input id="f-close" name="closeAfterDays" type="number" min="0" step="1" value="${d.closeAfterDays}" aria-describedby="f-close-hint"></div>
  ${list("words", "Blocked words", d.words, "One per line. A comment or mention containing one goes to spam.")}
  ${list("domains", "Blocked domains", d.domains, "One per line (example.com also blocks its subdomains): in links, websites, email addresses and Webmention sources.")}
  ${list("addresses", "Blocked addresses", d.addresses, "One per line: email addresses or client IP addresses.")}
  <p><button type="submit" class="button">Save</button></p>
</form>`;
  return page(
    c,
    { title: "Conversation settings", section: "conversations", notice: d.notice, error: d.error, status: d.status },
    body,
  );
}
