/**
 * Public event routes: /events (upcoming), /events.ics (every published event), registration
 * at /events/:slug/register (an uncached page with a fresh form token, and the POST), and the
 * cancel link /events/cancel/:token (GET shows a button, POST cancels). Registration is guarded
 * like every public form (token with minimum fill time, honeypot, same-site, rate limit).
 */
import { type Context, Hono } from "hono";
import type { AppContext } from "../lib/context.ts";
import { ValidationError } from "../lib/errors.ts";
import { h } from "../lib/html.ts";
import { readerOf } from "../lib/http/client-ip.ts";
import type { AppEnv } from "../lib/http/env.ts";
import { HONEYPOT, publicFormGuard } from "../lib/http/public-form.ts";
import { formBody, one } from "../lib/http/request.ts";
import { loadChrome } from "../site/index.ts";
import {
  assertOpen,
  availability,
  calendarOf,
  cancelRegistration,
  cancelTarget,
  publicEvent,
  register,
  upcomingEvents,
} from "./service.ts";
import { type EventPost, eventStore } from "./store.ts";
import { eventsPage, upcomingPage } from "./views/pages.ts";
import { cancelBody, type RegistrationFormData, registeredBody, registrationForm } from "./views/public.ts";

/** Public event routes, mounted on the main app before the site. */
export function eventRoutes(ctx: AppContext): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  const guard = publicFormGuard(ctx, { purpose: "event-form", perHour: 20 });
  const page = async (c: Context<AppEnv>, title: string, body: ReturnType<typeof h>, status = 200) => {
    c.header("Cache-Control", "no-store");
    return c.html(eventsPage(await loadChrome(ctx), c.req.path, title, body), status as 200);
  };
  const formPage = async (c: Context<AppEnv>, ev: EventPost, extra: Partial<RegistrationFormData>, status = 200) => {
    const a = await availability(ctx, ev);
    const form = registrationForm({ ev, token: guard.token(), waitlist: a.waitlist, ...extra });
    return page(c, `Register: ${ev.title}`, form, status);
  };

  app.use("/events/*", guard.bodyLimit);

  app.get("/events", async (c) => {
    const rows = await upcomingEvents(ctx);
    // Not in the page cache: the list changes as events pass, not only when content changes.
    c.header("Cache-Control", "public, max-age=60");
    return c.html(upcomingPage(await loadChrome(ctx), rows));
  });

  app.get("/events.ics", async (c) => {
    const events = await eventStore(ctx.db).published(ctx.now().toISOString());
    c.header("Content-Type", "text/calendar; charset=utf-8");
    c.header("Content-Disposition", `inline; filename="events.ics"`);
    c.header("Cache-Control", "public, max-age=300");
    return c.body(await calendarOf(ctx, events));
  });

  // The form on the (cached) event page fetches its token here.
  app.get("/events/token", (c) => {
    c.header("Cache-Control", "no-store");
    return c.json({ t: guard.refillToken() });
  });

  app.get("/events/cancel/:token", async (c) => {
    const token = c.req.param("token");
    const { reg, ev } = await cancelTarget(ctx, token);
    const lang = (await loadChrome(ctx)).settings.language;
    return page(c, "Cancel your registration", cancelBody(ev, reg.status, token, lang));
  });

  app.post("/events/cancel/:token", async (c) => {
    const { ev, was } = await cancelRegistration(ctx, c.req.param("token"));
    const what = was === "waitlisted" ? "You have left the waitlist for" : "Your registration is cancelled for";
    return page(
      c,
      "Cancelled",
      h`<p>${what} <a href="/posts/${ev.slug}">${ev.title}</a>. Thank you for letting us know.</p>`,
    );
  });

  app.get("/events/:slug/register", async (c) => {
    const ev = await publicEvent(ctx, c.req.param("slug"));
    assertOpen(ctx, ev);
    return formPage(c, ev, {});
  });

  app.post("/events/:slug/register", async (c) => {
    const ev = await publicEvent(ctx, c.req.param("slug"));
    await guard.admit(c);
    const body = await formBody(c);
    const values = { name: one(body, "name"), email: one(body, "email"), answer: one(body, "answer") };
    assertOpen(ctx, ev);
    const verdict = guard.verdict({ t: one(body, "t"), honeypot: one(body, HONEYPOT) });
    if (verdict === "expired" || verdict === "too-fast") {
      const again = { values, token: guard.refillToken() };
      if (one(body, "t") === "" || verdict === "too-fast")
        return formPage(c, ev, { ...again, notice: "One more step: press the button to send it." });
      return formPage(c, ev, { ...again, notice: "The form had expired. Please send it again." }, 400);
    }
    const lang = (await loadChrome(ctx)).settings.language;
    const done = (status: "registered" | "waitlisted") =>
      page(
        c,
        status === "registered" ? "You're registered" : "You're on the waitlist",
        registeredBody(ev, status, lang),
      );
    // Bots get the answer a person would get, and nothing is recorded or sent.
    if (verdict === "bot") return done((await availability(ctx, ev)).waitlist ? "waitlisted" : "registered");
    try {
      const status = await register(
        ctx,
        ev,
        { ...values, sourcePage: c.req.header("referer") ?? `/posts/${ev.slug}` },
        readerOf(c),
      );
      return done(status);
    } catch (err) {
      if (!(err instanceof ValidationError)) throw err;
      // Shown again to be corrected: no new minimum fill time, so a quick fix is not lost.
      const error = { field: err.field ?? "", message: err.message };
      return formPage(c, ev, { values, error, token: guard.refillToken() }, 400);
    }
  });

  return app;
}
