/**
 * Password reset pages: `/reset-password` asks for an address and always gives the same answer;
 * `/reset-password/:token` (the emailed or printed link) sets a new password. Both forms are
 * CSRF-protected like the sign-in form; asking for links is rate limited per address (a 429) and
 * per email (quietly: the answer stays the same, and no more mail goes to that inbox).
 */
import { type Context, Hono } from "hono";
import { getCookie } from "hono/cookie";
import { html } from "hono/html";
import type { AppContext } from "../lib/context.ts";
import { ValidationError } from "../lib/errors.ts";
import { clientIp } from "../lib/http/client-ip.ts";
import type { AppEnv } from "../lib/http/env.ts";
import { rateLimit } from "../lib/limits/limiter.ts";
import { messagePage } from "../lib/ui/layout.ts";
import { mailCanLeave, normalizeEmail } from "../mail/index.ts";
import { csrf } from "./middleware.ts";
import { RESET_HOURS, requestPasswordReset, resetLinkEmail, resetLinkState, resetPassword } from "./reset.ts";
import { newPasswordPage, resetRequestPage, resetSentPage } from "./reset-views.ts";
import { endSession, ensureVisitorCsrf, SESSION_COOKIE, startSession } from "./session.ts";
import type { LoginThrottle } from "./throttle.ts";

/** Reset requests per address per hour, and emails per address (inbox) per hour. */
export const RESET_IP_LIMIT = 10;
export const RESET_EMAIL_LIMIT = 3;
const HOUR = 3_600_000;

const str = (v: unknown): string => (typeof v === "string" ? v : "");

/** The reset pages; `throttle` is the sign-in page's, whose delays a reset lifts for its address. */
export function resetRoutes(ctx: AppContext, throttle: LoginThrottle): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  const byIp = rateLimit(ctx, { name: "reset-ip", limit: RESET_IP_LIMIT, windowMs: HOUR });
  const byEmail = rateLimit(ctx, { name: "reset-email", limit: RESET_EMAIL_LIMIT, windowMs: HOUR });

  app.get("/reset-password", (c) => {
    ensureVisitorCsrf(ctx, c);
    return resetRequestPage(c, { canMail: mailCanLeave(ctx) });
  });

  app.post("/reset-password", csrf(ctx), async (c) => {
    const raw = str((await c.req.parseBody()).email);
    const canMail = mailCanLeave(ctx);
    let email: string;
    try {
      email = normalizeEmail(raw);
    } catch (err) {
      if (!(err instanceof ValidationError)) throw err;
      return resetRequestPage(c, { email: raw, errors: { email: err.message }, status: 422, canMail });
    }
    const ip = await byIp.hit(clientIp(c));
    if (ip.limited) {
      c.header("Retry-After", String(Math.ceil(ip.retryAfterMs / 1000)));
      const minutes = Math.ceil(ip.retryAfterMs / 60_000);
      return resetRequestPage(c, {
        email,
        canMail,
        status: 429,
        error: `Too many reset requests from your address. Please wait ${minutes} minute${minutes === 1 ? "" : "s"} and try again.`,
      });
    }
    // Limited or not, and account or not, the answer is the same.
    if (!(await byEmail.hit(email)).limited) await requestPasswordReset(ctx, email);
    return resetSentPage(c, email, RESET_HOURS, canMail);
  });

  /** The page for a link that cannot be used; undefined when it can. */
  async function refuse(c: Context<AppEnv>, token: string) {
    const state = await resetLinkState(ctx, token);
    if (state === "valid") return undefined;
    const again = html`<p><a href="/reset-password">Ask for a new link</a></p>`;
    if (state === "unknown") {
      return messagePage(
        c,
        404,
        "Reset link not valid",
        "This password reset link is not valid: check that you copied all of it. A link stops working when a newer one is sent.",
        again,
      );
    }
    if (state === "used") {
      return messagePage(
        c,
        410,
        "Reset link already used",
        "This one-time link has already been used to set a password.",
        again,
      );
    }
    return messagePage(
      c,
      410,
      "Reset link expired",
      `Reset links work for ${RESET_HOURS} hour${RESET_HOURS === 1 ? "" : "s"}; this one has expired.`,
      again,
    );
  }

  app.get("/reset-password/:token", async (c) => {
    const token = c.req.param("token");
    const refused = await refuse(c, token);
    if (refused) return refused;
    ensureVisitorCsrf(ctx, c);
    return newPasswordPage(c, { token, email: (await resetLinkEmail(ctx, token)) ?? "" });
  });

  app.post("/reset-password/:token", csrf(ctx), async (c) => {
    const token = c.req.param("token");
    // Checked before the password is hashed: a made-up link costs no argon2.
    const refused = await refuse(c, token);
    if (refused) return refused;
    const password = str((await c.req.parseBody()).password);
    let user: Awaited<ReturnType<typeof resetPassword>>;
    try {
      user = await resetPassword(ctx, token, password);
    } catch (err) {
      if (!(err instanceof ValidationError)) throw err;
      const email = (await resetLinkEmail(ctx, token)) ?? "";
      return newPasswordPage(c, {
        token,
        email,
        errors: { password: err.message.replace(/^\w+: /, "") },
        status: 422,
      });
    }
    // Used by another tab between the check and now.
    if (!user) return (await refuse(c, token)) ?? c.redirect("/login", 303);
    // Every session of the user ended with the reset; this browser gets a fresh one, and its
    // address may sign in again at once.
    await throttle.forgive(user.email, clientIp(c));
    await endSession(ctx, c, getCookie(c, SESSION_COOKIE), false);
    await startSession(ctx, c, user.id);
    return c.redirect("/admin?msg=password", 303);
  });

  return app;
}
