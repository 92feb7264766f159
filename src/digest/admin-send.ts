/**
 * A digest's previews, exports and sending: the preview email (framed by the editor, so it gets
 * its own CSP: inline styles, no scripts, framable by the admin only), Markdown and HTML
 * downloads, "Send a test to me", Send to lists, and hold / release of a scheduled draft.
 */
import type { Context, Hono } from "hono";
import type { AppContext } from "../lib/context.ts";
import { HttpError } from "../lib/errors.ts";
import type { AppEnv } from "../lib/http/env.ts";
import { formBody, idParam, many, one, userOf } from "../lib/http/request.ts";
import { draftOr409, previewEmail } from "./admin-data.ts";
import { sendDigest, sendDigestTest } from "./publish.ts";
import { digestExportHtml, digestMarkdown } from "./render.ts";
import { loadDigest } from "./service.ts";
import { digestStore } from "./store.ts";

/** The preview's policy: the email's inline styles and https images, nothing that runs. */
export const PREVIEW_CSP =
  "default-src 'none'; style-src 'unsafe-inline'; img-src https: data:; base-uri 'none'; form-action 'none'; frame-ancestors 'self'";

const slug = (s: string) =>
  s
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "")
    .slice(0, 60) || "digest";

/** Register the preview, export and send routes. */
export function digestSendRoutes(ctx: AppContext, app: Hono<AppEnv>): void {
  app.get("/digests/:id{[0-9]+}/preview/email", async (c) => {
    const { view } = await loadDigest(ctx, idParam(c));
    const m = await previewEmail(ctx, view);
    c.header("Content-Security-Policy", PREVIEW_CSP);
    c.header("Cache-Control", "private, no-store");
    return c.html(m.html);
  });
  const download = async (c: Context<AppEnv>, ext: "md" | "html") => {
    const { digest, view } = await loadDigest(ctx, idParam(c));
    const body = ext === "md" ? digestMarkdown(view) : digestExportHtml(view);
    c.header("Content-Type", ext === "md" ? "text/markdown; charset=utf-8" : "text/html; charset=utf-8");
    c.header("Content-Disposition", `attachment; filename="${slug(digest.title)}.${ext}"`);
    c.header("Cache-Control", "private, no-store");
    return c.body(body);
  };
  app.get("/digests/:id{[0-9]+}/export.md", (c) => download(c, "md"));
  app.get("/digests/:id{[0-9]+}/export.html", (c) => download(c, "html"));

  app.post("/digests/:id{[0-9]+}/test", async (c) => {
    const id = idParam(c);
    const user = userOf(c);
    await loadDigest(ctx, id);
    await sendDigestTest(ctx, id, { email: user.email, name: user.name, userId: user.id });
    return c.redirect(`/admin/digests/${id}?msg=test`, 303);
  });

  app.post("/digests/:id{[0-9]+}/send", async (c) => {
    const id = idParam(c);
    await draftOr409(ctx, id);
    const lists = many(await formBody(c), "lists");
    // ValidationErrors (no list, an empty digest) become a 400 page naming the problem.
    await sendDigest(ctx, id, lists, userOf(c).id);
    return c.redirect(`/admin/digests/${id}?msg=sent`, 303);
  });

  app.post("/digests/:id{[0-9]+}/hold", async (c) => {
    const id = idParam(c);
    const d = await draftOr409(ctx, id);
    if (!d.send_at)
      throw new HttpError(409, "This draft is not scheduled to go out by itself, so there is nothing to hold.");
    const held = one(await formBody(c), "held") === "1";
    await digestStore(ctx.db).update(id, { held: held ? 1 : 0, updated_at: ctx.now().toISOString() });
    return c.redirect(`/admin/digests/${id}?msg=${held ? "held" : "released"}`, 303);
  });
}
