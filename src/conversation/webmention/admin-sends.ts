/**
 * /admin/posts/:id/webmentions: the Webmentions a post sent, per target: sent, accepted, no
 * endpoint, or failed with the reason, with the endpoint, the attempts and when. "Send now" queues
 * the post's Webmentions again (a failed target is tried afresh). A deleted post's page still
 * shows what it sent, including the notices of its deletion.
 */
import type { Context, Hono } from "hono";
import { postById, postPath } from "../../content/index.ts";
import type { AppContext } from "../../lib/context.ts";
import { NotFoundError } from "../../lib/errors.ts";
import { h } from "../../lib/html.ts";
import type { AppEnv } from "../../lib/http/env.ts";
import { requireUser } from "../../lib/http/require-user.ts";
import { getTimeZone } from "../../lib/settings/time-zone.ts";
import { csrfField, page, when } from "../../lib/ui/layout.ts";
import { queuePostSends } from "./send-kinds.ts";
import { sendStore, type WebmentionOutRow } from "./send-store.ts";

const STATUS: Record<WebmentionOutRow["status"], string> = {
  pending: "Waiting to send",
  sent: "Sent",
  accepted: "Accepted",
  "no-endpoint": "No endpoint",
  failed: "Failed",
};

function rowView(r: WebmentionOutRow, tz: string) {
  const ok = r.status === "sent" || r.status === "accepted";
  return h`<tr>
  <td><a href="${r.target}" rel="noopener noreferrer">${r.target}</a>${r.linked ? "" : h` <em>(no longer linked: told once)</em>`}</td>
  <td><span class="badge${ok ? " badge-published" : ""}">${STATUS[r.status]}</span>${r.detail ? h` ${r.detail}` : ""}</td>
  <td>${r.endpoint || "—"}</td>
  <td>${r.attempts}</td>
  <td>${when(r.updated_at, tz)}</td>
</tr>`;
}

/** Register the page and its "Send now" on the admin app (editors and owners). */
export function webmentionSendRoutes(ctx: AppContext, app: Hono<AppEnv>): void {
  app.use("/posts/:id{[0-9]+}/webmentions", requireUser("editor"));

  const render = async (c: Context<AppEnv>, id: number) => {
    const [post, rows, tz] = await Promise.all([postById(ctx, id), sendStore(ctx.db).ofPost(id), getTimeZone(ctx)]);
    if (!post && rows.length === 0) throw new NotFoundError("There is no such post.");
    const title = post ? `Webmentions of “${post.title}”` : `Webmentions of deleted post ${id}`;
    const live = post?.status === "published";
    const msg = c.req.query("msg");
    return page(
      c,
      {
        title,
        section: "posts",
        notice: msg === "queued" ? "Queued: the results show here as they come in." : undefined,
      },
      h`<h1>${title}</h1>
${post ? h`<p><a href="/admin/posts/${post.id}">Back to the editor</a>${live ? h` · <a href="${postPath(post)}" class="live-link">View the live post</a>` : ""}</p>` : ""}
<p class="hint">When a post is published, updated, unpublished or deleted, every page it links is told with a Webmention, if that page has an endpoint for them.</p>
${
  rows.length
    ? h`<table class="list">
  <caption class="visually-hidden">Webmentions sent, per linked page</caption>
  <thead><tr><th scope="col">Linked page</th><th scope="col">Result</th><th scope="col">Endpoint</th><th scope="col">Attempts</th><th scope="col">When</th></tr></thead>
  <tbody>${rows.map((r) => rowView(r, tz))}</tbody>
</table>`
    : h`<p>No Webmentions sent yet${live ? "" : ": the post is not published"}.</p>`
}
<form method="post" action="/admin/posts/${id}/webmentions">${csrfField(c)}
<div class="actions"><button type="submit" class="primary">Send now</button></div>
</form>`,
    );
  };

  app.get("/posts/:id{[0-9]+}/webmentions", (c) => render(c, Number(c.req.param("id"))));

  app.post("/posts/:id{[0-9]+}/webmentions", async (c) => {
    const id = Number(c.req.param("id"));
    const post = await postById(ctx, id);
    const rows = await sendStore(ctx.db).ofPost(id);
    if (!post && rows.length === 0) throw new NotFoundError("There is no such post.");
    const url = post ? ctx.config.baseUrl + postPath(post) : (rows[0]?.source ?? "");
    await queuePostSends(ctx, id, url, post?.status !== "published");
    // Redirect, so reloading the page does not queue again.
    return c.redirect(`/admin/posts/${id}/webmentions?msg=queued`, 303);
  });
}
