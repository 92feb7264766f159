/**
 * Request-level auth: who is signed in (`c.get("user")`), the CSRF token for this request's forms
 * (`c.get("csrfToken")`), and `csrf()` for routes that change state. (The role guard of admin
 * pages, `requireUser`, is in lib/http/require-user.ts: every module's admin uses it.)
 *
 * The session middleware runs on every request, public pages included, so the signed-out path is
 * kept to a header read: no database query and no crypto unless a session cookie is present.
 */
import type { MiddlewareHandler } from "hono";
import { getCookie } from "hono/cookie";
import type { AppContext } from "../lib/context.ts";
import { HttpError } from "../lib/errors.ts";
import type { AppEnv } from "../lib/http/env.ts";
import { isValidVisitorToken, loadSession, SESSION_COOKIE, safeEqual, VISITOR_CSRF_COOKIE } from "./session.ts";

const SAFE_METHODS = new Set(["GET", "HEAD", "OPTIONS"]);

/** Sets `user` and `csrfToken` on every request. */
export function sessionMiddleware(ctx: AppContext): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    c.set("user", null);
    c.set("csrfToken", "");
    if (c.req.raw.headers.has("cookie")) {
      const token = getCookie(c, SESSION_COOKIE);
      const session = token ? await loadSession(ctx, c, token) : null;
      if (session) {
        c.set("user", session.user);
        c.set("csrfToken", session.csrfToken);
      } else {
        const visitor = getCookie(c, VISITOR_CSRF_COOKIE) ?? "";
        // The signature is only worth checking when the token is about to be trusted.
        if (SAFE_METHODS.has(c.req.method) || isValidVisitorToken(ctx, visitor)) c.set("csrfToken", visitor);
      }
    }
    await next();
  };
}

/** Is the request's Origin (when sent) ours: the configured base URL, or the host it came to. */
function sameOrigin(origin: string, host: string | undefined, baseUrl: string | undefined): boolean {
  if (origin === "null") return false;
  try {
    const o = new URL(origin);
    if (baseUrl && o.origin === new URL(baseUrl).origin) return true;
    return !!host && o.host === host;
  } catch {
    return false;
  }
}

/**
 * CSRF protection for state-changing requests (POST, PUT, PATCH, DELETE): refuses cross-origin
 * `Origin` / `Sec-Fetch-Site` headers, then requires the request's token in the `X-CSRF-Token`
 * header or a `_csrf` form field, compared in constant time. Safe methods pass through.
 * Pass the context so the configured base URL counts as our origin behind a proxy.
 */
export function csrf(ctx?: AppContext): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    if (SAFE_METHODS.has(c.req.method)) return next();
    const origin = c.req.header("origin");
    if (origin && !sameOrigin(origin, c.req.header("host") ?? new URL(c.req.url).host, ctx?.config.baseUrl)) {
      throw new HttpError(403, "This form was sent from another site, so it was refused.");
    }
    if (c.req.header("sec-fetch-site") === "cross-site") {
      throw new HttpError(403, "This form was sent from another site, so it was refused.");
    }
    const expected = c.get("csrfToken");
    let sent = c.req.header("x-csrf-token");
    if (!sent) {
      const body = await c.req.parseBody();
      sent = typeof body._csrf === "string" ? body._csrf : undefined;
    }
    if (!expected || !sent || !safeEqual(sent, expected)) {
      throw new HttpError(
        403,
        "The form's security token is missing or out of date. Go back, reload the page and try again.",
      );
    }
    await next();
  };
}
