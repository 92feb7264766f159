/** The conversation's own public pages (pure): after posting, reply, edit, confirm, unsubscribe. */
import { type H, h } from "../../lib/html.ts";
import { type Chrome, layout } from "../../site/index.ts";

/** A small page in the site's frame, never indexed. */
export function conversationPage(chrome: Chrome, title: string, path: string, body: H): string {
  return layout(
    chrome,
    { title, path, noindex: true },
    h`<div class="wrap"><header class="page-header"><h1>${title}</h1></header>${body}</div>`,
  );
}

/** What a commenter sees after sending: published or held, and their edit link. */
export function postedBody(o: {
  status: string;
  postPath: string;
  id: number;
  editToken: string;
  confirmNote: string;
}): H {
  const said =
    o.status === "approved"
      ? h`<p>Your comment is published. <a href="${o.postPath}#comment-${o.id}">See it under the post</a>.</p>`
      : h`<p>Thank you. Your comment is waiting for the author to read it; it appears under the post once approved.${o.confirmNote}</p>`;
  return h`${said}
<p>For the next 15 minutes you can <a href="/comments/edit/${o.editToken}">edit or delete your comment</a>.</p>
<p><a href="${o.postPath}">Back to the post</a></p>`;
}

/** The edit page: the text, and delete. */
export function editBody(o: { token: string; text: string; error?: string }): H {
  return h`${o.error ? h`<p class="form-error" role="alert">${o.error}</p>` : ""}
<form method="post" action="/comments/edit/${o.token}" class="comment-form">
<p><label for="edit-text">Your comment</label>
<textarea id="edit-text" name="text" rows="6" required maxlength="5000">${o.text}</textarea></p>
<p><button type="submit">Save</button></p>
</form>
<form method="post" action="/comments/delete/${o.token}">
<p><button type="submit" class="danger">Delete my comment</button></p>
</form>`;
}

/** A page with one button that POSTs (unsubscribe): a link scanner's GET changes nothing. */
export function oneButtonBody(text: string, action: string, label: string): H {
  return h`<p>${text}</p><form method="post" action="${action}"><p><button type="submit">${label}</button></p></form>`;
}
