/** Public pages of the audience: the subscribe form, "check your inbox", confirmed, unsubscribe. */
import { h } from "../site/views/html.ts";
import { type Chrome, layout } from "../site/views/layout.ts";
import type { ListRow } from "./store.ts";

export interface SubscribeForm {
  lists: ListRow[];
  token: string;
  email?: string;
  name?: string;
  checked?: string[];
  error?: string;
}

/** The subscribe form: each public list with its promise, as it will be kept with the consent. */
export function subscribeForm(f: SubscribeForm) {
  const checked = f.checked ?? (f.lists.length === 1 ? [f.lists[0].slug] : []);
  return h`<form method="post" action="/subscribe" class="subscribe-form">
<input type="hidden" name="t" value="${f.token}">
${f.error ? h`<p class="form-error" role="alert" id="subscribe-error">${f.error}</p>` : ""}
<fieldset><legend>Lists</legend>
${f.lists.map(
  (l) =>
    h`<p><label><input type="checkbox" name="lists" value="${l.slug}"${checked.includes(l.slug) ? h` checked` : ""}> <strong>${l.name}</strong></label>${
      l.promise ? h`<br><span class="promise">${l.promise}</span>` : ""
    }</p>`,
)}
</fieldset>
<p><label for="sub-email">Email address</label>
<input id="sub-email" type="email" name="email" required autocomplete="email" value="${f.email ?? ""}"${f.error ? h` aria-describedby="subscribe-error"` : ""}></p>
<p><label for="sub-name">Name (optional)</label>
<input id="sub-name" type="text" name="name" autocomplete="name" maxlength="200" value="${f.name ?? ""}"></p>
<p class="visually-hidden" aria-hidden="true"><label for="sub-website">Leave this empty</label>
<input id="sub-website" type="text" name="website" tabindex="-1" autocomplete="off"></p>
<p><button type="submit">Subscribe</button></p>
<p class="hint">We will email you a link to confirm. Nothing else is sent until you do.</p>
</form>`;
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
