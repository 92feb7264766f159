/**
 * A post's copies from its editor: "Retry now" on a failed one; "Update the copy" and
 * "Delete the copy…" (with a page that asks first: a deletion there cannot be undone) on a sent
 * one. Each goes back to the post's editor, which shows the platform's message on a failure.
 */
import type { Hono } from "hono";
import { html } from "hono/html";
import type { AppContext } from "../../lib/context.ts";
import type { AppEnv } from "../../lib/http/env.ts";
import { formBody, idParam, one } from "../../lib/http/request.ts";
import { csrfField, page } from "../../lib/ui/layout.ts";
import { deleteCopy, sentCopy, updateCopy } from "../revise.ts";
import { retryCopy } from "../targets.ts";

const NAMES: Record<string, string> = { bluesky: "Bluesky", mastodon: "Mastodon", linkedin: "LinkedIn" };
const editor = (postId: number) => `/admin/posts/${postId}`;

/** Register the copy routes on the admin app (owners only: the caller's middleware). */
export function copyRoutes(ctx: AppContext, app: Hono<AppEnv>): void {
  app.post("/syndication/copies/:id{[0-9]+}/retry", async (c) => {
    const back = editor(Number(one(await formBody(c), "postId")) || 0);
    const ok = await retryCopy(ctx, idParam(c));
    return c.redirect(ok ? `${back}?msg=saved` : back, 303);
  });

  app.post("/syndication/copies/:id{[0-9]+}/update", async (c) => {
    const { copy } = await sentCopy(ctx, idParam(c));
    const text = one(await formBody(c), `syndText_${copy.account_id}`).replace(/\r\n?/g, "\n");
    const error = await updateCopy(ctx, copy.id, text);
    return c.redirect(error ? editor(copy.post_id) : `${editor(copy.post_id)}?msg=saved`, 303);
  });

  app.get("/syndication/copies/:id{[0-9]+}/delete", async (c) => {
    const { copy, account, post } = await sentCopy(ctx, idParam(c));
    const where = `${NAMES[account.platform] ?? account.platform} (${account.handle})`;
    return page(
      c,
      { title: "Delete the copy", section: "posts" },
      html`<h1>Delete the copy on ${where}?</h1>
<p>The copy of “${post.title || "(untitled)"}” at <a href="${copy.url ?? "#"}">${copy.url}</a> is deleted there, with its replies, likes and reposts on that platform; those already brought home stay here. It cannot be undone. The post itself stays as it is.</p>
<form method="post" action="/admin/syndication/copies/${copy.id}/delete">
  ${csrfField(c)}
  <button type="submit" class="danger">Delete it on ${NAMES[account.platform] ?? account.platform}</button>
  <a href="${editor(copy.post_id)}">Keep it</a>
</form>`,
    );
  });

  app.post("/syndication/copies/:id{[0-9]+}/delete", async (c) => {
    const { copy } = await sentCopy(ctx, idParam(c));
    const error = await deleteCopy(ctx, copy.id);
    return c.redirect(error ? editor(copy.post_id) : `${editor(copy.post_id)}?msg=saved`, 303);
  });
}
