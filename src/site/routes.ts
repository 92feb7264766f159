import { Hono } from "hono";
import type { AppContext } from "../lib/context.ts";
import type { AppEnv } from "../lib/http/env.ts";

export function siteRoutes(_ctx: AppContext): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  app.get("/", (c) => c.html("<!doctype html><title>Liner Notes</title><h1>Liner Notes</h1>"));
  return app;
}
