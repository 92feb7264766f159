/**
 * Our Follow activities at their ids (`/ap/follows/{uuid}`), while we still follow the account.
 * A server's Accept or Reject embeds our Follow; Fedify trusts an embedded object only from its
 * own server, so it fetches the Follow from us before inbox.ts sees the answer: the id must lead
 * to the Follow itself. Mounted behind the federation's routes (Fedify answers what it knows first).
 */
import { Hono } from "hono";
import type { AppContext } from "../lib/context.ts";
import type { AppEnv } from "../lib/http/env.ts";

/** Routes serving our Follow activities. */
export function followRoutes(ctx: AppContext): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  app.get("/ap/follows/:id{[0-9a-f-]{36}}", async (c) => {
    const { followDocument } = await import("./follow.ts");
    const json = await followDocument(ctx, new URL(c.req.path, ctx.config.baseUrl).href);
    if (!json) return c.notFound();
    return c.body(JSON.stringify(json), 200, { "content-type": "application/activity+json" });
  });
  return app;
}
