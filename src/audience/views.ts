/** Public pages of the audience: the subscribe form, "check your inbox", confirmed, unsubscribe. */
import { h } from "../lib/html.ts";
import { type Chrome, layout } from "../site/index.ts";
import type { Preferences } from "./preferences.ts";
import type { ListRow } from "./store.ts";

export interface SubscribeForm {
  lists: ListRow[];
  token: string;
  email?: string;
  name?: string;
  checked?: string[];
  error?: string;
  /** The page the visitor first sent the form from, kept through a second press. */
  source?: string;
  /** A note shown above the form (not an error). */
  notice?: string;
  /** At the end of a post: a heading, and the token fetched by form-token.js (pages are cached). */
  embedded?: boolean;
}

/** The subscribe form: each public list with its promise, as it will be kept with the consent. */
export function subscribeForm(f: SubscribeForm) {
  const checked = f.checked ?? (f.lists.length === 1 ? [f.lists[0].slug] : []);
  const id = f.embedded ? "post-sub" : "sub";
  return h`<form method="post" action="/subscribe" class="subscribe-form"${f.embedded ? h` data-subscribe data-token-url="/subscribe/token"` : ""}>
${f.embedded ? h`<h2>Get new writing by email</h2>` : ""}
<input type="hidden" name="t" value="${f.token}">
${f.source ? h`<input type="hidden" name="source" value="${f.source}">` : ""}
${f.notice ? h`<p class="form-notice" role="status">${f.notice}</p>` : ""}
${f.error ? h`<p class="form-error" role="alert" id="subscribe-error">${f.error}</p>` : ""}
${listChoice(f.lists, checked)}
<p><label for="${id}-email">Email address</label>
<input id="${id}-email" type="email" name="email" required autocomplete="email" value="${f.email ?? ""}"${f.error ? h` aria-describedby="subscribe-error"` : ""}></p>
<p><label for="${id}-name">Name (optional)</label>
<input id="${id}-name" type="text" name="name" autocomplete="name" maxlength="200" value="${f.name ?? ""}"></p>
<p class="visually-hidden" aria-hidden="true"><label for="${id}-website">Leave this empty</label>
<input id="${id}-website" type="text" name="website" tabindex="-1" autocomplete="off"></p>
<p><button type="submit">Subscribe</button></p>
<p class="hint">We will email you a link to confirm. Nothing else is sent until you do.</p>
</form>`;
}

/**
 * The lists to choose from. One list needs no choice and no "Lists" heading: it is named with
 * its promise (what the consent keeps) and sent along as a hidden field.
 */
function listChoice(lists: ListRow[], checked: string[]) {
  if (lists.length === 1) {
    const l = lists[0];
    return h`<input type="hidden" name="lists" value="${l.slug}">
<p class="list-one"><strong>${l.name}</strong>${l.promise ? h`<br><span class="promise">${l.promise}</span>` : ""}</p>`;
  }
  return h`<fieldset><legend>Lists</legend>
${lists.map(
  (l) =>
    h`<p><label><input type="checkbox" name="lists" value="${l.slug}"${checked.includes(l.slug) ? h` checked` : ""}> <strong>${l.name}</strong></label>${
      l.promise ? h`<br><span class="promise">${l.promise}</span>` : ""
    }</p>`,
)}
</fieldset>`;
}

/** A small public page with a heading and content. */
export function audiencePage(chrome: Chrome, path: string, title: string, body: ReturnType<typeof h>): string {
  return layout(
    chrome,
    { title, path, noindex: true },
    h`<div class="wrap"><header class="page-header"><h1>${title}</h1></header>${body}</div>`,
  );
}

/** The unsubscribe page: GET only shows a button, so link scanners cannot unsubscribe anyone. */
export function unsubscribeBody(list: ListRow, email: string, token: string) {
  return h`<p>Stop sending <strong>${list.name}</strong> to ${email}?</p>
<form method="post" action="/unsubscribe/${token}"><button type="submit">Unsubscribe</button></form>`;
}

/** The preferences form: every list offered, ticked where subscribed, and "unsubscribe from all". */
export function preferencesBody(p: Preferences, token: string, notice?: string) {
  return h`${notice ? h`<p class="form-notice" role="status">${notice}</p>` : ""}
<p>Emails to <strong>${p.email}</strong>.</p>
<form method="post" action="/preferences/${token}" class="subscribe-form">
<fieldset><legend>Send me</legend>
${p.rows.map(
  (r) =>
    h`<p><label><input type="checkbox" name="lists" value="${r.list.slug}"${r.subscribed ? h` checked` : ""}> <strong>${r.list.name}</strong></label>${
      r.list.promise ? h`<br><span class="promise">${r.list.promise}</span>` : ""
    }</p>`,
)}
</fieldset>
<p><button type="submit">Save</button> <button type="submit" name="none" value="1">Unsubscribe from all</button></p>
</form>`;
}
