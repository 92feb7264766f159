/** Session middleware (stub: filled in by the auth module). */
import type { MiddlewareHandler } from "hono";
import type { AppContext } from "../lib/context.ts";
import type { AppEnv } from "../lib/http/env.ts";

export function sessionMiddleware(_ctx: AppContext): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    c.set("user", null);
    c.set("csrfToken", "");
    await next();
  };
}
