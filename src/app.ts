/**
 * The web application: one Hono app with each module's routes mounted under its prefix.
 * Request flow: security headers → session (auth) → module route → view → response.
 * Errors of our own classes become friendly pages with their status; anything else is a 500
 * with no details for the visitor, logged with its stack.
 */
import { Hono } from "hono";
import { adminRoutes } from "./admin/routes.ts";
import { sessionMiddleware } from "./auth/middleware.ts";
import { authRoutes } from "./auth/routes.ts";
import { mediaRoutes } from "./content/media-routes.ts";
import type { AppContext } from "./lib/context.ts";
import { statusOf } from "./lib/errors.ts";
import type { AppEnv } from "./lib/http/env.ts";
import { securityHeaders } from "./lib/http/security.ts";
import { renderErrorPage } from "./site/errors.ts";
import { siteRoutes } from "./site/routes.ts";

/** Build the app for a context. Tests drive it with `app.request()`. */
export function createApp(ctx: AppContext): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  app.use("*", securityHeaders());
  app.use("*", sessionMiddleware(ctx));
  app.route("/", authRoutes(ctx));
  app.route("/admin", adminRoutes(ctx));
  app.route("/media", mediaRoutes(ctx));
  app.route("/", siteRoutes(ctx));
  app.notFound((c) => renderErrorPage(ctx, c, 404, "Page not found"));
  app.onError((err, c) => {
    const status = statusOf(err);
    if (status >= 500) {
      ctx.log.error("request failed", { path: c.req.path, error: err.stack ?? String(err) });
      return renderErrorPage(ctx, c, 500, "Something went wrong on our side. Please try again.");
    }
    return renderErrorPage(ctx, c, status, err.message);
  });
  return app;
}
