/** The pages of a sent copy (pure views): update it with a text, or delete it, each asked first. */
import type { Context } from "hono";
import { html } from "hono/html";
import type { AppEnv } from "../../lib/http/env.ts";
import { csrfField, page } from "../../lib/ui/layout.ts";
import { PLATFORM_NAMES } from "../kinds.ts";
import type { AccountRow, CopyRow } from "../store.ts";

interface CopyPage {
  copy: CopyRow;
  account: AccountRow;
  post: { title: string; id: number };
  /** The platform's refusal, when the last try failed. */
  error?: string;
}

const where = (a: AccountRow) => `${PLATFORM_NAMES[a.platform] ?? a.platform} (${a.handle})`;
const back = (v: CopyPage) => `/admin/posts/${v.post.id}`;

/** "Update the copy": the text that goes, the post as it is now unless the owner changes it. */
export function updatePage(c: Context<AppEnv>, v: CopyPage & { text: string }) {
  return page(
    c,
    {
      title: "Update the copy",
      section: "posts",
      error: v.error ? `Not changed: ${v.error}` : undefined,
      status: v.error ? 502 : 200,
    },
    html`<h1>Update the copy on ${where(v.account)}</h1>
<p>Of “${v.post.title || "(untitled)"}”, at <a href="${v.copy.url ?? "#"}">${v.copy.url}</a>. Now there:</p>
<blockquote class="copy-text">${v.copy.text}</blockquote>
<form method="post" action="/admin/syndication/copies/${v.copy.id}/update">
  ${csrfField(c)}
  <div class="field">
    <label for="copy-text">The new text</label>
    <p class="hint" id="copy-text-hint">Made from the post as it is now; change it as you like. It replaces the text there (replies stay).</p>
    <textarea id="copy-text" name="text" rows="8" aria-describedby="copy-text-hint">${v.text}</textarea>
  </div>
  <button type="submit" class="primary">Update it on ${PLATFORM_NAMES[v.account.platform] ?? v.account.platform}</button>
  <a href="${back(v)}">Back to the post</a>
</form>`,
  );
}

/** "Delete the copy": what goes, and that it cannot be undone. */
export function deletePage(c: Context<AppEnv>, v: CopyPage) {
  return page(
    c,
    {
      title: "Delete the copy",
      section: "posts",
      error: v.error ? `Not deleted: ${v.error}` : undefined,
      status: v.error ? 502 : 200,
    },
    html`<h1>Delete the copy on ${where(v.account)}?</h1>
<p>The copy of “${v.post.title || "(untitled)"}” at <a href="${v.copy.url ?? "#"}">${v.copy.url}</a> is deleted there, with its replies, likes and reposts on that platform; those already brought home stay here. It cannot be undone. The post itself stays as it is.</p>
<form method="post" action="/admin/syndication/copies/${v.copy.id}/delete">
  ${csrfField(c)}
  <button type="submit" class="danger">Delete it on ${PLATFORM_NAMES[v.account.platform] ?? v.account.platform}</button>
  <a href="${back(v)}">Keep it</a>
</form>`,
  );
}
