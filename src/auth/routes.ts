import { Hono } from "hono";
import type { AppContext } from "../lib/context.ts";
import type { AppEnv } from "../lib/http/env.ts";

export function authRoutes(_ctx: AppContext): Hono<AppEnv> {
  return new Hono<AppEnv>();
}
