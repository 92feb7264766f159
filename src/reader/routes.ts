/**
 * The reader's admin pages, registered on the admin app (so they share its session, CSRF and
 * role checks): the inbox, sources and folders, saves, discover. Each part adds its routes here.
 */
import type { Hono } from "hono";
import type { AppContext } from "../lib/context.ts";
import type { AppEnv } from "../lib/http/env.ts";

/** Register every reader route on the admin app. */
export function readerRoutes(_ctx: AppContext, _app: Hono<AppEnv>): void {
  // Parts register themselves below, e.g. `inboxRoutes(ctx, app);`.
}
