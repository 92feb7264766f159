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
import { PLATFORM_NAMES } from "../kinds.ts";
import type { AccountRow } from "../store.ts";

export const KIND_LABELS: Record<string, string> = {
  article: "Articles",
  presentation: "Presentations",
  note: "Notes",
  link: "Link posts",
  event: "Events",
};

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
  /** LinkedIn's sign-in is set up (the owner's LinkedIn app is in the config). */
  linkedinOAuth?: boolean;
  /** Where the platforms send the owner back after signing in. */
  callbackUrl?: string;
  /** Readers see share links under posts. */
  shareLinks?: boolean;
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
  <h3>${PLATFORM_NAMES[a.platform] ?? a.platform}: ${a.handle}</h3>
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
  <a class="button danger" href="/admin/accounts/${a.id}/remove">Remove…</a>
</li>`;
}

function connectForm(
  c: Context<AppEnv>,
  v: AccountsView,
  platform: string,
  fields: ReturnType<typeof html>[],
  signIn?: ReturnType<typeof html>,
) {
  return html`<form method="post" action="/admin/accounts/${platform}" class="connect">
  ${csrfField(c)}
  <h3>${PLATFORM_NAMES[platform]}</h3>
  ${v.form === platform && v.errors?.form ? html`<p class="field-error">${v.errors.form}</p>` : ""}
  ${fields}
  <button type="submit">Connect ${PLATFORM_NAMES[platform]}</button>
  ${signIn ?? ""}
</form>`;
}

/** "Sign in with …": the same form posted to the OAuth start (no token needed). */
const signInButton = (platform: string, note: string) =>
  html`<p>Or, instead of a token: <button type="submit" formaction="/admin/accounts/${platform}/authorize" formnovalidate>Sign in with ${PLATFORM_NAMES[platform]}</button> ${note}</p>`;

/** The page. */
export function accountsPage(c: Context<AppEnv>, v: AccountsView) {
  const t = (k: string) => v.typed?.[k] ?? "";
  const errs = (platform: string) => (v.form === platform ? v.errors : undefined);
  return page(
    c,
    { title: "Accounts", section: "accounts", notice: v.notice, error: v.error, status: v.status },
    html`<h1>Accounts</h1>
<p>Accounts elsewhere that your posts can also go to, from the post editor or <code>liner syndicate</code>. Credentials are stored sealed with the site's secret and never shown again.</p>
<h2>Connected</h2>
${v.accounts.length ? html`<ul class="accounts">${v.accounts.map((a) => accountItem(c, a, v.tz))}</ul>` : html`<p>No accounts are connected yet.</p>`}
<h2>Share links for readers</h2>
<form method="post" action="/admin/accounts/share-links">
  ${csrfField(c)}
  <label><input type="checkbox" name="shareLinks" value="1"${v.shareLinks ? html` checked` : ""}> Show readers links to share each post (X, Facebook, Threads, Reddit, Hacker News, Pinterest, Tumblr, WhatsApp, email)</label>
  <p class="hint">Plain links under the post: no scripts and no buttons from those sites, so nothing is loaded from them until a reader clicks.</p>
  <button type="submit">Save</button>
</form>
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
${connectForm(
  c,
  v,
  "mastodon",
  [
    input({
      id: "mastodon-instance",
      name: "instance",
      label: "Instance",
      hint: "https://mastodon.social",
      value: t("instance"),
      errors: errs("mastodon"),
      required: true,
    }),
    html`<p class="hint">Paste a token below, or sign in there with the button at the end (this site registers itself as an app on the instance).</p>`,
    input({
      id: "mastodon-token",
      name: "token",
      label: "Access token",
      hint: "Preferences → Development → New application (scopes read and write), then its access token.",
      type: "password",
      autocomplete: "off",
      errors: errs("mastodon"),
    }),
  ],
  signInButton("mastodon", ""),
)}
${connectForm(
  c,
  v,
  "linkedin",
  [
    input({
      id: "linkedin-token",
      name: "token",
      label: "Access token",
      hint: "A member token with the w_member_social and openid scopes.",
      type: "password",
      autocomplete: "off",
      errors: errs("linkedin"),
    }),
  ],
  v.linkedinOAuth
    ? signInButton("linkedin", "")
    : html`<p class="hint">To sign in with LinkedIn instead of pasting a token, set LINER_LINKEDIN_CLIENT_ID and LINER_LINKEDIN_CLIENT_SECRET (your LinkedIn app, with “Sign In with LinkedIn using OpenID Connect” and “Share on LinkedIn”, and ${v.callbackUrl ?? "/admin/accounts/oauth/callback"} as its redirect URL).</p>`,
)}`,
  );
}

/** On the way to sign in elsewhere: the page goes there by itself, with a link for when it doesn't. */
export function leavingPage(c: Context<AppEnv>, to: string, where: string) {
  return page(
    c,
    { title: `Sign in at ${where}`, section: "accounts" },
    html`<meta http-equiv="refresh" content="0;url=${to}">
<h1>Sign in at ${where}</h1>
<p>You are going to ${where} to let this site post for you; it sends you back here.</p>
<p><a class="button primary" href="${to}">Continue to ${where}</a> <a href="/admin/accounts">Cancel</a></p>`,
  );
}

/** "Remove" asks first: what is forgotten, and what stays. */
export function removePage(c: Context<AppEnv>, a: AccountRow) {
  return page(
    c,
    { title: "Remove the account", section: "accounts" },
    html`<h1>Remove ${PLATFORM_NAMES[a.platform] ?? a.platform}: ${a.handle}?</h1>
<p>Its stored credential is forgotten, no more copies go there and its replies stop coming home. The copies already sent stay there and on your posts' "Also on" lines; connect the same account again to manage them here.</p>
<form method="post" action="/admin/accounts/${a.id}/remove">
  ${csrfField(c)}
  <button type="submit" class="danger">Remove it</button>
  <a href="/admin/accounts">Keep it</a>
</form>`,
  );
}
