/**
 * POST /mail/webhook: bounces and complaints reported by the mail provider suppress the address
 * (and withdraw its queued bulk mail). Authenticated with the shared secret
 * LINER_MAIL_WEBHOOK_SECRET as `Authorization: Bearer SECRET`; off (404) when it is unset.
 * Body: {"type": "bounce" | "complaint", "email": "a@example.net", "detail": "optional text"},
 * or {"events": [ ... ]} with several.
 */
import { timingSafeEqual } from "node:crypto";
import { Hono } from "hono";
import { bodyLimit } from "hono/body-limit";
import { z } from "zod";
import type { AppContext } from "../lib/context.ts";
import { HttpError, NotFoundError, ValidationError } from "../lib/errors.ts";
import type { AppEnv } from "../lib/http/env.ts";
import { normalizeEmail } from "./service.ts";
import { mailStore } from "./store.ts";

const event = z.object({
  type: z.enum(["bounce", "complaint"], { error: 'type must be "bounce" or "complaint"' }),
  email: z.string({ error: "email is required" }),
  detail: z.string().max(1000).optional(),
});
const batch = z.object({ events: z.array(event).min(1).max(1000) });

function authorized(header: string | undefined, secret: string): boolean {
  const given = Buffer.from(header?.replace(/^Bearer\s+/i, "") ?? "");
  const want = Buffer.from(secret);
  return given.length === want.length && timingSafeEqual(given, want);
}

/** The webhook route, mounted on the main app. */
export function mailWebhookRoutes(ctx: AppContext): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  app.post(
    "/mail/webhook",
    bodyLimit({
      maxSize: 1024 * 1024,
      onError: () => {
        throw new HttpError(413, "The webhook body is larger than 1 MB.");
      },
    }),
    async (c) => {
      const secret = ctx.config.mail.webhookSecret;
      if (!secret) throw new NotFoundError();
      if (!authorized(c.req.header("authorization"), secret))
        throw new HttpError(401, "Wrong or missing webhook secret.");
      let body: unknown;
      try {
        body = await c.req.json();
      } catch (err) {
        throw new ValidationError("The webhook body is not JSON.", { cause: err });
      }
      // One event or a batch, told apart by shape, so an error names the field that is wrong.
      const isBatch = typeof body === "object" && body !== null && "events" in body;
      const parsed = isBatch ? batch.safeParse(body) : event.safeParse(body);
      if (!parsed.success) {
        const issue = parsed.error.issues[0];
        throw new ValidationError(`Bad webhook event at ${issue.path.join(".") || "body"}: ${issue.message}`);
      }
      const events = "events" in parsed.data ? parsed.data.events : [parsed.data as z.infer<typeof event>];
      const emails = events.map((e, i) => normalizeEmail(e.email, `events.${i}.email`));
      const store = mailStore(ctx.db);
      let withdrawn = 0;
      for (const [i, e] of events.entries()) {
        withdrawn += await store.suppress(emails[i], e.type, e.detail ?? "", ctx.now().toISOString());
      }
      return c.json({ suppressed: events.length, withdrawn });
    },
  );
  return app;
}
