/**
 * Settings → Accounts (pure view): the connected accounts with their credentials masked, their
 * status and last error, the kinds each starts ticked for, "Check the connection" and "Remove";
 * and the forms that connect Bluesky, Mastodon and LinkedIn. A refused form comes back with what
 * was typed (never the credential) and the message at its field.
 */
import type { Context } from "hono";
import { html } from "hono/html";
import type { AppEnv } from "../../lib/http/env.ts";
import { type FieldErrors, input } from "../../lib/ui/form.ts";
import { csrfField, page, when } from "../../lib/ui/layout.ts";
import type { AccountRow } from "../store.ts";

export const KIND_LABELS: Record<string, string> = {
  article: "Articles",
  presentation: "Presentations",
  note: "Notes",
  link: "Link posts",
  event: "Events",
};
const NAMES: Record<string, string> = { bluesky: "Bluesky", mastodon: "Mastodon", linkedin: "LinkedIn" };

export interface AccountsView {
  accounts: AccountRow[];
  tz: string;
  typed?: Record<string, string>;
  errors?: FieldErrors;
  /** Which form the errors are for. */
  form?: string;
  notice?: string;
  error?: string;
  status?: number;
}

const kindsOf = (a: AccountRow): string[] => {
  try {
    return JSON.parse(a.default_kinds) as string[];
  } catch {
    return [];
  }
};

function accountItem(c: Context<AppEnv>, a: AccountRow, tz: string) {
  const kinds = kindsOf(a);
  return html`<li class="account">
  <h3>${NAMES[a.platform] ?? a.platform}: ${a.handle}</h3>
  <p>${a.service_url} · credential ${a.secret_hint} · ${
    a.status === "ok"
      ? "working"
      : html`<strong class="error-text">not working: ${a.last_error ?? "unknown error"}</strong>`
  }${a.checked_at ? html` (checked <time datetime="${a.checked_at}">${when(a.checked_at, tz)}</time>)` : ""}</p>
  <form method="post" action="/admin/accounts/${a.id}/kinds">
    ${csrfField(c)}
    <fieldset><legend>Ticked in the editor for</legend>
    ${Object.entries(KIND_LABELS).map(
      ([k, label]) =>
        html`<label><input type="checkbox" name="kinds" value="${k}"${kinds.includes(k) ? html` checked` : ""}> ${label}</label> `,
    )}
    </fieldset>
    <button type="submit">Save</button>
  </form>
  <form method="post" action="/admin/accounts/${a.id}/check" class="inline">${csrfField(c)}<button type="submit">Check the connection</button></form>
  <form method="post" action="/admin/accounts/${a.id}/remove" class="inline">${csrfField(c)}<button type="submit" class="danger">Remove</button></form>
</li>`;
}

function connectForm(c: Context<AppEnv>, v: AccountsView, platform: string, fields: ReturnType<typeof html>[]) {
  return html`<form method="post" action="/admin/accounts/${platform}" class="connect">
  ${csrfField(c)}
  <h3>${NAMES[platform]}</h3>
  ${v.form === platform && v.errors?.form ? html`<p class="field-error">${v.errors.form}</p>` : ""}
  ${fields}
  <button type="submit">Connect ${NAMES[platform]}</button>
</form>`;
}

/** The page. */
export function accountsPage(c: Context<AppEnv>, v: AccountsView) {
  const t = (k: string) => v.typed?.[k] ?? "";
  const errs = (platform: string) => (v.form === platform ? v.errors : undefined);
  return page(
    c,
    { title: "Accounts", section: "accounts", notice: v.notice, error: v.error, status: v.status },
    html`<h1>Accounts</h1>
<p>Accounts elsewhere that your posts can also go to, from the post editor or <code>liner syndicate</code>. Credentials are stored sealed with the site's secret and never shown again.</p>
${v.accounts.length ? html`<ul class="accounts">${v.accounts.map((a) => accountItem(c, a, v.tz))}</ul>` : html`<p>No accounts are connected yet.</p>`}
<h2>Connect an account</h2>
${connectForm(c, v, "bluesky", [
  input({
    name: "handle",
    label: "Handle",
    hint: "alice.bsky.social",
    value: t("handle"),
    errors: errs("bluesky"),
    required: true,
  }),
  input({
    name: "password",
    label: "App password",
    hint: "Bluesky: Settings → Privacy and security → App passwords. Not your main password.",
    type: "password",
    autocomplete: "off",
    errors: errs("bluesky"),
    required: true,
  }),
  input({
    name: "pds",
    label: "Server (PDS)",
    hint: "Empty for bsky.social; your own atproto server's address otherwise.",
    value: t("pds"),
    errors: errs("bluesky"),
  }),
])}
${connectForm(c, v, "mastodon", [
  input({
    id: "mastodon-instance",
    name: "instance",
    label: "Instance",
    hint: "https://mastodon.social",
    value: t("instance"),
    errors: errs("mastodon"),
    required: true,
  }),
  input({
    id: "mastodon-token",
    name: "token",
    label: "Access token",
    hint: "Preferences → Development → New application (scopes read and write), then its access token.",
    type: "password",
    autocomplete: "off",
    errors: errs("mastodon"),
    required: true,
  }),
])}
${connectForm(c, v, "linkedin", [
  input({
    id: "linkedin-token",
    name: "token",
    label: "Access token",
    hint: "A member token with the w_member_social and openid scopes.",
    type: "password",
    autocomplete: "off",
    errors: errs("linkedin"),
    required: true,
  }),
])}`,
  );
}
