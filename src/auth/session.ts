/**
 * Sessions: a random token in the `liner_session` cookie; the database keeps only its SHA-256,
 * so a leaked database (or backup) cannot be used to sign in. Expiry slides: an active session
 * is extended, but at most once a day so that browsing does not write on every request.
 */
import { createHash, createHmac, randomBytes, timingSafeEqual } from "node:crypto";
import type { Context } from "hono";
import { deleteCookie, setCookie } from "hono/cookie";
import type { AppContext } from "../lib/context.ts";
import type { AppEnv, SessionUser } from "../lib/http/env.ts";
import { sessionStore } from "./store.ts";

export const SESSION_COOKIE = "liner_session";
/** Double-submit CSRF cookie for signed-out forms (login, setup). */
export const VISITOR_CSRF_COOKIE = "liner_csrf";
export const SESSION_DAYS = 30;
const DAY = 86_400_000;

export const sha256 = (s: string): string => createHash("sha256").update(s).digest("hex");
const randomToken = (bytes = 32): string => randomBytes(bytes).toString("base64url");

/** Compare two secrets in constant time (length is not secret). */
export function safeEqual(a: string, b: string): boolean {
  if (!a || !b || a.length !== b.length) return false;
  return timingSafeEqual(Buffer.from(a), Buffer.from(b));
}

function cookieOptions(ctx: AppContext, maxAgeSeconds: number) {
  return {
    httpOnly: true,
    sameSite: "Lax" as const,
    path: "/",
    secure: ctx.config.baseUrl.startsWith("https:"),
    maxAge: maxAgeSeconds,
  };
}

/** Create a session for a user and set its cookie. */
export async function startSession(ctx: AppContext, c: Context<AppEnv>, userId: number): Promise<string> {
  const token = randomToken();
  const csrfToken = randomToken(24);
  const now = ctx.now();
  await sessionStore(ctx.db).insert({
    id: sha256(token),
    user_id: userId,
    csrf_token: csrfToken,
    created_at: now.toISOString(),
    expires_at: new Date(now.getTime() + SESSION_DAYS * DAY).toISOString(),
  });
  setCookie(c, SESSION_COOKIE, token, cookieOptions(ctx, SESSION_DAYS * 86_400));
  return csrfToken;
}

/** Delete the session behind a cookie token (if any); `clearCookie` also tells the browser to drop it. */
export async function endSession(
  ctx: AppContext,
  c: Context<AppEnv>,
  token: string | undefined,
  clearCookie = true,
): Promise<void> {
  if (token) await sessionStore(ctx.db).delete(sha256(token));
  if (clearCookie) deleteCookie(c, SESSION_COOKIE, { path: "/", secure: ctx.config.baseUrl.startsWith("https:") });
}

export interface LoadedSession {
  user: SessionUser;
  csrfToken: string;
}

/** Look up the user for a cookie token; extends the session when it is more than a day old. */
export async function loadSession(ctx: AppContext, c: Context<AppEnv>, token: string): Promise<LoadedSession | null> {
  const id = sha256(token);
  const sessions = sessionStore(ctx.db);
  const row = await sessions.withUser(id);
  const now = ctx.now();
  if (!row) return null;
  if (row.expires_at <= now.toISOString()) {
    await sessions.delete(id);
    return null;
  }
  const fresh = new Date(now.getTime() + SESSION_DAYS * DAY);
  if (fresh.getTime() - Date.parse(row.expires_at) > DAY) {
    await sessions.extend(id, fresh.toISOString());
    setCookie(c, SESSION_COOKIE, token, cookieOptions(ctx, SESSION_DAYS * 86_400));
  }
  return {
    user: { id: row.id, email: row.email, name: row.name, role: row.role },
    csrfToken: row.csrf_token,
  };
}

/** Visitor CSRF tokens are `<random>.<hmac>` so a cookie planted by a sibling subdomain is refused. */
function signVisitorToken(ctx: AppContext, nonce: string): string {
  return `${nonce}.${createHmac("sha256", ctx.secret).update(`csrf:${nonce}`).digest("base64url")}`;
}

/** True if a visitor CSRF token was made by us. */
export function isValidVisitorToken(ctx: AppContext, token: string | undefined): boolean {
  if (!token) return false;
  const nonce = token.split(".")[0];
  return !!nonce && safeEqual(signVisitorToken(ctx, nonce), token);
}

/**
 * Make sure a signed-out visitor has a CSRF cookie (called by the login and setup pages only,
 * so public pages never create one). Returns the token and sets it on the request.
 */
export function ensureVisitorCsrf(ctx: AppContext, c: Context<AppEnv>): string {
  const current = c.get("csrfToken");
  if (c.get("user") || isValidVisitorToken(ctx, current)) return current;
  const token = signVisitorToken(ctx, randomToken(18));
  setCookie(c, VISITOR_CSRF_COOKIE, token, cookieOptions(ctx, 12 * 3600));
  c.set("csrfToken", token);
  return token;
}
