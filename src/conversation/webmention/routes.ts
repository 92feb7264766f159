/**
 * The Webmention endpoint (W3C Webmention, 3.2): POST /webmention takes `source` and `target` as
 * form fields, answers 400 with the reason when the target is not one of our published posts (or
 * either URL is bad), else 201 Created with a status URL in Location, and verifies later (a job).
 * GET /webmention/status/TOKEN says how that went. Rate-limited per sending address.
 */
import { Hono } from "hono";
import { bodyLimit } from "hono/body-limit";
import type { AppContext } from "../../lib/context.ts";
import { HttpError, NotFoundError, ValidationError } from "../../lib/errors.ts";
import { clientIp } from "../../lib/http/client-ip.ts";
import type { AppEnv } from "../../lib/http/env.ts";
import { formBody, one } from "../../lib/http/request.ts";
import { rateLimit } from "../../lib/limits/limiter.ts";
import { acceptWebmention, statusOf } from "./receive.ts";

/** The endpoint and its status pages. */
export function webmentionRoutes(ctx: AppContext): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  const limiter = rateLimit(ctx, { name: "webmention", limit: ctx.config.webmentionsPerHour, windowMs: 3600_000 });
  app.use(
    "/webmention",
    bodyLimit({
      maxSize: 16 * 1024,
      onError: () => {
        throw new HttpError(413, "A Webmention is two URLs: this request is too large.");
      },
    }),
  );
  app.get("/webmention", (c) => {
    c.header("Allow", "POST");
    return c.text("This is a Webmention endpoint: POST source and target as form fields (W3C Webmention).\n", 405);
  });
  app.post("/webmention", async (c) => {
    if ((await limiter.hit(clientIp(c))).limited)
      throw new HttpError(429, "Too many Webmentions from your address. Please try again in an hour.");
    const type = c.req.header("content-type") ?? "";
    if (!type.startsWith("application/x-www-form-urlencoded") && !type.startsWith("multipart/form-data"))
      return c.text("Send source and target as application/x-www-form-urlencoded form fields.\n", 415);
    const body = await formBody(c);
    try {
      const { token } = await acceptWebmention(ctx, one(body, "source").trim(), one(body, "target").trim());
      const status = `${ctx.config.baseUrl}/webmention/status/${token}`;
      c.header("Location", status);
      return c.text(`Accepted: it will be verified shortly. Status: ${status}\n`, 201);
    } catch (err) {
      if (err instanceof ValidationError) return c.text(`${err.message}\n`, 400);
      throw err;
    }
  });
  app.get("/webmention/status/:token", async (c) => {
    const row = await statusOf(ctx, c.req.param("token"));
    if (!row) throw new NotFoundError("There is no Webmention with this status address.");
    c.header("Cache-Control", "no-store");
    return c.json({
      source: row.source,
      target: row.target,
      status: row.status,
      detail: row.detail,
      received_at: row.received_at,
      checked_at: row.checked_at,
    });
  });
  return app;
}
