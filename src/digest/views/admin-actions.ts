/**
 * The editor's action buttons: send a test to me, send to lists (each with its confirmed
 * subscribers, and a word when a list has none), hold or release, and the exports. They belong to
 * the editor's one form, so each saves what is on the screen before it acts.
 */
import { html } from "hono/html";
import type { Html } from "../../lib/ui/layout.ts";
import type { EditorData } from "./admin-editor.ts";

/** The send section of the editor form. */
export function digestActions(d: EditorData): Html {
  const { digest } = d.loaded;
  const chosen = new Set(d.defaultLists);
  const error = d.errors?.lists;
  const empty = d.lists.filter((l) => l.confirmed === 0);
  const hintIds = [empty.length ? "send-lists-empty" : "", error ? "send-lists-error" : ""].filter(Boolean).join(" ");
  return html`<h2 id="send">Send</h2>
<div class="actions"><button type="submit" class="button" name="action" value="test">Send a test to me</button></div>
<fieldset class="field checks${error ? " has-error" : ""}" id="send-lists"${hintIds ? html` aria-describedby="${hintIds}"` : ""}><legend>Send to these lists</legend>
  ${error ? html`<p class="field-error" id="send-lists-error">${error}</p>` : ""}
  ${
    d.lists.length
      ? d.lists.map(
          (l, i) =>
            html`<div class="check"><input type="checkbox" id="send-list-${i}" name="lists" value="${l.slug}"${
              chosen.has(l.slug) ? html` checked` : ""
            }><label for="send-list-${i}">${l.name} (${l.confirmed} confirmed${
              l.isPublic ? "" : "; private: the digest stays private"
            })</label></div>`,
        )
      : html`<p class="hint">No lists yet: <a href="/admin/lists">create one under Lists</a>.</p>`
  }
  ${
    empty.length
      ? html`<p class="hint warning" id="send-lists-empty">${empty.map((l) => `“${l.name}”`).join(", ")} ${
          empty.length === 1 ? "has" : "have"
        } no confirmed subscribers yet: nobody on ${empty.length === 1 ? "it" : "them"} would get the digest.</p>`
      : ""
  }
</fieldset>
<div class="actions"><button type="submit" class="primary" name="action" value="send">Send the digest</button></div>
<p class="hint">You are asked once more, with the number of recipients, before it goes out.</p>
${
  digest.send_at
    ? html`<div class="actions"><button type="submit" class="button" name="action" value="${digest.held ? "release" : "hold"}">${
        digest.held ? "Release: let it go out by itself" : "Hold: don't send it by itself"
      }</button></div>`
    : ""
}
<h2 id="export">Export</h2>
<div class="actions"><button type="submit" class="button" name="action" value="export:md">Markdown</button>
<button type="submit" class="button" name="action" value="export:html">HTML</button></div>
<p class="hint">To paste elsewhere, without tracking. What is on the screen is saved first.</p>`;
}

/** Download links for the exports (the read-only page of a sent digest). */
export function exportLinks(id: number): Html {
  return html`<h2 id="export">Export</h2>
<p><a href="/admin/digests/${id}/export.md" download>Markdown</a> · <a href="/admin/digests/${id}/export.html" download>HTML</a> (to paste elsewhere, without tracking)</p>`;
}
