/**
 * A post's copies from its editor: "Retry now" on a failed one; "Update the copy…" and "Delete
 * the copy…" on a sent one, each a page of its own (the text that goes; a deletion there cannot be
 * undone), which shows the platform's message on a failure and otherwise goes back to the editor.
 */
import type { Hono } from "hono";
import type { AppContext } from "../../lib/context.ts";
import type { AppEnv } from "../../lib/http/env.ts";
import { formBody, idParam, one } from "../../lib/http/request.ts";
import { deleteCopy, sentCopy, updateCopy } from "../revise.ts";
import { textFor } from "../syndicate.ts";
import { retryCopy } from "../targets.ts";
import { deletePage, updatePage } from "./copy-views.ts";

const editor = (postId: number) => `/admin/posts/${postId}`;

/** Register the copy routes on the admin app (owners only: the caller's middleware). */
export function copyRoutes(ctx: AppContext, app: Hono<AppEnv>): void {
  app.post("/syndication/copies/:id{[0-9]+}/retry", async (c) => {
    const back = editor(Number(one(await formBody(c), "postId")) || 0);
    const ok = await retryCopy(ctx, idParam(c));
    return c.redirect(ok ? `${back}?msg=copy-retrying` : back, 303);
  });

  // Update: a page of its own with the text that goes (the post as it is now, editable), so the
  // editor's unsaved changes are not lost to a button inside its form.
  app.get("/syndication/copies/:id{[0-9]+}/update", async (c) => {
    const { copy, account, post } = await sentCopy(ctx, idParam(c));
    const text = await textFor(ctx, account, post);
    return updatePage(c, { copy, account, post, text });
  });
  app.post("/syndication/copies/:id{[0-9]+}/update", async (c) => {
    const { copy, account, post } = await sentCopy(ctx, idParam(c));
    const text = one(await formBody(c), "text").replace(/\r\n?/g, "\n");
    const error = await updateCopy(ctx, copy.id, text);
    if (error) return updatePage(c, { copy, account, post, text, error });
    return c.redirect(`${editor(copy.post_id)}?msg=copy-updated`, 303);
  });

  app.get("/syndication/copies/:id{[0-9]+}/delete", async (c) => {
    const { copy, account, post } = await sentCopy(ctx, idParam(c));
    return deletePage(c, { copy, account, post });
  });
  app.post("/syndication/copies/:id{[0-9]+}/delete", async (c) => {
    const { copy, account, post } = await sentCopy(ctx, idParam(c));
    const error = await deleteCopy(ctx, copy.id);
    if (error) return deletePage(c, { copy, account, post, error });
    return c.redirect(`${editor(copy.post_id)}?msg=copy-deleted`, 303);
  });
}
