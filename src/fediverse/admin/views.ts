/**
 * /admin/fediverse (pure view): the account's address, its settings, follow requests, followers
 * (whom they came through, the count month by month), blocks and the move to another account.
 * A refused form comes back with what was typed and the message at its field.
 */
import type { Context } from "hono";
import { html } from "hono/html";
import type { AppEnv } from "../../lib/http/env.ts";
import { type FieldErrors, input, textarea } from "../../lib/ui/form.ts";
import { csrfField, type Html, page, when } from "../../lib/ui/layout.ts";
import type { FollowerRow } from "../relations-store.ts";
import type { AccountSettings } from "../store.ts";

/** What was typed in the page's forms (after a refused one). */
export interface Typed {
  handle?: string;
  approveFollowers?: boolean;
  alsoKnownAs?: string;
  value?: string;
  target?: string;
}

export interface FediPageData {
  address: string;
  settings: AccountSettings;
  typed?: Typed;
  errors?: FieldErrors;
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
    html`<form method="post" action="/admin/fediverse/followers/${f.id}/${decision}" class="inline">${csrfField(c)}<button type="submit" class="button${decision === "approve" ? "" : " secondary"}" aria-label="${label} ${f.handle}">${label}</button></form>`;
  return html`<li>${who(f)} · since ${when(f.created_at, d.timeZone)}${via ? html` · came through <a href="${via.path}">${via.title}</a>` : ""}
  ${pending ? html`${act("approve", "Approve")} ${act("reject", "Refuse")}` : act("remove", "Remove")}</li>`;
}

function settingsForm(c: Context<AppEnv>, d: FediPageData): Html {
  const t = d.typed ?? {};
  const approve = t.approveFollowers ?? d.settings.approveFollowers;
  return html`<form method="post" action="/admin/fediverse/settings" class="stack">
  ${csrfField(c)}
  ${input({
    name: "handle",
    label: "Handle",
    value: t.handle ?? d.settings.handle,
    hint: "The name before the host in @handle@host: 1 to 30 letters, digits or underscores. Your followers stay if you change it, but the old handle stops working: people who search for it will not find you.",
    required: true,
    errors: d.errors,
    extra: html` maxlength="31"`,
  })}
  <div class="field"><label><input type="checkbox" name="approveFollowers" value="1"${approve ? html` checked` : ""}> Approve followers (follow requests wait for you)</label></div>
  ${textarea({
    name: "alsoKnownAs",
    label: "Also known as",
    value: t.alsoKnownAs ?? d.settings.alsoKnownAs.join("\n"),
    hint: "Your other accounts, one per line (@user@host). To move a Mastodon account here, add it, save, then start the move on Mastodon.",
    rows: 2,
    errors: d.errors,
  })}
  <p><button type="submit" class="button">Save</button></p>
</form>`;
}

/** The page. */
export function fediversePage(c: Context<AppEnv>, d: FediPageData) {
  const t = d.typed ?? {};
  const body = html`<h1>Fediverse</h1>
<p>Your site is the fediverse account <strong>${d.address}</strong>: anyone on Mastodon, Misskey, Pleroma or GoToSocial can search for it, follow it and reply to your posts (or paste a post's address into their search). Replies, likes and boosts arrive in <a href="/admin/conversations?via=activitypub">Conversations</a>.</p>
${d.settings.movedTo ? html`<p class="notice">This account has moved to <a href="${d.settings.movedTo}">${d.settings.movedTo}</a>.</p>` : ""}
<h2>Settings</h2>
${settingsForm(c, d)}
<h2>Follow requests (${d.pending.length})</h2>
${
  d.pending.length
    ? html`<ul class="plain">${d.pending.map((f) => followerRow(c, d, f, true))}</ul>`
    : html`<p>${d.settings.approveFollowers ? "No requests are waiting." : "Follows are accepted at once (see Settings)."}</p>`
}
<h2>Followers (${d.total})</h2>
${
  d.months.length
    ? html`<table><caption>Followers month by month</caption><thead><tr><th scope="col">Month</th><th scope="col">Joined</th><th scope="col">Left</th><th scope="col">At the end</th></tr></thead>
<tbody>${d.months.map((m) => html`<tr><td>${m.month}</td><td>${m.joined}</td><td>${m.left}</td><td>${m.total}</td></tr>`)}</tbody></table>`
    : html`<p>No followers yet. Share ${d.address} where your readers are.</p>`
}
<ul class="plain">${d.followers.map((f) => followerRow(c, d, f, false))}</ul>
<h2>Blocks</h2>
<p>Blocked accounts and servers cannot follow you or reply; blocking removes them from your followers. (Comments and Webmentions have their own blocklist in Conversations → Settings.)</p>
<form method="post" action="/admin/fediverse/blocks" class="stack">
  ${csrfField(c)}
  ${input({ name: "value", label: "Account (@user@host) or server (example.social)", value: t.value ?? "", required: true, errors: d.errors })}
  <p><button type="submit" class="button">Block</button></p>
</form>
<ul class="plain">${d.blocks.map(
    (b) =>
      html`<li>${b.kind === "domain" ? "Server" : "Account"} ${b.value} <form method="post" action="/admin/fediverse/blocks/${b.id}/delete" class="inline">${csrfField(c)}<button type="submit" class="button secondary" aria-label="Unblock ${b.value}">Unblock</button></form></li>`,
  )}</ul>
<h2>Move to another account</h2>
<p>Moving tells your followers' servers to follow the new account instead, and this account then points there. First add ${d.address} to the new account's aliases ("also known as"). A move cannot be undone from here.</p>
<form method="post" action="/admin/fediverse/move" class="stack">
  ${csrfField(c)}
  ${input({ name: "target", label: "New account (@user@host)", value: t.target ?? "", required: true, errors: d.errors })}
  <div class="field"><label><input type="checkbox" name="confirm" value="1" required> I want my followers to move to that account</label></div>
  <p><button type="submit" class="button secondary">Move</button></p>
</form>`;
  const title = d.error ? "Fediverse (not saved)" : "Fediverse";
  return page(c, { title, section: "fediverse", notice: d.notice, error: d.error, status: d.status }, body);
}
