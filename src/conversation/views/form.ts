/**
 * The comment form (pure). It works without JavaScript (a plain POST to /comments); with it, the
 * site's in-place script posts it and shows the result where the form is. On the cached post page
 * the form has no token: form-token.js fetches one when the reader starts typing.
 */
import { type H, h } from "../../lib/html.ts";

export interface CommentFormData {
  postId: number;
  parentId?: number;
  /** A form token, when the page is not cached (a reply page, the form shown again). */
  token?: string;
  values?: Partial<Record<"name" | "url" | "email" | "text" | "notify", string>>;
  error?: { message: string; field?: string };
  notice?: string;
}

/** The form; `heading` names it ("Leave a comment", "Reply to Ana"). */
export function commentForm(f: CommentFormData, heading: string): H {
  const v = f.values ?? {};
  const err = (field: string) =>
    f.error?.field === field ? h` aria-invalid="true" aria-describedby="comment-error"` : "";
  return h`<form method="post" action="/comments" class="comment-form" id="comment-form" data-inplace="#comment-list" data-inplace-heading="#comments-heading" data-token-url="/comments/token">
<h3>${heading}</h3>
<input type="hidden" name="post_id" value="${f.postId}">
${f.parentId ? h`<input type="hidden" name="parent_id" value="${f.parentId}">` : ""}
<input type="hidden" name="t" value="${f.token ?? ""}">
<div class="form-status" role="status" aria-live="polite">${f.notice ? h`<p class="form-notice">${f.notice}</p>` : ""}</div>
${f.error ? h`<p class="form-error" role="alert" id="comment-error">${f.error.message}</p>` : ""}
<p><label for="comment-text">Your comment</label>
<textarea id="comment-text" name="text" rows="5" required maxlength="5000"${err("text")}>${v.text ?? ""}</textarea>
<span class="hint">Plain text; *emphasis*, \`code\`, &gt; quotes and links work. At most 3 links.</span></p>
<p><label for="comment-name">Name</label>
<input id="comment-name" type="text" name="name" required maxlength="80" autocomplete="name" value="${v.name ?? ""}"${err("name")}></p>
<p><label for="comment-url">Website <span class="hint">(optional)</span></label>
<input id="comment-url" type="url" name="url" maxlength="300" autocomplete="url" inputmode="url" value="${v.url ?? ""}"${err("url")}></p>
<p><label for="comment-email">Email <span class="hint">(optional, never shown)</span></label>
<input id="comment-email" type="email" name="email" maxlength="254" autocomplete="email" value="${v.email ?? ""}"${err("email")}></p>
<p><label><input type="checkbox" name="notify" value="1"${v.notify ? " checked" : ""}> Email me when someone replies</label></p>
<p class="visually-hidden" aria-hidden="true"><label for="comment-website">Leave this empty</label>
<input id="comment-website" type="text" name="website" tabindex="-1" autocomplete="off"></p>
<p><button type="submit">Send</button></p>
<p class="hint">Your address is used only to tell you of replies (if you ask) and to recognise you next time. A first comment waits for the author to read it.</p>
</form>`;
}
