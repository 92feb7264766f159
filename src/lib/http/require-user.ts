/** The route guard of admin pages: a signed-in staff member with at least a given role. */
import type { MiddlewareHandler } from "hono";
import type { Role } from "../db/schema.ts";
import { HttpError } from "../errors.ts";
import { hasRole } from "../roles.ts";
import type { AppEnv } from "./env.ts";

const SAFE_METHODS = new Set(["GET", "HEAD", "OPTIONS"]);

const roleNames: Record<Role, string> = {
  author: "authors, editors and the owner",
  editor: "editors and the owner",
  owner: "the site owner",
};

/**
 * Requires a signed-in user with at least `minRole`. Signed-out visitors are sent to the
 * login page (and back afterwards); a user without the role gets a 403 naming who may do it.
 */
export function requireUser(minRole: Role = "author"): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const user = c.get("user");
    if (!user) {
      const url = new URL(c.req.url);
      const back = SAFE_METHODS.has(c.req.method) ? url.pathname + url.search : "/admin";
      return c.redirect(`/login?next=${encodeURIComponent(back)}`, 303);
    }
    if (!hasRole(user.role, minRole)) {
      throw new HttpError(403, `Only ${roleNames[minRole]} can do this. You are signed in as ${user.role}.`);
    }
    await next();
  };
}
