/**
 * Guards for public forms that anyone can send (subscribe, event registration, inquiries): a
 * signed form token that carries when the form was shown (a bot that posts faster than a person
 * can type is answered like a person but nothing is done), a honeypot field, a same-site Origin
 * check, a rate limit per client address, and a small body limit.
 *
 * The rate limit is counted in the database (lib/limits), so it holds across every web process.
 */
import { randomBytes } from "node:crypto";
import type { Context, MiddlewareHandler } from "hono";
import { bodyLimit } from "hono/body-limit";
import type { AppContext } from "../context.ts";
import { HttpError } from "../errors.ts";
import { rateLimit } from "../limits/limiter.ts";
import { signToken, verifyToken } from "../tokens.ts";
import { clientIp } from "./client-ip.ts";
import type { AppEnv } from "./env.ts";

/** A form filled faster than this is a bot's. */
export const MIN_FILL_MS = 2000;
const FORM_TTL_MS = 24 * 3600_000;
/** The name of the honeypot field: hidden from people, filled in by naive bots. */
export const HONEYPOT = "website";

export interface PublicFormOptions {
  /** Token purpose, e.g. "subscribe-form"; a token for one form does not pass another. */
  purpose: string;
  /** Posts allowed per client address per hour. */
  perHour: number;
  minFillMs?: number;
  /** Largest accepted body; 64 KB by default. */
  maxBytes?: number;
}

/**
 * The verdict on a posted form: go ahead; a bot (the honeypot was filled: answer as usual, do
 * nothing); stale or missing token; or sent faster than a person types. The last two show the
 * form again, filled in, to be sent once more: a person loses nothing, a naive bot gets nowhere.
 */
export type FormVerdict = "ok" | "bot" | "expired" | "too-fast";

/** The guard of one public form; see the module comment. */
export interface PublicFormGuard {
  /** A fresh form token to put in the form's hidden `t` field. */
  token(): string;
  /** A token for a form shown again already filled in, or fetched by script once typing began (no minimum fill time). */
  refillToken(): string;
  /** Rate limit and Origin check; throws HttpError 429 / 403. Call before reading the body. */
  admit(c: Context<AppEnv>): Promise<void>;
  /** Judge the posted fields (`t` and the honeypot). */
  verdict(fields: { t: string; honeypot: string }): FormVerdict;
  /** A body limit for the form's routes (64 KB unless the options say otherwise). */
  bodyLimit: MiddlewareHandler<AppEnv>;
}

/** Make the guard for one public form. */
export function publicFormGuard(ctx: AppContext, opts: PublicFormOptions): PublicFormGuard {
  const limiter = rateLimit(ctx, { name: `form:${opts.purpose}`, limit: opts.perHour, windowMs: 3600_000 });
  const minFill = opts.minFillMs ?? MIN_FILL_MS;
  const issue = (refill: boolean) => {
    const now = ctx.now().getTime();
    // A random part makes every token unique, so a form that takes each token once can tell two
    // visitors who loaded the page in the same millisecond apart.
    const nonce = randomBytes(6).toString("base64url");
    return signToken(ctx.secret, opts.purpose, `${now}:${refill ? "r" : "n"}:${nonce}`, now + FORM_TTL_MS);
  };
  return {
    token: () => issue(false),
    refillToken: () => issue(true),
    async admit(c) {
      // One statement counts the post and says whether it is over the limit: no window between
      // checking and counting for parallel posts to slip through.
      if ((await limiter.hit(clientIp(c))).limited)
        throw new HttpError(429, "Too many requests from your address. Please try again in an hour.");
      const origin = c.req.header("origin");
      if (origin && origin !== new URL(ctx.config.baseUrl).origin)
        throw new HttpError(403, "This form can only be sent from this site.");
    },
    verdict({ t, honeypot }) {
      const issued = verifyToken(ctx.secret, opts.purpose, t, ctx.now().getTime());
      if (!issued) return "expired";
      if (honeypot !== "") return "bot";
      const [at, refill] = issued.split(":");
      if (refill !== "r" && ctx.now().getTime() - Number(at) < minFill) return "too-fast";
      return "ok";
    },
    bodyLimit: bodyLimit({
      maxSize: opts.maxBytes ?? 64 * 1024,
      onError: () => {
        throw new HttpError(413, "The form is too large.");
      },
    }),
  };
}
