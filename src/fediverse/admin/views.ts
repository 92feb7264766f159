/**
 * /admin/fediverse (pure view): the account's address, its settings, follow requests, followers
 * (whom they came through, the count month by month), blocks and the move to another account.
 */
import type { Context } from "hono";
import { html } from "hono/html";
import type { AppEnv } from "../../lib/http/env.ts";
import { csrfField, type Html, page, when } from "../../lib/ui/layout.ts";
import type { FollowerRow } from "../relations-store.ts";
import type { AccountSettings } from "../store.ts";

export interface FediPageData {
  address: string;
  actorUri: string;
  settings: AccountSettings;
  /** The values typed, after a refused save. */
  typed?: { handle: string; alsoKnownAs: string };
  pending: FollowerRow[];
  followers: FollowerRow[];
  total: number;
  /** Post titles by id (the posts followers came through). */
  posts: Map<number, { title: string; path: string }>;
  months: { month: string; joined: number; left: number; total: number }[];
  blocks: { id: number; kind: string; value: string }[];
  timeZone: string;
  notice?: string;
  error?: string;
  status?: number;
}

const who = (f: FollowerRow) =>
  html`<a href="${f.url || f.actor_uri}" rel="nofollow noopener">${f.name || f.handle}</a> <span class="hint">${f.handle}</span>`;

function followerRow(c: Context<AppEnv>, d: FediPageData, f: FollowerRow, pending: boolean): Html {
  const via = f.via_post_id ? d.posts.get(f.via_post_id) : undefined;
  const act = (decision: string, label: string) =>
    html`<form method="post" action="/admin/fediverse/followers/${f.id}/${decision}" class="inline">${csrfField(c)}<button type="submit" class="button${decision === "approve" ? "" : " secondary"}">${label}</button></form>`;
  return html`<li>${who(f)} · since ${when(f.created_at, d.timeZone)}${via ? html` · came through <a href="${via.path}">${via.title}</a>` : ""}
  ${pending ? html`${act("approve", "Approve")} ${act("reject", "Refuse")}` : act("remove", "Remove")}</li>`;
}

/** The page. */
export function fediversePage(c: Context<AppEnv>, d: FediPageData) {
  const s = d.typed ?? { handle: d.settings.handle, alsoKnownAs: d.settings.alsoKnownAs.join("\n") };
  const body = html`<h1>Fediverse</h1>
<p>Your site is the fediverse account <strong>${d.address}</strong>: anyone on Mastodon, Misskey, Pleroma or GoToSocial can search for it, follow it and reply to your posts. Replies, likes and boosts arrive in <a href="/admin/conversations?via=activitypub">Conversations</a>.</p>
${d.settings.movedTo ? html`<p class="notice">This account has moved to <a href="${d.settings.movedTo}">${d.settings.movedTo}</a>.</p>` : ""}
<h2>Settings</h2>
<form method="post" action="/admin/fediverse/settings" class="stack">
  ${csrfField(c)}
  <div class="field"><label for="f-handle">Handle</label><p class="hint" id="f-handle-hint">The name before the host: @handle@host. Changing it keeps your followers.</p>
  <input id="f-handle" name="handle" value="${s.handle}" required pattern="@?[A-Za-z0-9_]{1,30}" aria-describedby="f-handle-hint"></div>
  <div class="field"><label><input type="checkbox" name="approveFollowers" value="1"${d.settings.approveFollowers ? html` checked` : ""}> Approve followers (follow requests wait for you)</label></div>
  <div class="field"><label for="f-aka">Also known as</label><p class="hint" id="f-aka-hint">Your other accounts, one per line (@user@host). To move a Mastodon account here, add it, save, then start the move on Mastodon.</p>
  <textarea id="f-aka" name="alsoKnownAs" rows="2" aria-describedby="f-aka-hint">${s.alsoKnownAs}</textarea></div>
  <p><button type="submit" class="button">Save</button></p>
</form>
${d.pending.length ? html`<h2>Follow requests (${d.pending.length})</h2><ul class="plain">${d.pending.map((f) => followerRow(c, d, f, true))}</ul>` : ""}
<h2>Followers (${d.total})</h2>
${
  d.months.length
    ? html`<table><caption>Followers month by month</caption><thead><tr><th scope="col">Month</th><th scope="col">Joined</th><th scope="col">Left</th><th scope="col">At the end</th></tr></thead>
<tbody>${d.months.map((m) => html`<tr><td>${m.month}</td><td>${m.joined}</td><td>${m.left}</td><td>${m.total}</td></tr>`)}</tbody></table>`
    : html`<p>No followers yet. Share ${d.address} where your readers are.</p>`
}
<ul class="plain">${d.followers.map((f) => followerRow(c, d, f, false))}</ul>
<h2>Blocks</h2>
<p>Blocked accounts and servers cannot follow you or reply; blocking removes them from your followers.</p>
<form method="post" action="/admin/fediverse/blocks" class="stack">
  ${csrfField(c)}
  <div class="field"><label for="f-block">Account (@user@host) or server (example.social)</label><input id="f-block" name="value" required></div>
  <p><button type="submit" class="button">Block</button></p>
</form>
<ul class="plain">${d.blocks.map(
    (b) =>
      html`<li>${b.kind === "domain" ? "Server" : "Account"} ${b.value} <form method="post" action="/admin/fediverse/blocks/${b.id}/delete" class="inline">${csrfField(c)}<button type="submit" class="button secondary">Unblock</button></form></li>`,
  )}</ul>
<h2>Move to another account</h2>
<p>Add ${d.actorUri} to the new account's aliases ("also known as") first. Followers' servers then follow the new account.</p>
<form method="post" action="/admin/fediverse/move" class="stack">
  ${csrfField(c)}
  <div class="field"><label for="f-target">New account (@user@host)</label><input id="f-target" name="target" required></div>
  <p><button type="submit" class="button secondary">Move</button></p>
</form>`;
  return page(
    c,
    { title: "Fediverse", section: "fediverse", notice: d.notice, error: d.error, status: d.status },
    body,
  );
}
