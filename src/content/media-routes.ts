/** Public serving of uploaded media under /media (stub: filled in with uploads). */
import { Hono } from "hono";
import type { AppContext } from "../lib/context.ts";
import type { AppEnv } from "../lib/http/env.ts";

export function mediaRoutes(_ctx: AppContext): Hono<AppEnv> {
  return new Hono<AppEnv>();
}
