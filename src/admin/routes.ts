/**
 * The admin at /admin: server-rendered pages that all work without JavaScript. Every route needs
 * a signed-in user (roles narrow it further) and every state-changing request a CSRF token.
 * Errors we expect (403, 404, 409, 413, 415, 422 ...) render as admin pages with their status.
 */
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { Hono } from "hono";
import { bodyLimit } from "hono/body-limit";
import { postEmailRoutes } from "../audience/post-email-admin.ts";
import { subscriberRoutes } from "../audience/subscribers-admin.ts";
import { csrf, requireUser } from "../auth/middleware.ts";
import { digestAdminRoutes } from "../digest/admin.ts";
import { eventAdminRoutes } from "../events/admin.ts";
import { inquiryAdminRoutes } from "../inquiries/routes.ts";
import type { AppContext } from "../lib/context.ts";
import { HttpError, statusOf } from "../lib/errors.ts";
import { etagOf } from "../lib/http/cache.ts";
import type { AppEnv } from "../lib/http/env.ts";
import { mailRoutes } from "../mail/routes.ts";
import { readerRoutes } from "../reader/routes.ts";
import { mediaAdminRoutes, uploadSizeGuard } from "./media.ts";
import { postRoutes } from "./posts.ts";
import { revisionRoutes } from "./revisions.ts";
import { settingsRoutes } from "./settings.ts";
import { themeRoutes } from "./themes.ts";
import { userRoutes } from "./users.ts";
import { messagePage } from "./views/layout.ts";

const STATIC_DIR = path.join(path.dirname(fileURLToPath(import.meta.url)), "static");
const TYPES: Record<string, string> = {
  ".css": "text/css; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".svg": "image/svg+xml",
};

/** Admin assets, read once per process. */
function loadAssets(): Map<string, { body: string; type: string; etag: string }> {
  const out = new Map<string, { body: string; type: string; etag: string }>();
  for (const name of fs.readdirSync(STATIC_DIR)) {
    const type = TYPES[path.extname(name)];
    if (!type) continue;
    const body = fs.readFileSync(path.join(STATIC_DIR, name), "utf8");
    out.set(name, { body, type, etag: etagOf(body) });
  }
  return out;
}

const titles: Record<number, string> = {
  400: "Please check your input",
  401: "Please sign in",
  403: "Not allowed",
  404: "Not found",
  409: "That can't be done",
  410: "Gone",
  413: "File too large",
  415: "File type not accepted",
  422: "Please check your input",
  429: "Too many attempts",
};

export function adminRoutes(ctx: AppContext): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  const assets = loadAssets();

  app.onError((err, c) => {
    const status = statusOf(err);
    if (status >= 500) throw err; // the app's handler logs it and shows a generic page
    return messagePage(c, status, titles[status] ?? "Something is wrong", err.message);
  });

  // Public: the sign-in page uses the stylesheet too.
  app.get("/assets/:file", (c) => {
    const a = assets.get(c.req.param("file"));
    if (!a) return c.notFound();
    c.header("Cache-Control", "public, max-age=600");
    c.header("ETag", a.etag);
    if (c.req.header("if-none-match") === a.etag) return c.body(null, 304);
    c.header("Content-Type", a.type);
    return c.body(a.body);
  });

  // Size checks come before anything reads the body (the CSRF check may read the form).
  app.use("/media", uploadSizeGuard(ctx));
  app.use(
    "*",
    bodyLimit({
      // The editor form can carry a cover image, a PDF and a 2 MB body at once.
      maxSize: ctx.config.maxUploadBytes * 2 + 4 * 1024 * 1024,
      onError: () => {
        throw new HttpError(413, "The form is too large. Upload files one at a time, within the size limit.");
      },
    }),
  );
  app.use("*", csrf(ctx));
  app.use("*", requireUser("author"));

  postRoutes(ctx, app);
  revisionRoutes(ctx, app);
  themeRoutes(ctx, app);
  mediaAdminRoutes(ctx, app);
  userRoutes(ctx, app);
  settingsRoutes(ctx, app);
  readerRoutes(ctx, app);
  mailRoutes(ctx, app);
  digestAdminRoutes(ctx, app);
  inquiryAdminRoutes(ctx, app);
  postEmailRoutes(ctx, app);
  subscriberRoutes(ctx, app);
  eventAdminRoutes(ctx, app);
  return app;
}
