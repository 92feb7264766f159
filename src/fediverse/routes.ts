/**
 * The federation's HTTP side on the app: a small adapter from Hono to `federation.fetch` (there is
 * no @fedify/hono for Fedify 2 here), on the paths Fedify answers (WebFinger, NodeInfo, the actor
 * and its inboxes). What Fedify does not answer (not found, or a browser asking for HTML) goes on
 * to the rest of the app. Other paths never reach Fedify, so pages pay nothing for it.
 */
import { Hono, type MiddlewareHandler } from "hono";
import type { AppContext } from "../lib/context.ts";
import type { AppEnv } from "../lib/http/env.ts";

const PATHS = ["/.well-known/webfinger", "/.well-known/nodeinfo", "/nodeinfo/*", "/ap/*"];

/** Public routes: mounted before the site's. */
export function fediverseRoutes(ctx: AppContext): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  const toFedify: MiddlewareHandler<AppEnv> = async (c, next) => {
    const passOn = async () => {
      await next();
      return c.res;
    };
    // Fedify loads on the first federation request: pages, the CLI and tests that never ask pay nothing.
    const { federationOf } = await import("./federation.ts");
    return federationOf(ctx).fetch(c.req.raw, { contextData: ctx, onNotFound: passOn, onNotAcceptable: passOn });
  };
  for (const path of PATHS) app.use(path, toFedify);
  return app;
}
