/**
 * The web application: one Hono app with every module's public routes (src/modules.ts) and the
 * admin under /admin (src/admin.ts, loaded on its first request).
 * Request flow: security headers → session (auth) → module route → view → response.
 * A signed-out GET of a page in the page cache is answered before routing (`cachedPageFastPath`).
 * Errors of our own classes become friendly pages with their status; a full disk or read-only
 * database is a 503 that says where (lib/db/storage-errors.ts); anything else is a 500 with no
 * details for the visitor, logged with its stack.
 */
import { Hono } from "hono";
import { lazyAdmin } from "./admin.ts";
import { ownerEmail, sessionMiddleware } from "./auth/index.ts";
import type { AppContext } from "./lib/context.ts";
import { storageErrorOf, storagePlace } from "./lib/db/storage-errors.ts";
import { statusOf } from "./lib/errors.ts";
import { bodyLimits, formsParsedEarly, siteBodyRules } from "./lib/http/body-limits.ts";
import type { AppEnv } from "./lib/http/env.ts";
import { securityHeaders } from "./lib/http/security.ts";
import { appHost, modules } from "./modules.ts";
import { cachedPageFastPath, countedPages, renderErrorPage } from "./site/index.ts";

/** Give a context the app's modules (blocks, erasure, editor parts), once. */
export function installModules(ctx: AppContext): AppContext {
  if (ctx.host.modules.length === 0) ctx.host = appHost;
  return ctx;
}

/** Build the app for a context. Tests drive it with `app.request()`. */
export async function createApp(ctx: AppContext): Promise<Hono<AppEnv>> {
  installModules(ctx);
  const app = new Hono<AppEnv>();
  app.use("*", securityHeaders());
  const { trustProxy } = ctx.config;
  // Only when configured: `clientIp` reads it to believe the proxies' forwarding headers.
  if (trustProxy) {
    app.use("*", async (c, next) => {
      c.set("trustProxy", trustProxy);
      await next();
    });
  }
  // Every body is bounded before anything reads it (the upload limit only where files are sent), and
  // a malformed form is a 400 here; the admin parses its own forms (src/admin.ts).
  const ownerSetupOpen = async () => (await ownerEmail(ctx)) === undefined;
  app.use("*", bodyLimits(ctx.config, siteBodyRules(ctx.config, { ownerSetupOpen })));
  app.use("*", formsParsedEarly(/^\/admin(?:\/|$)/));
  app.use("*", sessionMiddleware(ctx));
  // Every public HTML page a signed-out reader gets is handed to the modules that count views
  // (the cached fast path hands over its own); the admin and the sign-in pages are not theirs.
  const views = await ctx.host.pageViews(ctx);
  if (views) app.use("*", countedPages(ctx, views));
  const admin = lazyAdmin(ctx);
  app.all("/admin", admin);
  app.all("/admin/*", admin);
  const ordered = modules
    .map((m, i) => ({ m, i }))
    .sort((a, b) => (a.m.routeOrder ?? 0) - (b.m.routeOrder ?? 0) || a.i - b.i);
  const routers = await Promise.all(ordered.map(({ m }) => m.routes?.()));
  for (const make of routers) if (make) app.route("/", make(ctx, ctx.host));
  app.notFound((c) => renderErrorPage(ctx, c, 404, "Page not found"));
  app.onError((err, c) => {
    const status = statusOf(err);
    // Transactions rolled back, so nothing of the request was kept; the operator must make room.
    const storage = status >= 500 ? storageErrorOf(err, storagePlace(ctx.config)) : undefined;
    if (storage) {
      ctx.log.error("could not save", { path: c.req.path, error: storage.message, code: storage.code });
      const message = `The server could not save: ${storage.message}. Nothing was changed.`;
      // The editor's paste/drop upload reads JSON and shows the error by the image.
      if (c.req.header("accept")?.includes("application/json")) return c.json({ error: message }, 503);
      return renderErrorPage(ctx, c, 503, message);
    }
    if (status >= 500) {
      ctx.log.error("request failed", { path: c.req.path, error: err.stack ?? String(err) });
      return renderErrorPage(ctx, c, 500, "Something went wrong on our side. Please try again.");
    }
    return renderErrorPage(ctx, c, status, err.message);
  });
  // `serve()` and `app.request()` both go through `app.fetch`.
  const fast = cachedPageFastPath(ctx, views);
  const dispatch = app.fetch;
  app.fetch = (req, env, executionCtx) => fast(req, env) ?? dispatch(req, env, executionCtx);
  return app;
}

/**
 * Import everything the modules load lazily (public routes, admin pages, blocks, editor parts,
 * job handlers), e.g. to fill the compile cache before `liner serve` restarts itself.
 */
export async function preloadLazyRoutes(): Promise<void> {
  await Promise.all(modules.flatMap((m) => [m.routes?.(), m.admin?.(), m.blocks?.(), m.editorParts?.(), m.jobs?.()]));
}
