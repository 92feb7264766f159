/**
 * Public audience routes: /subscribe (form and POST), /subscribe/confirm/:token (a button; POST
 * confirms), /preferences/:token, and
 * /unsubscribe/:token (a page with a button; POST unsubscribes, including RFC 8058 one-click
 * from mail clients), and /e/:token (a counted link of a new-post email). The subscribe POST answers the same whether or not the address is known,
 * and is guarded by a signed form token (minimum fill time, same-site), a honeypot and a rate
 * limit per address.
 */
import { type Context, Hono } from "hono";
import type { AppContext } from "../lib/context.ts";
import { NotFoundError, ValidationError } from "../lib/errors.ts";
import { h } from "../lib/html.ts";
import { clientIp, readerOf } from "../lib/http/client-ip.ts";
import type { AppEnv } from "../lib/http/env.ts";
import { HONEYPOT, publicFormGuard } from "../lib/http/public-form.ts";
import { formBody, many, one } from "../lib/http/request.ts";
import { oncePerWindow } from "../lib/limits/limiter.ts";
import { loadChrome } from "../site/index.ts";
import { postClicksStore } from "./clicks-store.ts";
import { andList } from "./confirm-email.ts";
import { linkOfToken, openCounterOfToken, PIXEL } from "./post-clicks.ts";
import { loadPreferences, savePreferences } from "./preferences.ts";
import {
  confirmationLists,
  confirmSubscription,
  requestSubscription,
  shownLists,
  unsubscribe,
  unsubscribeTarget,
} from "./service.ts";
import { audienceStore } from "./store.ts";
import { audiencePage, preferencesBody, subscribeForm, unsubscribeBody } from "./views.ts";

/** Public audience routes, mounted on the main app before the site. */
export function audienceRoutes(ctx: AppContext): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  const guard = publicFormGuard(ctx, { purpose: "subscribe-form", perHour: 10 });
  const page = async (c: Context<AppEnv>, title: string, body: ReturnType<typeof h>, status = 200) => {
    c.header("Cache-Control", "no-store");
    return c.html(audiencePage(await loadChrome(ctx), c.req.path, title, body), status as 200);
  };
  const formPage = async (
    c: Context<AppEnv>,
    extra: Partial<Parameters<typeof subscribeForm>[0]> = {},
    status = 200,
  ) => {
    const lists = await shownLists(ctx);
    if (lists.length === 0) return page(c, "Subscribe", h`<p>There is nothing to subscribe to yet.</p>`, 404);
    return page(c, "Subscribe", subscribeForm({ lists, token: guard.token(), ...extra }), status);
  };

  // Public forms are small: refuse big bodies before reading them.
  app.use("/subscribe", guard.bodyLimit);
  app.use("/unsubscribe/*", guard.bodyLimit);
  app.use("/preferences/*", guard.bodyLimit);
  app.use("/subscribe/confirm/*", guard.bodyLimit);

  app.get("/subscribe", (c) => formPage(c));

  // The form at the end of posts is in cached pages, so it cannot carry a fresh token; a small
  // script fetches one when the visitor starts typing. Without the script, the visitor gets
  // this page's form filled in and sends it once more.
  app.get("/subscribe/token", (c) => {
    c.header("Cache-Control", "no-store");
    return c.json({ t: guard.refillToken() });
  });

  app.post("/subscribe", async (c) => {
    await guard.admit(c);
    const body = await formBody(c);
    const email = one(body, "email");
    const lists = many(body, "lists");
    const verdict = guard.verdict({ t: one(body, "t"), honeypot: one(body, HONEYPOT) });
    // The page the visitor subscribed on: the post's (kept through a second press), else the referrer.
    const sourcePage = one(body, "source") || c.req.header("referer") || "/subscribe";
    if (verdict === "expired" || verdict === "too-fast") {
      const again = { email, name: one(body, "name"), checked: lists, token: guard.refillToken(), source: sourcePage };
      if (one(body, "t") === "" || verdict === "too-fast")
        return formPage(c, { ...again, notice: "One more step: press Subscribe to send it." });
      return formPage(c, { ...again, error: "The form had expired. Please send it again." }, 400);
    }
    const done = () =>
      page(
        c,
        "Check your inbox",
        h`<p>If the address is right, a message with a link to confirm is on its way. Nothing else is sent until you confirm.</p>`,
      );
    // Bots: the same answer as a person gets, and nothing recorded or sent.
    if (verdict === "bot") return done();
    try {
      await requestSubscription(
        ctx,
        {
          email,
          name: one(body, "name"),
          lists,
          sourcePage,
        },
        readerOf(c),
      );
    } catch (err) {
      if (err instanceof ValidationError)
        return formPage(
          c,
          {
            error: err.message,
            email,
            name: one(body, "name"),
            checked: lists,
            token: guard.refillToken(),
            source: sourcePage,
          },
          400,
        );
      throw err;
    }
    return done();
  });

  // GET only shows a button: mail scanners that open links must not confirm on someone's behalf.
  app.get("/subscribe/confirm/:token", async (c) => {
    const [lists, chrome] = await Promise.all([confirmationLists(ctx, c.req.param("token")), loadChrome(ctx)]);
    const names = andList(lists.map((l) => l.name));
    return page(
      c,
      `Confirm your subscription to ${names} from ${chrome.settings.title}`,
      h`<p>Press the button to get ${names} by email. Every email has a link to unsubscribe in one click.</p>
<form method="post" action="/subscribe/confirm/${c.req.param("token")}"><button type="submit">Yes, subscribe me</button></form>`,
    );
  });

  app.post("/subscribe/confirm/:token", async (c) => {
    const lists = await confirmSubscription(ctx, c.req.param("token"), readerOf(c));
    return page(
      c,
      "You're subscribed",
      h`<p>Thank you. You are subscribed to ${andList(lists.map((l) => l.name))}. Every email has a link to unsubscribe in one click.</p>`,
    );
  });

  // A counted link of a new-post email: counts the click for its link and send, then redirects.
  // HEAD (link checkers, previews) and repeats by one client within the hour are not counted.
  const seen = oncePerWindow(ctx, { name: "post-click", windowMs: 3600_000 });
  app.on(["GET", "HEAD"], "/e/:token", async (c) => {
    const id = linkOfToken(ctx, c.req.param("token"));
    const store = postClicksStore(ctx.db);
    const link = id ? await store.link(id) : undefined;
    if (!link) throw new NotFoundError("This link is not valid.");
    if (c.req.method === "GET" && (await seen.first(`${link.id}|${clientIp(c)}|${c.req.header("user-agent") ?? ""}`)))
      await store.click(link.id);
    c.header("Cache-Control", "no-store");
    c.header("Referrer-Policy", "no-referrer");
    return c.redirect(link.url, 302);
  });

  // The open-counting image of a send whose owner turned it on; once per client per hour.
  app.get("/e/o/:token", async (c) => {
    const id = openCounterOfToken(ctx, c.req.param("token"));
    if (!id) throw new NotFoundError("This image is not valid.");
    if (c.req.method === "GET" && (await seen.first(`open|${id}|${clientIp(c)}|${c.req.header("user-agent") ?? ""}`)))
      await postClicksStore(ctx.db).open(id);
    c.header("Cache-Control", "no-store");
    c.header("Content-Type", "image/gif");
    return c.body(PIXEL);
  });

  // Links of "send a test to me" messages: nothing to unsubscribe from.
  const testMessage = (c: Context<AppEnv>) =>
    page(
      c,
      "A test message",
      h`<p>This was a test message. In the real emails this link unsubscribes the reader in one click (or opens their preferences).</p>`,
    );
  app.get("/unsubscribe/test-message", testMessage);
  app.post("/unsubscribe/test-message", testMessage);

  app.get("/unsubscribe/:token", async (c) => {
    const { sub, list } = await unsubscribeTarget(ctx, c.req.param("token"));
    const person = await audienceStore(ctx.db).subscriberById(sub.subscriber_id);
    if (sub.status === "unsubscribed")
      return page(c, "Unsubscribed", h`<p>You are not subscribed to ${list.name}.</p>`);
    return page(c, "Unsubscribe", unsubscribeBody(list, person?.email ?? "this address", c.req.param("token")));
  });

  app.get("/preferences/:token", async (c) =>
    page(
      c,
      "Email preferences",
      preferencesBody(await loadPreferences(ctx, c.req.param("token")), c.req.param("token")),
    ),
  );

  app.post("/preferences/:token", async (c) => {
    const body = await formBody(c);
    const wanted = one(body, "none") ? [] : many(body, "lists");
    const prefs = await savePreferences(ctx, c.req.param("token"), wanted);
    return page(c, "Email preferences", preferencesBody(prefs, c.req.param("token"), "Saved. Changes apply at once."));
  });

  app.post("/unsubscribe/:token", async (c) => {
    const list = await unsubscribe(ctx, c.req.param("token"));
    return page(c, "Unsubscribed", h`<p>Done: ${list.name} will not be sent to you again.</p>`);
  });
  return app;
}
