/** The editor's action forms: send a test to me, send to lists, hold or release, and the exports. */
import type { Context } from "hono";
import { html } from "hono/html";
import type { AppEnv } from "../../lib/http/env.ts";
import { csrfField, type Html } from "../../lib/ui/layout.ts";
import type { EditorData } from "./admin-editor.ts";

/** The forms below the editor. */
export function digestActions(c: Context<AppEnv>, d: EditorData): Html {
  const { digest } = d.loaded;
  const chosen = new Set(d.defaultLists);
  return html`<h2 id="send">Send</h2>
<form method="post" action="/admin/digests/${digest.id}/test" class="inline">${csrfField(c)}<button type="submit" class="button">Send a test to me</button></form>
<form method="post" action="/admin/digests/${digest.id}/send" class="stack">
  ${csrfField(c)}
  <fieldset class="field checks"><legend>Send to these lists</legend>
  ${
    d.lists.length
      ? d.lists.map(
          (l, i) =>
            html`<div class="check"><input type="checkbox" id="send-list-${i}" name="lists" value="${l.slug}"${
              chosen.has(l.slug) ? html` checked` : ""
            }><label for="send-list-${i}">${l.name}${l.isPublic ? "" : " (private: the digest stays private)"}</label></div>`,
        )
      : html`<p class="hint">No lists yet: create one under Subscribers.</p>`
  }
  </fieldset>
  <div class="actions"><button type="submit" class="primary">Send the digest</button></div>
</form>
${
  digest.send_at
    ? html`<form method="post" action="/admin/digests/${digest.id}/hold" class="inline">${csrfField(c)}
  <input type="hidden" name="held" value="${digest.held ? "0" : "1"}">
  <button type="submit" class="button">${digest.held ? "Release: let it go out by itself" : "Hold: don't send it by itself"}</button></form>`
    : ""
}
${exportLinks(digest.id)}`;
}

/** Download links for the exports. */
export function exportLinks(id: number): Html {
  return html`<h2 id="export">Export</h2>
<p><a href="/admin/digests/${id}/export.md" download>Markdown</a> · <a href="/admin/digests/${id}/export.html" download>HTML</a> (to paste elsewhere, without tracking)</p>`;
}
