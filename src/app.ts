/**
 * The web application: one Hono app with each module's routes mounted under its prefix.
 * Request flow: security headers → session (auth) → module route → view → response.
 * Two shortcuts: a signed-out GET of a page in the page cache is answered before routing
 * (`cachedPageFastPath`), and the admin is loaded on its first request (`lazyAdmin`).
 * Errors of our own classes become friendly pages with their status; anything else is a 500
 * with no details for the visitor, logged with its stack.
 */
import { type Context, type Handler, Hono } from "hono";
import { audienceRoutes } from "./audience/routes.ts";
import { sessionMiddleware } from "./auth/middleware.ts";
import { authRoutes } from "./auth/routes.ts";
import { mediaRoutes } from "./content/media-routes.ts";
import { digestRoutes } from "./digest/routes.ts";
import { eventRoutes } from "./events/routes.ts";
import { inquiryRoutes } from "./inquiries/routes.ts";
import type { AppContext } from "./lib/context.ts";
import { statusOf } from "./lib/errors.ts";
import type { AppEnv } from "./lib/http/env.ts";
import { securityHeaders } from "./lib/http/security.ts";
import { mailWebhookRoutes } from "./mail/webhook.ts";
import { cachedPageFastPath } from "./site/cache.ts";
import { renderErrorPage } from "./site/errors.ts";
import { siteRoutes } from "./site/routes.ts";

/** Build the app for a context. Tests drive it with `app.request()`. */
export function createApp(ctx: AppContext): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  app.use("*", securityHeaders());
  app.use("*", sessionMiddleware(ctx));
  app.route("/", authRoutes(ctx));
  const admin = lazyAdmin(ctx);
  app.all("/admin", admin);
  app.all("/admin/*", admin);
  app.route("/media", mediaRoutes(ctx));
  app.route("/", audienceRoutes(ctx));
  app.route("/", mailWebhookRoutes(ctx));
  app.route("/", inquiryRoutes(ctx));
  app.route("/", eventRoutes(ctx));
  app.route("/", digestRoutes(ctx));
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
  // `serve()` and `app.request()` both go through `app.fetch`.
  const fast = cachedPageFastPath(ctx);
  const dispatch = app.fetch;
  app.fetch = (req, env, executionCtx) => fast(req, env) ?? dispatch(req, env, executionCtx);
  return app;
}

/** Import what `createApp` loads lazily, e.g. to fill the compile cache before a restart. */
export async function preloadLazyRoutes(): Promise<void> {
  await import("./admin/routes.ts");
}

const OUTER = Symbol("outer context");
type Forwarded = Record<string | symbol, unknown> & { [OUTER]: Context<AppEnv> };

/**
 * The admin (editor, media, users, settings and the reader) is imported on the first request
 * under /admin: public pages never need its modules, so the server starts faster and smaller.
 * It runs as its own Hono app behind this one, mounted at the same path, with the same request
 * variables (user, CSRF token, CSP nonce) and Node bindings; unknown paths get this app's 404
 * page and errors it does not handle itself go to this app's error handler.
 */
function lazyAdmin(ctx: AppContext): Handler<AppEnv> {
  let loaded: Promise<Hono<AppEnv>> | undefined;
  const load = async () => {
    const { adminRoutes } = await import("./admin/routes.ts");
    const inner = new Hono<AppEnv>();
    inner.use("*", async (c, next) => {
      const outer = (c.env as Forwarded)[OUTER];
      c.set("user", outer.get("user"));
      c.set("csrfToken", outer.get("csrfToken"));
      c.set("nonce", outer.get("nonce"));
      await next();
    });
    inner.route("/admin", adminRoutes(ctx));
    inner.notFound((c) => renderErrorPage(ctx, c, 404, "Page not found"));
    inner.onError((err) => {
      throw err;
    });
    return inner;
  };
  return async (c) => {
    loaded ??= load().catch((err) => {
      loaded = undefined; // let a later request try again
      throw err;
    });
    const inner = await loaded;
    const env: Forwarded = { ...(c.env as object | undefined), [OUTER]: c };
    return inner.fetch(c.req.raw, env);
  };
}
