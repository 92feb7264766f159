/**
 * Sign in, sign out and the one-time setup link. Every form here is CSRF-protected; signed-out
 * visitors get a double-submit CSRF cookie when they open the sign-in or setup page.
 */
import { type Context, Hono } from "hono";
import { getCookie } from "hono/cookie";
import { html } from "hono/html";
import type { AppContext } from "../lib/context.ts";
import { ValidationError } from "../lib/errors.ts";
import { clientIp } from "../lib/http/client-ip.ts";
import type { AppEnv } from "../lib/http/env.ts";
import type { FieldErrors } from "../lib/ui/form.ts";
import { messagePage } from "../lib/ui/layout.ts";
import { csrf } from "./middleware.ts";
import { resetRoutes } from "./reset-routes.ts";
import { endSession, ensureVisitorCsrf, SESSION_COOKIE, startSession } from "./session.ts";
import { consumeSetupToken, releaseSetupToken, setupTokenState } from "./setup.ts";
import { loginThrottle } from "./throttle.ts";
import { createUser, findUserByEmail, ownerEmail, parseUserInput, verifyLogin } from "./users.ts";
import { loginPage, setupPage } from "./views.ts";

const hasControlOrBackslash = (s: string) =>
  [...s].some((ch) => {
    const code = ch.charCodeAt(0);
    return code < 0x20 || code === 0x7f || ch === "\\";
  });

/**
 * A post-login destination, only on this site (no open redirects): `next` is resolved against the
 * base URL the way a browser would (it drops tabs and newlines and reads "\\" as "/", so
 * "/\t/other-host" is "//other-host") and kept only when the origin stays ours. Anything with
 * control characters or backslashes is refused outright. Pure.
 */
export function safeNext(next: unknown, baseUrl: string): string {
  if (typeof next !== "string" || !next.startsWith("/") || hasControlOrBackslash(next)) return "/admin";
  try {
    const base = new URL(baseUrl);
    const url = new URL(next, base);
    return url.origin === base.origin ? `${url.pathname}${url.search}${url.hash}` : "/admin";
  } catch {
    return "/admin";
  }
}

const str = (v: unknown): string => (typeof v === "string" ? v : "");

/** "1 second", "40 seconds", "3 minutes": a wait, rounded up. Pure. */
export function waitText(ms: number): string {
  const seconds = Math.max(1, Math.ceil(ms / 1000));
  if (seconds < 60) return `${seconds} second${seconds === 1 ? "" : "s"}`;
  const minutes = Math.ceil(seconds / 60);
  return `${minutes} minute${minutes === 1 ? "" : "s"}`;
}

export function authRoutes(ctx: AppContext): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  const throttle = loginThrottle(ctx);
  app.route("/", resetRoutes(ctx, throttle));

  app.get("/login", (c) => {
    const next = safeNext(c.req.query("next"), ctx.config.baseUrl);
    if (c.get("user")) return c.redirect(next, 303);
    ensureVisitorCsrf(ctx, c);
    const notice = c.req.query("signedout") ? "You are signed out." : undefined;
    return loginPage(c, { next: c.req.query("next") ? next : "", notice });
  });

  app.post("/login", csrf(ctx), async (c) => {
    const body = await c.req.parseBody();
    const email = str(body.email).trim().toLowerCase();
    const next = safeNext(body.next, ctx.config.baseUrl);
    const password = str(body.password);
    const r = await throttle.attempt(email, clientIp(c), () =>
      email ? verifyLogin(ctx, email, password) : Promise.resolve(null),
    );
    if (r.refused) {
      c.header("Retry-After", String(Math.ceil(r.retryAfterMs / 1000)));
      const error =
        r.refused === "busy"
          ? "Another sign-in is being checked. Please try again in a moment."
          : `Too many sign-in attempts. Please wait ${waitText(r.retryAfterMs)} and try again.`;
      return loginPage(c, { email, next: str(body.next), status: 429, error });
    }
    const user = r.result;
    if (!user) {
      return loginPage(c, {
        email,
        next: str(body.next),
        status: 401,
        error: "That email and password don't match an account. Check them and try again.",
      });
    }
    // A fresh token on every sign-in (no session fixation); the old session, if any, ends.
    await endSession(ctx, c, getCookie(c, SESSION_COOKIE), false);
    await startSession(ctx, c, user.id);
    return c.redirect(next, 303);
  });

  app.post("/logout", csrf(ctx), async (c) => {
    await endSession(ctx, c, getCookie(c, SESSION_COOKIE));
    return c.redirect("/login?signedout=1", 303);
  });

  /** Answers for tokens that cannot be used; undefined when the token is valid. */
  async function refuse(c: Context<AppEnv>, token: string) {
    const t = await setupTokenState(ctx, token);
    if (t.state === "unknown") {
      return {
        res: messagePage(
          c,
          404,
          "Setup link not found",
          "This setup link is not valid. Check that you copied the whole link; a new one is printed when the server starts with no accounts.",
        ),
      };
    }
    if (t.state === "used") {
      return {
        res: messagePage(
          c,
          410,
          "Setup link already used",
          "This one-time setup link has already been used to create an account.",
          html`<p><a href="/login">Sign in</a></p>`,
        ),
      };
    }
    if (t.state === "superseded") {
      return {
        res: messagePage(
          c,
          410,
          "Setup link no longer valid",
          "The site's owner account exists already, so owner setup links no longer work. Sign in, or ask the owner for an account.",
          html`<p><a href="/login">Sign in</a></p>`,
        ),
      };
    }
    if (t.state === "expired") {
      return {
        res: messagePage(
          c,
          410,
          "Setup link expired",
          "This setup link has expired. Restart the server (with no accounts) or run `liner user add` to create one.",
        ),
      };
    }
    return { role: t.role ?? "owner" };
  }

  // The site's identity (title, author) is the owner's to set: an invited editor's link asks only
  // for the account.
  const partsFor = async (role: string) => (role === "owner" ? await ctx.host.setupParts() : []);

  app.get("/setup/:token", async (c) => {
    const token = c.req.param("token");
    const r = await refuse(c, token);
    if (r.res) return r.res;
    ensureVisitorCsrf(ctx, c);
    const parts = await partsFor(r.role);
    const partValues = await Promise.all(parts.map((p) => p.load(ctx)));
    return setupPage(c, { token, role: r.role, parts, partValues });
  });

  app.post("/setup/:token", csrf(ctx), async (c) => {
    const token = c.req.param("token");
    const r = await refuse(c, token);
    if (r.res) return r.res;
    const body = await c.req.parseBody();
    const values = { email: str(body.email), name: str(body.name), password: str(body.password), role: r.role };
    const parts = await partsFor(r.role);
    const partValues = parts.map((p) => p.fromForm((name) => str(body[name])));
    const errors: FieldErrors = {};
    let parsedEmail = "";
    try {
      parsedEmail = parseUserInput(values).email;
      if (await findUserByEmail(ctx, parsedEmail)) {
        throw new ValidationError(`email: ${parsedEmail} already has an account`, { field: "email" });
      }
    } catch (err) {
      if (!(err instanceof ValidationError)) throw err;
      errors[err.field ?? "email"] = err.message.replace(/^\w+: /, "");
    }
    // The parts are checked only once the account's fields are right, so a photo is not stored
    // for a form that comes back anyway.
    const file = (name: string) => (body[name] instanceof File ? (body[name] as File) : undefined);
    const checked: unknown[] = [];
    if (Object.keys(errors).length === 0) {
      for (const [i, p] of parts.entries()) {
        checked.push(await p.check(ctx, partValues[i] ?? {}, file, { name: values.name, email: parsedEmail }, errors));
      }
    }
    if (Object.keys(errors).length > 0) {
      return setupPage(c, { token, role: r.role, values, errors, status: 422, parts, partValues });
    }
    // Consuming first means two tabs submitting at once cannot both create an account; the owner
    // check again after it, for two different owner links submitted at the same moment.
    if (!(await consumeSetupToken(ctx, token))) return (await refuse(c, token)).res ?? c.redirect("/login", 303);
    if (r.role === "owner" && (await ownerEmail(ctx))) {
      return messagePage(c, 410, "Setup link no longer valid", "The site's owner account exists already.");
    }
    let userId: number;
    try {
      userId = (await createUser(ctx, values)).id;
    } catch (err) {
      await releaseSetupToken(ctx, token);
      throw err;
    }
    for (const [i, p] of parts.entries()) await p.save(ctx, checked[i], userId);
    await startSession(ctx, c, userId);
    return c.redirect("/admin?welcome=1", 303);
  });

  return app;
}
