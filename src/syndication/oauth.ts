/**
 * Connecting Mastodon and LinkedIn by signing in there (OAuth 2.0 authorization code) instead of
 * pasting a token. Beginning registers Liner Notes as an app on the Mastodon instance (LinkedIn's
 * app is the owner's, from the config), and returns where to send the owner with a fresh `state`;
 * what must survive the round trip (the client, the state) travels sealed with the site's secret
 * in a short-lived cookie, never in the database. Finishing checks the state, trades the code for
 * a token, and connects the account as a pasted token would (verified first); signing in again
 * renews the token of an account already connected.
 */
import { randomBytes, timingSafeEqual } from "node:crypto";
import type { AppContext } from "../lib/context.ts";
import { ValidationError } from "../lib/errors.ts";
import { webFetch } from "../lib/net/web-fetch.ts";
import { addLinkedIn, addMastodon, serviceUrl, verified } from "./accounts.ts";
import { LINKEDIN_SCOPES, linkedinToken } from "./linkedin.ts";
import { MASTODON_SCOPES, mastodonToken, registerMastodonApp } from "./mastodon.ts";
import { seal, unseal } from "./secrets.ts";
import { type AccountRow, syndSettings } from "./store.ts";

/** Where the platforms send the owner back. */
export const CALLBACK_PATH = "/admin/accounts/oauth/callback";
/** How long a sign-in may take before its state is refused (seconds). */
export const OAUTH_TTL_S = 600;

/** What a sign-in in progress must remember (sealed in a cookie). */
export interface PendingOAuth {
  platform: "mastodon" | "linkedin";
  /** Mastodon: the instance. */
  instance?: string;
  clientId: string;
  clientSecret: string;
  state: string;
  /** When it began (ms). */
  at: number;
}

const redirectUri = (ctx: AppContext) => `${ctx.config.baseUrl}${CALLBACK_PATH}`;

/** Begin with Mastodon: the app registered on the instance, and the instance's approval page. */
export async function beginMastodon(ctx: AppContext, rawInstance: string) {
  const instance = serviceUrl(rawInstance, "instance", "instance", "https://mastodon.social");
  const client = await mastodonApp(ctx, instance);
  const pending: PendingOAuth = { platform: "mastodon", instance, ...client, state: newState(), at: Date.now() };
  const q = new URLSearchParams({
    response_type: "code",
    client_id: client.clientId,
    redirect_uri: redirectUri(ctx),
    scope: MASTODON_SCOPES,
    state: pending.state,
  });
  return { pending, authorizeUrl: `${instance}/oauth/authorize?${q}` };
}

/**
 * This site's app on an instance: registered once and kept (sealed) for the next sign-in, rather
 * than a new app on the instance at every try.
 */
async function mastodonApp(ctx: AppContext, instance: string): Promise<{ clientId: string; clientSecret: string }> {
  const key = `mastodon-app ${instance} ${redirectUri(ctx)}`;
  const settings = syndSettings(ctx.db);
  const kept = await settings.get(key);
  if (kept) {
    try {
      return JSON.parse(unseal(ctx.secret, kept));
    } catch {
      // Sealed with another secret: register again.
    }
  }
  const client = await verified("instance", () =>
    registerMastodonApp(webFetch(ctx.fetcher), instance, {
      name: `Liner Notes (${new URL(ctx.config.baseUrl).host})`,
      redirectUri: redirectUri(ctx),
      website: ctx.config.baseUrl,
    }),
  );
  await settings.put(key, seal(ctx.secret, JSON.stringify(client)));
  return client;
}

/** Begin with LinkedIn: its sign-in page for the owner's LinkedIn app (ValidationError when none is set). */
export function beginLinkedIn(ctx: AppContext) {
  const { origin, clientId, clientSecret } = ctx.config.linkedinOAuth;
  if (!clientId || !clientSecret)
    throw new ValidationError(
      "Signing in with LinkedIn needs your LinkedIn app: set LINER_LINKEDIN_CLIENT_ID and LINER_LINKEDIN_CLIENT_SECRET (or paste a token).",
      { field: "token" },
    );
  const pending: PendingOAuth = { platform: "linkedin", clientId, clientSecret, state: newState(), at: Date.now() };
  const q = new URLSearchParams({
    response_type: "code",
    client_id: clientId,
    redirect_uri: redirectUri(ctx),
    scope: LINKEDIN_SCOPES,
    state: pending.state,
  });
  return { pending, authorizeUrl: `${origin}/oauth/v2/authorization?${q}` };
}

/** The platform's answer: the code (or its refusal) and the state it carried back. */
export interface OAuthAnswer {
  code?: string;
  state?: string;
  error?: string;
  error_description?: string;
}

/** Finish: the state checked, the code traded for a token, the account connected (or renewed). */
export async function finishOAuth(
  ctx: AppContext,
  pending: PendingOAuth | undefined,
  answer: OAuthAnswer,
): Promise<AccountRow> {
  if (!pending || Date.now() - pending.at > OAUTH_TTL_S * 1000)
    throw new ValidationError("This sign-in has expired or was begun in another browser: start it again.", {
      field: "form",
    });
  if (!answer.state || !sameState(answer.state, pending.state))
    throw new ValidationError("The answer does not belong to the sign-in begun here (state differs): start again.", {
      field: "form",
    });
  const name = pending.platform === "mastodon" ? (pending.instance ?? "Mastodon") : "LinkedIn";
  if (answer.error || !answer.code)
    throw new ValidationError(
      `${name} did not grant access (${[answer.error, answer.error_description].filter(Boolean).join(": ") || "no code"}).`,
      { field: "form" },
    );
  const grant = {
    code: answer.code,
    clientId: pending.clientId,
    clientSecret: pending.clientSecret,
    redirectUri: redirectUri(ctx),
  };
  const fetchFn = webFetch(ctx.fetcher);
  if (pending.platform === "mastodon") {
    const instance = pending.instance as string;
    const token = await verified("form", () => mastodonToken(fetchFn, instance, grant));
    return addMastodon(ctx, { instance, token, replace: true });
  }
  const token = await verified("form", () => linkedinToken(fetchFn, ctx.config.linkedinOAuth.origin, grant));
  return addLinkedIn(ctx, { token, replace: true });
}

/** The pending sign-in as the cookie carries it, and back (undefined when changed or unreadable). */
export const sealPending = (ctx: AppContext, p: PendingOAuth): string => seal(ctx.secret, JSON.stringify(p));
export function openPending(ctx: AppContext, sealed: string | undefined): PendingOAuth | undefined {
  if (!sealed) return undefined;
  try {
    return JSON.parse(unseal(ctx.secret, sealed)) as PendingOAuth;
  } catch {
    return undefined;
  }
}

const newState = () => randomBytes(18).toString("base64url");
const sameState = (a: string, b: string) => a.length === b.length && timingSafeEqual(Buffer.from(a), Buffer.from(b));
