/** STUB (replaced by the sending work): the post's Webmentions page in the admin. */
import type { Hono } from "hono";
import type { AppContext } from "../../lib/context.ts";
import type { AppEnv } from "../../lib/http/env.ts";

/** Register /admin/posts/:id/webmentions. */
export function webmentionSendRoutes(_ctx: AppContext, _app: Hono<AppEnv>): void {}
