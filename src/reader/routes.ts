/**
 * The reader's admin pages, registered on the admin app (so they share its session, CSRF and
 * role checks): the inbox, sources and folders, saves, discover. Each part adds its routes here.
 */
import type { Hono } from "hono";
import type { AppContext } from "../lib/context.ts";
import type { AppEnv } from "../lib/http/env.ts";
import { discoverRoutes } from "./discover/routes.ts";
import { inboxRoutes } from "./inbox/routes.ts";
import { savesRoutes } from "./saves/routes.ts";
import { readerSearchRoutes } from "./search/routes.ts";
import { sourcesRoutes } from "./sources/routes.ts";

/** Register every reader route on the admin app. */
export function readerRoutes(ctx: AppContext, app: Hono<AppEnv>): void {
  // Parts register themselves below, e.g. `inboxRoutes(ctx, app);`.
  inboxRoutes(ctx, app);
  savesRoutes(ctx, app);
  discoverRoutes(ctx, app);
  readerSearchRoutes(ctx, app);
  sourcesRoutes(ctx, app);
}
