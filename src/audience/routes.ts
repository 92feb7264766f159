/**
 * Public audience routes: /subscribe (form and POST), /subscribe/confirm/:token, and
 * /unsubscribe/:token (a page with a button; POST unsubscribes, including RFC 8058 one-click
 * from mail clients). The subscribe POST answers the same whether or not the address is known,
 * and is guarded by a signed form token (minimum fill time, same-site), a honeypot and a rate
 * limit per address.
 */
import { type Context, Hono } from "hono";
import { bodyLimit } from "hono/body-limit";
import { formBody, many, one } from "../admin/request.ts";
import { RateLimiter } from "../auth/rate-limit.ts";
import type { AppContext } from "../lib/context.ts";
import { HttpError, ValidationError } from "../lib/errors.ts";
import { clientIp } from "../lib/http/client-ip.ts";
import type { AppEnv } from "../lib/http/env.ts";
import { signToken, verifyToken } from "../lib/tokens.ts";
import { loadChrome } from "../site/service.ts";
import { h } from "../site/views/html.ts";
import { confirmSubscription, requestSubscription, unsubscribe, unsubscribeTarget } from "./service.ts";
import { audienceStore } from "./store.ts";
import { audiencePage, subscribeForm, unsubscribeBody } from "./views.ts";

/** A form filled faster than this is a bot's. */
export const MIN_FILL_MS = 2000;
const FORM_TTL_MS = 24 * 3600_000;

/** Public audience routes, mounted on the main app before the site. */
export function audienceRoutes(ctx: AppContext): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  const limiter = new RateLimiter({ limit: 10, windowMs: 3600_000, now: ctx.now });
  const formToken = () => {
    const now = ctx.now().getTime();
    return signToken(ctx.secret, "subscribe-form", String(now), now + FORM_TTL_MS);
  };
  const page = async (c: Context<AppEnv>, title: string, body: ReturnType<typeof h>, status = 200) => {
    c.header("Cache-Control", "no-store");
    return c.html(audiencePage(await loadChrome(ctx), c.req.path, title, body), status as 200);
  };
  const formPage = async (
    c: Context<AppEnv>,
    extra: Partial<Parameters<typeof subscribeForm>[0]> = {},
    status = 200,
  ) => {
    const lists = await audienceStore(ctx.db).publicLists();
    if (lists.length === 0) return page(c, "Subscribe", h`<p>There is nothing to subscribe to yet.</p>`, 404);
    return page(c, "Subscribe", subscribeForm({ lists, token: formToken(), ...extra }), status);
  };

  // Public forms are small: refuse big bodies before reading them.
  const small = bodyLimit({
    maxSize: 64 * 1024,
    onError: () => {
      throw new HttpError(413, "The form is too large.");
    },
  });
  app.use("/subscribe", small);
  app.use("/unsubscribe/*", small);

  app.get("/subscribe", (c) => formPage(c));

  app.post("/subscribe", async (c) => {
    const ip = clientIp(c);
    if (limiter.retryAfter(ip) > 0)
      throw new HttpError(429, "Too many subscription requests from your address. Try again in an hour.");
    limiter.hit(ip);
    const origin = c.req.header("origin");
    if (origin && origin !== new URL(ctx.config.baseUrl).origin)
      throw new HttpError(403, "This form can only be sent from this site.");
    const body = await formBody(c);
    const issued = verifyToken(ctx.secret, "subscribe-form", one(body, "t"), ctx.now().getTime());
    if (!issued) return formPage(c, { error: "The form had expired. Please send it again." }, 400);
    const email = one(body, "email");
    const lists = many(body, "lists");
    const done = () =>
      page(
        c,
        "Check your inbox",
        h`<p>If the address is right, a message with a link to confirm is on its way. Nothing else is sent until you confirm.</p>`,
      );
    // Bots: the same answer as a person gets, and nothing recorded or sent.
    if (one(body, "website") !== "" || ctx.now().getTime() - Number(issued) < MIN_FILL_MS) return done();
    try {
      await requestSubscription(ctx, {
        email,
        name: one(body, "name"),
        lists,
        sourcePage: c.req.header("referer") ?? "/subscribe",
      });
    } catch (err) {
      if (err instanceof ValidationError)
        return formPage(c, { error: err.message, email, name: one(body, "name"), checked: lists }, 400);
      throw err;
    }
    return done();
  });

  app.get("/subscribe/confirm/:token", async (c) => {
    const lists = await confirmSubscription(ctx, c.req.param("token"));
    return page(
      c,
      "You're subscribed",
      h`<p>Thank you. You are subscribed to ${lists.map((l) => l.name).join(", ")}. Every email has a link to unsubscribe in one click.</p>`,
    );
  });

  app.get("/unsubscribe/:token", async (c) => {
    const { sub, list } = await unsubscribeTarget(ctx, c.req.param("token"));
    const person = await audienceStore(ctx.db).subscriberById(sub.subscriber_id);
    if (sub.status === "unsubscribed")
      return page(c, "Unsubscribed", h`<p>You are not subscribed to ${list.name}.</p>`);
    return page(c, "Unsubscribe", unsubscribeBody(list, person?.email ?? "this address", c.req.param("token")));
  });

  app.post("/unsubscribe/:token", async (c) => {
    const list = await unsubscribe(ctx, c.req.param("token"));
    return page(c, "Unsubscribed", h`<p>Done: ${list.name} will not be sent to you again.</p>`);
  });
  return app;
}
