/** Revisions of a post: list, view one (rendered, Markdown, diff against current), restore. */
import type { Context, Hono } from "hono";
import { html, raw } from "hono/html";
import { userNames } from "../../auth/index.ts";
import type { AppContext } from "../../lib/context.ts";
import { HttpError, NotFoundError } from "../../lib/errors.ts";
import type { AppEnv } from "../../lib/http/env.ts";
import { actorOf, idParam } from "../../lib/http/request.ts";
import { getTimeZone } from "../../lib/settings/time-zone.ts";
import { csrfField, page, when } from "../../lib/ui/layout.ts";
import { canEdit, renderBody, restoreRevision } from "../service.ts";
import { historyStore, type PostRow, postStore } from "../store.ts";
import { lineDiff } from "./diff.ts";

export function revisionRoutes(ctx: AppContext, app: Hono<AppEnv>): void {
  async function editable(c: Context<AppEnv>): Promise<PostRow> {
    const post = await postStore(ctx.db).byId(idParam(c));
    if (!post) throw new NotFoundError("That post does not exist (it may have been deleted).");
    if (!canEdit(actorOf(c), post)) throw new HttpError(403, "You can only see the revisions of your own posts.");
    return post;
  }

  app.get("/posts/:id{[0-9]+}/revisions", async (c) => {
    const post = await editable(c);
    const [revs, names, tz] = await Promise.all([
      historyStore(ctx.db).revisions(post.id),
      userNames(ctx),
      getTimeZone(ctx),
    ]);
    return page(
      c,
      { title: `Revisions of “${post.title}”`, section: "posts" },
      html`<h1>Revisions of “${post.title}”</h1>
<p><a href="/admin/posts/${post.id}">Back to the editor</a></p>
<table class="list">
  <caption class="visually-hidden">Revisions, newest first</caption>
  <thead><tr><th scope="col">Saved</th><th scope="col">By</th><th scope="col">Title then</th><th scope="col">Note</th><th scope="col"><span class="visually-hidden">Actions</span></th></tr></thead>
  <tbody>
  ${revs.map(
    (r, i) => html`<tr>
    <td><a href="/admin/posts/${post.id}/revisions/${r.id}">${when(r.created_at, tz)}</a>${i === 0 ? " (current)" : ""}</td>
    <td>${r.author_id ? (names.get(r.author_id) ?? "—") : "system"}</td>
    <td>${r.title}</td>
    <td>${r.note}</td>
    <td>${
      i === 0
        ? ""
        : html`<form method="post" action="/admin/posts/${post.id}/revisions/${r.id}/restore">${csrfField(c)}<button type="submit">Restore<span class="visually-hidden"> revision from ${when(r.created_at, tz)}</span></button></form>`
    }</td>
  </tr>`,
  )}
  </tbody>
</table>`,
    );
  });

  app.get("/posts/:id{[0-9]+}/revisions/:rid{[0-9]+}", async (c) => {
    const post = await editable(c);
    const rev = await historyStore(ctx.db).revision(idParam(c, "rid"));
    if (!rev || rev.post_id !== post.id) throw new NotFoundError("That revision does not exist.");
    const tz = await getTimeZone(ctx);
    const rendered = renderBody(rev.kind, rev.body_md).html;
    const diff = lineDiff(rev.body_md, post.body_md);
    const changed = diff?.some((d) => d.op !== "same");
    return page(
      c,
      { title: `Revision from ${when(rev.created_at, tz)}`, section: "posts" },
      html`<h1>Revision of “${rev.title}” from ${when(rev.created_at, tz)}</h1>
<p><a href="/admin/posts/${post.id}/revisions">All revisions</a> · <a href="/admin/posts/${post.id}">Editor</a></p>
${rev.note ? html`<p>Note: ${rev.note}</p>` : ""}
<form method="post" action="/admin/posts/${post.id}/revisions/${rev.id}/restore" class="actions">
  ${csrfField(c)}
  <button type="submit" class="primary">Restore this revision</button>
  <span class="hint">The current version is kept as a revision, so you can undo this.</span>
</form>
<h2>Changes since this revision</h2>
${
  diff === null
    ? html`<p>The texts are too long to compare here.</p>`
    : !changed
      ? html`<p>The body is the same as the current version.</p>`
      : html`<p class="hint">Lines marked − are only in this revision; lines marked + are only in the current version.</p>
<pre class="diff">${diff.map(
          (d) =>
            html`<span class="diff-${d.op}">${d.op === "add" ? "+ " : d.op === "del" ? "− " : "  "}${d.text}</span>`,
        )}</pre>`
}
<h2>As it looked</h2>
<div class="preview">${raw(rendered)}</div>
<h2>Markdown</h2>
<pre class="markdown">${rev.body_md}</pre>`,
    );
  });

  app.post("/posts/:id{[0-9]+}/revisions/:rid{[0-9]+}/restore", async (c) => {
    const post = await editable(c);
    const rev = await historyStore(ctx.db).revision(idParam(c, "rid"));
    if (!rev || rev.post_id !== post.id) throw new NotFoundError("That revision does not exist.");
    await restoreRevision(ctx, actorOf(c), rev.id);
    return c.redirect(`/admin/posts/${post.id}?msg=restored`, 303);
  });
}
