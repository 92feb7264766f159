/**
 * A digest's previews, exports and sending: the preview email (framed by the editor, so it gets
 * its own CSP: inline styles, no scripts, framable by the admin only), Markdown and HTML
 * downloads, "Send a test to me", Send to lists, and hold / release of a scheduled draft.
 */
import type { Context, Hono } from "hono";
import type { AppContext } from "../lib/context.ts";
import type { AppEnv } from "../lib/http/env.ts";
import { formBody, idParam, many, one, userOf } from "../lib/http/request.ts";
import { previewEmail } from "./admin-data.ts";
import { digestExport, draftOr409, setHeld } from "./manage.ts";
import { sendDigest, sendDigestTest } from "./publish.ts";
import { loadDigest } from "./service.ts";

/** The preview's policy: the email's inline styles and https images, nothing that runs. */
export const PREVIEW_CSP =
  "default-src 'none'; style-src 'unsafe-inline'; img-src https: data:; base-uri 'none'; form-action 'none'; frame-ancestors 'self'";

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
    const file = await digestExport(ctx, idParam(c), ext);
    c.header("Content-Type", file.contentType);
    c.header("Content-Disposition", `attachment; filename="${file.fileName}"`);
    c.header("Cache-Control", "private, no-store");
    return c.body(file.body);
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
    const held = one(await formBody(c), "held") === "1";
    await setHeld(ctx, id, held);
    return c.redirect(`/admin/digests/${id}?msg=${held ? "held" : "released"}`, 303);
  });
}
