/**
 * The admin shell at /admin: every module's admin pages (src/modules.ts) on one Hono app behind
 * sign-in, role and CSRF checks, with the navigation the modules declared and their assets at
 * /admin/assets/<file>. Pages are server-rendered and work without JavaScript.
 * Errors we expect (403, 404, 409, 413, 415, 422 ...) render as admin pages with their status.
 *
 * The modules' admin pages are imported on the first request under /admin: public pages never
 * need them, so the server starts faster and smaller.
 */
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { type Context, type Handler, Hono } from "hono";
import { csrf } from "./auth/index.ts";
import { getSiteSettings } from "./content/index.ts";
import type { AppContext } from "./lib/context.ts";
import { statusOf } from "./lib/errors.ts";
import { formsParsedEarly } from "./lib/http/body-limits.ts";
import { etagOf } from "./lib/http/cache.ts";
import type { AppEnv } from "./lib/http/env.ts";
import { requireUser } from "./lib/http/require-user.ts";
import { messagePage, type NavEntry } from "./lib/ui/layout.ts";
import { modules } from "./modules.ts";
import { renderErrorPage } from "./site/index.ts";

const TYPES: Record<string, string> = {
  ".css": "text/css; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".svg": "image/svg+xml",
};

interface Asset {
  body: string;
  type: string;
  etag: string;
}

/**
 * The admin's stylesheet: the parts in lib/ui/css/ in name order, served as one file
 * (`admin.css`), so the source stays in small files and a page still loads one stylesheet.
 */
function adminStylesheet(): Asset {
  const dir = fileURLToPath(new URL("./lib/ui/css/", import.meta.url));
  const parts = fs
    .readdirSync(dir)
    .filter((n) => n.endsWith(".css"))
    .sort();
  const body = parts.map((n) => fs.readFileSync(path.join(dir, n), "utf8")).join("\n");
  return { body, type: TYPES[".css"] as string, etag: etagOf(body) };
}

/** The admin's assets (lib/ui's stylesheet and scripts, and each module's folder), read once per process. */
function loadAssets(): Map<string, Asset> {
  const dirs = [new URL("./lib/ui/static/", import.meta.url), ...modules.flatMap((m) => m.adminAssets ?? [])];
  const out = new Map<string, Asset>([["admin.css", adminStylesheet()]]);
  for (const dir of dirs.map((u) => fileURLToPath(u))) {
    for (const name of fs.readdirSync(dir)) {
      const type = TYPES[path.extname(name)];
      if (!type) continue;
      if (out.has(name)) throw new Error(`two modules have an admin asset named ${name}`);
      const body = fs.readFileSync(path.join(dir, name), "utf8");
      out.set(name, { body, type, etag: etagOf(body) });
    }
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

/** The admin app, mounted at /admin. */
export async function adminRoutes(ctx: AppContext): Promise<Hono<AppEnv>> {
  const app = new Hono<AppEnv>();
  const assets = loadAssets();
  const pages = (await Promise.all(modules.map((m) => m.admin?.()))).filter((p) => p !== undefined);
  const nav: NavEntry[] = modules.flatMap((m) => m.nav ?? []).sort((a, b) => a.order - b.order);

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

  // Size checks come before anything reads the body (the CSRF check may read the form). The body
  // limits themselves (small for forms, the upload limit only on routes that take files) are the
  // public app's, applied before it hands the request over (lib/http/body-limits.ts).
  for (const p of pages) p.guards?.(ctx, app);
  // A malformed form is a 400 before the CSRF check reads it.
  app.use("*", formsParsedEarly());
  app.use("*", csrf(ctx));
  app.use("*", requireUser("author"));
  app.use("*", async (c, next) => {
    c.set("adminNav", nav);
    // The bar and sidebar carry the site's own name: the owner's site, not the software's.
    c.set("adminBrand", (await getSiteSettings(ctx)).title);
    await next();
    // Signed-in pages hold drafts and subscribers' data: no browser or proxy may keep a copy.
    if (!c.res.headers.has("Cache-Control")) c.res.headers.set("Cache-Control", "no-store");
  });
  for (const p of pages) p.routes(ctx, app);
  return app;
}

const OUTER = Symbol("outer context");
type Forwarded = Record<string | symbol, unknown> & { [OUTER]: Context<AppEnv> };

/**
 * The admin as a handler for the public app: built on the first request under /admin, as its
 * own Hono app behind the public one, with the same request variables (user, CSRF token, CSP
 * nonce) and Node bindings; unknown paths get the site's 404 page and errors it does not handle
 * itself go to the public app's error handler.
 */
export function lazyAdmin(ctx: AppContext): Handler<AppEnv> {
  let loaded: Promise<Hono<AppEnv>> | undefined;
  const load = async () => {
    const inner = new Hono<AppEnv>();
    inner.use("*", async (c, next) => {
      const outer = (c.env as Forwarded)[OUTER];
      c.set("user", outer.get("user"));
      c.set("csrfToken", outer.get("csrfToken"));
      c.set("nonce", outer.get("nonce"));
      await next();
    });
    inner.route("/admin", await adminRoutes(ctx));
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
